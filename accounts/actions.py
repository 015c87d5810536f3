"""Writes for members."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import personal_data
from accounts.models import (
    PRIVACY_VERSION,
    TERMS_VERSION,
    Consent,
    District,
    MemberTopic,
    Municipality,
    Role,
    User,
)
from accounts.models.areas import validate_ags
from accounts.permissions import check_can_delete_account, check_can_verify_members
from audit.actions import log_action
from realtime import groups
from realtime.access import session_ended
from realtime.publish import publish_on_commit

# Sent to every socket of a deleted member; consumers close them.
SESSION_ENDED_EVENT = "session.ended"
# What deleting an account overwrites on the member's row.
_ANONYMISED_FIELDS = [
    "email",
    "unlisted_municipality_name",
    "unlisted_municipality_ags",
    "name",
    "role",
    "job_title",
    "municipality",
    "district",
    "affiliation_verified_at",
    "affiliation_verified_by",
    "affiliation_rejected_at",
    "offers_text",
    "seeks_text",
    "show_in_directory",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "deleted_at",
    "password",
]


@transaction.atomic
def register_member(
    member: User,
    *,
    name: str,
    role: str,
    job_title: str,
    affiliation: Municipality | District,
    unlisted_name: str = "",
    unlisted_ags: str = "",
) -> User:
    """Store a newly registered member with who they are and the consents given.

    `member` is allauth's unsaved user (e-mail address and password hash set);
    it is inserted here, complete. Registration requires consent to the current
    terms of use and privacy notice, so both are recorded with their versions.
    A Gemeinde missing from the directory comes as its Kreis (`affiliation`)
    plus the name and AGS the member typed; staff confirm it
    (`confirm_unlisted_municipality`).
    """
    member.name = name
    member.role = role
    member.job_title = job_title
    member.municipality, member.district = _split(affiliation)
    if member.district is not None:
        member.unlisted_municipality_name = unlisted_name
        member.unlisted_municipality_ags = unlisted_ags
    member.save()
    Consent.objects.bulk_create(
        [
            Consent(
                user=member, document=Consent.Document.TERMS, version=TERMS_VERSION
            ),
            Consent(
                user=member, document=Consent.Document.PRIVACY, version=PRIVACY_VERSION
            ),
        ]
    )
    return member


@transaction.atomic
def update_profile(
    member: User,
    *,
    name: str,
    job_title: str,
    affiliation: Municipality | District | None,
    topics: Iterable[str],
    offers_text: str,
    seeks_text: str,
    show_in_directory: bool,
) -> bool:
    """Save a member's own profile. Returns whether the affiliation changed.

    Staff verified (or could not verify) the old affiliation, not the new one:
    a change removes their decision and puts the member back in their queue.
    """
    municipality, district = _split(affiliation)
    affiliation_changed = member.municipality_id != (
        municipality.pk if municipality else None
    ) or member.district_id != (district.pk if district else None)
    # What the forum's cached post cards show of an author: the name, the
    # affiliation, and whether the name links to the profile (directory opt-out).
    shown_changed = (
        affiliation_changed
        or member.name != name
        or member.show_in_directory != show_in_directory
    )
    member.name = name
    member.job_title = job_title
    member.municipality = municipality
    member.district = district
    member.offers_text = offers_text
    member.seeks_text = seeks_text
    member.show_in_directory = show_in_directory
    fields = [
        "name",
        "job_title",
        "municipality",
        "district",
        "offers_text",
        "seeks_text",
        "show_in_directory",
    ]
    if affiliation_changed:
        member.affiliation_verified_at = None
        member.affiliation_verified_by = None
        member.affiliation_rejected_at = None
        member.unlisted_municipality_name = ""
        member.unlisted_municipality_ags = ""
        fields += [
            "affiliation_verified_at",
            "affiliation_verified_by",
            "affiliation_rejected_at",
            "unlisted_municipality_name",
            "unlisted_municipality_ags",
        ]
    member.save(update_fields=fields)
    if shown_changed:
        bump_display_version(member)
    wanted = set(topics)
    current = set(member.topics.values_list("topic", flat=True))
    member.topics.filter(topic__in=current - wanted).delete()
    MemberTopic.objects.bulk_create(
        [MemberTopic(user=member, topic=topic) for topic in sorted(wanted - current)]
    )
    return affiliation_changed


def bump_display_version(member: User) -> None:
    """What is shown with everything `member` wrote changed (name, affiliation,
    active, deleted): caches of rendered content keyed by the member's
    `display_version` (the forum's post cards) render it anew."""
    User.objects.filter(pk=member.pk).update(display_version=F("display_version") + 1)


@transaction.atomic
def verify_affiliation(staff: User, member: User, *, note: str = "") -> bool:
    """Confirm that the member works for the municipality they named.

    Returns False (and changes nothing) if there is nothing to verify. Audited as
    `accounts.member.verified`; the member is told by e-mail after commit.
    """
    check_can_verify_members(staff)
    if member.affiliation is None or member.affiliation_verified_at is not None:
        return False
    member.affiliation_verified_at = timezone.now()
    member.affiliation_verified_by = staff
    member.affiliation_rejected_at = None
    member.save(
        update_fields=[
            "affiliation_verified_at",
            "affiliation_verified_by",
            "affiliation_rejected_at",
        ]
    )
    log_action(
        staff,
        "accounts.member.verified",
        target=member,
        reason=note,
        data={"affiliation": str(member.affiliation)},
    )
    _mail_on_commit(member, "accounts/email/affiliation_verified", {"note": note})
    return True


@transaction.atomic
def confirm_unlisted_municipality(
    staff: User, member: User, *, name: str, ags: str
) -> Municipality:
    """Create the Gemeinde a member named at sign-up (as typed, or as staff
    corrected it), make it the member's affiliation and verify it.

    The AGS must lie in the member's Kreis; a Gemeinde with that AGS that
    exists already is used as it is. Audited as
    `accounts.municipality.created` (when created) and
    `accounts.member.verified`.
    """
    check_can_verify_members(staff)
    district = member.district
    if district is None or not member.unlisted_municipality_name:
        raise ValidationError(_("This member named no municipality to create."))
    validate_ags(ags)
    if not ags.startswith(district.key):
        raise ValidationError(
            _("The AGS of a municipality in %(district)s starts with %(key)s.")
            % {"district": district, "key": district.key}
        )
    municipality, created = Municipality.objects.get_or_create(
        ags=ags, defaults={"district": district, "name": name.strip()}
    )
    if created:
        log_action(
            staff,
            "accounts.municipality.created",
            target=member,
            data={
                "ags": ags,
                "name": municipality.name,
                "named_by_member": member.unlisted_municipality_name,
                "ags_by_member": member.unlisted_municipality_ags,
            },
        )
    member.municipality = municipality
    member.district = None
    member.unlisted_municipality_name = ""
    member.unlisted_municipality_ags = ""
    member.affiliation_verified_at = None
    member.affiliation_rejected_at = None
    member.save(
        update_fields=[
            "municipality",
            "district",
            "unlisted_municipality_name",
            "unlisted_municipality_ags",
            "affiliation_verified_at",
            "affiliation_rejected_at",
        ]
    )
    verify_affiliation(staff, member)
    return municipality


@transaction.atomic
def revoke_verification(staff: User, member: User, *, reason: str) -> bool:
    """Refuse or withdraw the verified mark; the member receives the reason.

    The member leaves the verification queue until they name another
    municipality. Returns False if this decision was already taken. Audited as
    `accounts.member.verification_revoked`.
    """
    check_can_verify_members(staff)
    if member.affiliation is None or member.affiliation_rejected_at is not None:
        return False
    was_verified = member.affiliation_verified_at is not None
    member.affiliation_verified_at = None
    member.affiliation_verified_by = None
    member.affiliation_rejected_at = timezone.now()
    member.save(
        update_fields=[
            "affiliation_verified_at",
            "affiliation_verified_by",
            "affiliation_rejected_at",
        ]
    )
    log_action(
        staff,
        "accounts.member.verification_revoked",
        target=member,
        reason=reason,
        data={"affiliation": str(member.affiliation), "was_verified": was_verified},
    )
    _mail_on_commit(
        member, "accounts/email/affiliation_not_verified", {"reason": reason}
    )
    return True


@transaction.atomic
def delete_account(actor: User, member: User, *, reason: str = "") -> bool:
    """Delete a member's account (DSGVO Art. 17); returns False if already done.

    The member asks for it themself, or staff act on their request (`reason`
    says how it reached them). Every app's eraser runs first (see
    `accounts.personal_data`); one raising `ErasureRefused` rolls all back. Then
    the row is emptied of personal data and deactivated, so that what the
    member wrote keeps an author shown as `display_name`, "Ehemaliges
    Mitglied". Every session of the member ends now; after commit their open
    sockets receive a `session.ended` event. Audited as
    `accounts.member.deleted`, with the records apps kept by law.
    """
    check_can_delete_account(actor, member)
    if member.is_deleted:
        return False
    by_staff = actor.pk != member.pk
    kept = personal_data.erase(member)
    member.email = f"deleted-{member.pk}@deleted.invalid"
    member.name = ""
    member.role = Role.OTHER
    member.job_title = ""
    member.municipality = None
    member.district = None
    member.unlisted_municipality_name = ""
    member.unlisted_municipality_ags = ""
    member.affiliation_verified_at = None
    member.affiliation_verified_by = None
    member.affiliation_rejected_at = None
    member.offers_text = ""
    member.seeks_text = ""
    member.show_in_directory = False
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.last_login = None
    member.deleted_at = timezone.now()
    # An unusable password also changes the session hash: any session that
    # escaped `_end_sessions` is refused on its next request.
    member.set_unusable_password()
    member.save(update_fields=_ANONYMISED_FIELDS)
    bump_display_version(member)
    member.groups.clear()
    member.user_permissions.clear()
    _end_sessions(member)
    log_action(
        actor,
        "accounts.member.deleted",
        target=member,
        reason=reason,
        data={"by": "staff" if by_staff else "member", "kept": kept},
    )
    publish_on_commit(
        {"type": SESSION_ENDED_EVENT, "reason": "account_deleted"},
        to=[groups.user(member.pk)],
    )
    return True


@transaction.atomic
def end_all_sessions(member: User) -> None:
    """ "Log out everywhere": every session of the member ends, in every
    browser; after commit their open sockets close (realtime.access)."""
    _end_sessions(member)
    session_ended(member.pk, reason="logged_out_everywhere")


def erase_account_data(member: User) -> str:
    """Accounts' eraser: expertise topics, e-mail addresses, social logins.

    Consents stay as the evidence Art. 7(1) DSGVO asks for; they name a
    document version and a time, tied to the anonymised account only.
    """
    from allauth.account.models import EmailAddress

    member.topics.all().delete()
    EmailAddress.objects.filter(user=member).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=member).delete()
    return "consents kept as evidence (Art. 7(1) GDPR)"


# Session engines whose sessions live in the database (`cached_db` keeps a
# copy in the cache, which is dropped with them).
_STORED_SESSIONS = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _end_sessions(member: User) -> None:
    """Delete every stored session of the member, and its cached copy."""
    if settings.SESSION_ENGINE not in _STORED_SESSIONS:
        return
    from django.contrib.sessions.models import Session

    member_id = str(member.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        .only("session_key", "session_data")
        .iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == member_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    if settings.SESSION_ENGINE.endswith("cached_db"):
        from django.contrib.sessions.backends.cached_db import SessionStore

        caches[settings.SESSION_CACHE_ALIAS].delete_many(
            [SessionStore.cache_key_prefix + key for key in ended]
        )


def _split(
    affiliation: Municipality | District | None,
) -> tuple[Municipality | None, District | None]:
    """(municipality, district): a member belongs to one of them at most."""
    if isinstance(affiliation, Municipality):
        return affiliation, None
    if isinstance(affiliation, District):
        return None, affiliation
    return None, None


def _mail_on_commit(member: User, template: str, context: dict) -> None:
    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            full_context = {"member": member, **context}
            subject = render_to_string(f"{template}_subject.txt", full_context)
            body = render_to_string(f"{template}_message.txt", full_context)
        send_mail(" ".join(subject.split()), body, None, [member.email])

    transaction.on_commit(send)
