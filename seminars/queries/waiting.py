"""Where each entry of a waiting list stands, in the order seats go out."""

from __future__ import annotations

from seminars.models import Event, EventMunicipality, Registration, RegistrationStatus
from seminars.waiting_list import promotion_order


def waiting_positions(event: Event) -> dict[int, int | None]:
    """{registration id: position on the waiting list} in promotion order;
    None for entries blocked by the municipality quota."""
    waiting = list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.WAITING
        ).order_by("queued_at", "pk")
    )
    held = dict(
        EventMunicipality.objects.filter(event=event).values_list(
            "area_key", "confirmed_count"
        )
    )
    order, blocked = promotion_order(waiting, held, event.quota)
    positions: dict[int, int | None] = {r.pk: i for i, r in enumerate(order, 1)}
    positions.update({r.pk: None for r in blocked})
    return positions
