"""E-mails to participants, with the event's calendar file attached.

These are transactional: they go out whatever a member chose for notification
e-mails (the in-app notification that accompanies each is marked as e-mailed,
so no digest repeats it). Sent after commit, in German, from fresh rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from seminars import calendar
from seminars.models import Registration

# kind -> (template, attach the calendar file?)
MAILS = {
    "confirmed": ("seminars/email/confirmed.txt", True),
    "waiting": ("seminars/email/waiting.txt", False),
    "promoted": ("seminars/email/promoted.txt", True),
    "reminder": ("seminars/email/reminder.txt", True),
    "changed": ("seminars/email/changed.txt", True),
    "event_cancelled": ("seminars/email/event_cancelled.txt", True),
    "cancelled": ("seminars/email/cancelled.txt", False),
}


def _subject(kind: str, title: str) -> str:
    subjects = {
        "confirmed": _("Registration confirmed: %(title)s"),
        "waiting": _("On the waiting list: %(title)s"),
        "promoted": _("You have a seat: %(title)s"),
        "reminder": _("Reminder: %(title)s"),
        "changed": _("Changed: %(title)s"),
        "event_cancelled": _("Cancelled: %(title)s"),
        "cancelled": _("Registration cancelled: %(title)s"),
    }
    return "[Zukunftsraum] " + subjects[kind] % {"title": title}


def send_registration_mail(registration_id: int, kind: str) -> bool:
    """Send one participant the mail `kind` about their registration now."""
    registration = (
        Registration.objects.select_related("event", "participant", "registered_by")
        .filter(pk=registration_id, participant__is_active=True)
        .first()
    )
    if registration is None:
        return False
    event = registration.event
    template, with_file = MAILS[kind]
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "member": registration.participant,
            "url": calendar.absolute(reverse("seminars:event", args=[event.pk])),
            "my_events_url": calendar.absolute(reverse("seminars:my_events")),
        }
        body = render_to_string(template, context)
        message = EmailMessage(
            _subject(kind, event.title), body, to=[registration.participant.email]
        )
        if with_file:
            method = "CANCEL" if kind == "event_cancelled" else "PUBLISH"
            message.attach(
                "veranstaltung.ics",
                calendar.calendar_bytes(
                    [event], with_online_link=True, method=method
                ).decode(),
                f"text/calendar; method={method}; charset=utf-8",
            )
    message.send()
    return True


def mail_on_commit(registration: Registration, kind: str) -> None:
    transaction.on_commit(lambda pk=registration.pk: send_registration_mail(pk, kind))
