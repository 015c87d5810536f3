"""The locks every seat change takes, always in this order: the event row,
then its municipality rows by key, then session rows by id."""

from __future__ import annotations

from seminars.models import Event, EventMunicipality, EventSession


def lock_event(event_id: int) -> Event:
    """The first lock of every seat change."""
    return Event.objects.select_for_update().get(pk=event_id)


def lock_areas(event: Event) -> dict[str, EventMunicipality]:
    """All municipality rows of `event`, locked in key order (the second lock)."""
    rows = (
        EventMunicipality.objects.select_for_update()
        .filter(event=event)
        .order_by("area_key")
    )
    return {row.area_key: row for row in rows}


def lock_sessions(event: Event, ids: list[int] | None = None) -> list[EventSession]:
    """Session rows of `event` (all, or `ids`), locked by id (the third lock)."""
    sessions = EventSession.objects.select_for_update().filter(event=event)
    if ids is not None:
        sessions = sessions.filter(pk__in=ids)
    return list(sessions.order_by("pk"))
