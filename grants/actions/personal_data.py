"""The grants app's part of an account deletion (accounts.personal_data)."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from grants.models import Application, State


def erase_grant_data(member: User) -> str | None:
    """Grant files stay: they are the municipality's records, not the member's.

    The member's name leaves them with the account (the row is anonymised,
    so the records name a former member); they are kept at least five years
    after the case closes (`GRANTS_RETENTION_YEARS`, `queries.retained_until`);
    drafts that named the member as signatory name nobody until the
    municipality names someone else.
    """
    Application.objects.filter(signatory=member, state=State.DRAFT).update(
        signatory=None
    )
    involved = Application.objects.filter(
        Q(created_by=member)
        | Q(submitted_by=member)
        | Q(assessed_by=member)
        | Q(decided_by=member)
        | Q(partners__confirmed_by=member)
        | Q(call_offs__requested_by=member)
        | Q(call_offs__released_by=member)
        | Q(report__updated_by=member)
        | Q(report__submitted_by=member)
        | Q(report__checked_by=member)
        | Q(reclaims__proposed_by=member)
        | Q(reclaims__decided_by=member)
    ).exists()
    if involved:
        return "grant applications kept as public records of the municipality"
    return None
