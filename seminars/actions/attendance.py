"""Staff record who attended (for the Teilnahmebescheinigung and the
programme's statistics)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from audit.actions import log_action
from seminars.models import Event, Registration, RegistrationStatus
from seminars.permissions import check_can_manage_events


@transaction.atomic
def mark_attendance(actor: User, event: Event, *, attended: Iterable[int]) -> int:
    """Mark the confirmed registrations with ids in `attended` as present and
    the others as absent; returns how many changed."""
    check_can_manage_events(actor)
    present = set(attended)
    changed = 0
    registrations = Registration.objects.select_for_update().filter(
        event=event, status=RegistrationStatus.CONFIRMED
    )
    for registration in registrations:
        value = registration.pk in present
        if registration.attended != value:
            registration.attended = value
            registration.save(update_fields=["attended"])
            changed += 1
    if changed:
        log_action(
            actor,
            "seminars.attendance.marked",
            target=event,
            data={"present": sorted(present), "changed": changed},
        )
    return changed
