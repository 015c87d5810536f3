"""Who hears of what happens to an application (in-app, e-mail per setting).

Titles are written in the platform's language (German), whatever language the
actor uses: they are stored once and read by many.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from community.actions.notifications import notify
from community.models import NotificationKind
from grants.models import Application


def municipality_members(municipality_id: str) -> Iterable[User]:
    return User.objects.filter(
        municipality_id=municipality_id,
        affiliation_verified_at__isnull=False,
        is_active=True,
    )


def staff_members() -> Iterable[User]:
    return User.objects.filter(is_staff=True, is_active=True)


def _send(recipients, actor: User | None, application: Application, title) -> None:
    notify(
        recipients,
        kind=NotificationKind.GRANT,
        actor=actor,
        title=title,
        url=application.get_absolute_url(),
    )


# What happened: a (lazy) text, or a function writing it in the active language.
What = str | Promise | Callable[[], str]


def _title(application: Application, what: What) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Application %(reference)s “%(title)s”: %(what)s") % {
            "reference": application.reference,
            "title": application.title,
            "what": what() if callable(what) else str(what),
        }


def tell_applicant(actor: User | None, application: Application, what: What) -> None:
    """Every verified member of the applicant municipality."""
    title = _title(application, what)
    _send(municipality_members(application.municipality_id), actor, application, title)


def tell_staff(actor: User | None, application: Application, what: What) -> None:
    _send(staff_members(), actor, application, _title(application, what))


def ask_partners(actor: User, application: Application, municipality_ids) -> None:
    """Invite partner municipalities' members to confirm their participation."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _(
            "%(municipality)s names your municipality as partner in “%(title)s”: "
            "please confirm the participation"
        ) % {"municipality": application.municipality, "title": application.title}
    recipients = User.objects.filter(
        municipality_id__in=list(municipality_ids),
        affiliation_verified_at__isnull=False,
        is_active=True,
    )
    _send(recipients, actor, application, title)


def ask_signatory(actor: User, application: Application) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _(
            "%(name)s asks you to confirm and submit the application “%(title)s”"
        ) % {"name": actor.display_name, "title": application.title}
    _send([application.signatory], actor, application, title)
