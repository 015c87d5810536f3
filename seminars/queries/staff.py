"""What the Geschäftsstelle sees of an event: participants, demand per
municipality, the waiting list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from seminars.models import Event, Registration, RegistrationStatus
from seminars.queries.waiting import waiting_positions

# From this many people waiting, the page suggests a second date.
SECOND_DATE_HINT_AT = 5


@dataclass
class Demand:
    area_key: str
    area_name: str
    confirmed: int
    waiting: int


def participant_list(event: Event) -> list[Registration]:
    """Confirmed first, then the waiting list in promotion order."""
    registrations = list(
        Registration.objects.filter(
            event=event,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        ).select_related("participant", "registered_by")
    )
    positions = waiting_positions(event)
    for registration in registrations:
        registration.position = positions.get(registration.pk)
    confirmed = [r for r in registrations if r.is_confirmed]
    confirmed.sort(key=lambda r: ((r.participant.name if r.participant else ""), r.pk))
    waiting = [r for r in registrations if r.is_waiting]
    waiting.sort(key=lambda r: (r.position is None, r.position or 0, r.pk))
    return confirmed + waiting


def demand_by_municipality(event: Event) -> list[Demand]:
    rows = (
        Registration.objects.filter(event=event)
        .values("area_key", "area_name")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        )
        .filter(Q(confirmed__gt=0) | Q(waiting__gt=0))
        .order_by("-confirmed", "-waiting", "area_name")
    )
    return [Demand(**row) for row in rows]
