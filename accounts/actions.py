"""Writes for members."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import (
    PRIVACY_VERSION,
    TERMS_VERSION,
    Consent,
    District,
    MemberTopic,
    Municipality,
    User,
)
from accounts.permissions import check_can_verify_members
from moderation.actions import log_action


@transaction.atomic
def register_member(
    member: User,
    *,
    name: str,
    role: str,
    job_title: str,
    affiliation: Municipality | District,
) -> User:
    """Store a newly registered member with who they are and the consents given.

    `member` is allauth's unsaved user (e-mail address and password hash set);
    it is inserted here, complete. Registration requires consent to the current
    terms of use and privacy notice, so both are recorded with their versions.
    """
    member.name = name
    member.role = role
    member.job_title = job_title
    member.municipality, member.district = _split(affiliation)
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
        fields += [
            "affiliation_verified_at",
            "affiliation_verified_by",
            "affiliation_rejected_at",
        ]
    member.save(update_fields=fields)
    wanted = set(topics)
    current = set(member.topics.values_list("topic", flat=True))
    member.topics.filter(topic__in=current - wanted).delete()
    MemberTopic.objects.bulk_create(
        [MemberTopic(user=member, topic=topic) for topic in sorted(wanted - current)]
    )
    return affiliation_changed


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
