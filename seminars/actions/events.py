"""Staff run events: create, change, cancel, release the municipal quota,
plan the sessions of a meeting. Every decision writes an audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from community.markup import render
from seminars.actions import chat_rooms
from seminars.actions.locks import lock_areas, lock_event
from seminars.actions.registrations import inform_all, promote
from seminars.models import (
    Event,
    EventMunicipality,
    EventSession,
    EventStatus,
)
from seminars.permissions import Refused, check_can_manage_events

# Changes participants are told of (with the updated calendar file).
NEWSWORTHY = ("starts_at", "ends_at", "time_zone", "location", "online_url", "title")


@transaction.atomic
def create_event(actor: User, *, speakers=(), **fields: Any) -> Event:
    """A new event with its chat room; `fields` are Event's editable fields."""
    check_can_manage_events(actor)
    event = Event(**fields, created_by=actor)
    event.description_html = render(event.description).html
    event.save()
    event.speakers.set(speakers)
    chat_rooms.ensure_room(event)
    chat_rooms.admit(event, [actor, *speakers])
    log_action(actor, "seminars.event.created", target=event)
    return event


@transaction.atomic
def update_event(actor: User, event: Event, *, speakers=None, **fields: Any) -> bool:
    """Change an event. More capacity or a larger quota moves the waiting
    list up at once; a change of time, place or link raises the calendar
    SEQUENCE and tells the participants."""
    check_can_manage_events(actor)
    event = lock_event(event.pk)
    areas = lock_areas(event)
    if event.status == EventStatus.CANCELLED:
        raise Refused(_("A cancelled event cannot be changed."))
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    if "status" in fields and fields["status"] == EventStatus.CANCELLED:
        raise Refused(_("Please use “Cancel event” to cancel it."))
    capacity = fields.get("capacity", event.capacity)
    if capacity is not None and capacity < event.confirmed_count:
        raise Refused(
            _("The capacity cannot be lower than the %(count)d seats taken.")
            % {"count": event.confirmed_count}
        )
    quota = fields.get("municipality_quota", event.municipality_quota)
    fullest = max((row.confirmed_count for key, row in areas.items() if key), default=0)
    if quota is not None and event.quota_released_at is None and quota < fullest:
        raise Refused(
            _(
                "The seats per municipality cannot be lower than the %(count)d "
                "seats one municipality holds already."
            )
            % {"count": fullest}
        )
    old_speakers = set(event.speakers.values_list("pk", flat=True))
    new_speakers = {s.pk for s in speakers} if speakers is not None else old_speakers
    if not changed and new_speakers == old_speakers:
        return False
    for name in changed:
        setattr(event, name, fields[name])
    if "description" in changed:
        event.description_html = render(event.description).html
    newsworthy = [name for name in changed if name in NEWSWORTHY]
    if changed:
        event.sequence += 1
        event.save()
    if "municipality_quota" in changed:
        EventMunicipality.objects.filter(event=event).exclude(area_key="").update(
            quota=event.quota
        )
        for key, row in areas.items():
            row.quota = event.quota if key else None
    if speakers is not None:
        event.speakers.set(speakers)
        chat_rooms.admit(event, speakers)
    if "title" in changed:
        chat_rooms.ensure_room(event)
    log_action(actor, "seminars.event.updated", target=event, data={"fields": changed})
    promote(event, areas)
    if newsworthy and event.status == EventStatus.PUBLISHED:
        inform_all(actor, event, "changed")
    return True


@transaction.atomic
def cancel_event(actor: User, event: Event, *, reason: str) -> bool:
    """Cancel for everyone: participants and the waiting list are told (with a
    calendar CANCEL), the registrations stay for the record."""
    check_can_manage_events(actor)
    event = lock_event(event.pk)
    if event.status == EventStatus.CANCELLED:
        return False
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    log_action(actor, "seminars.event.cancelled", target=event, reason=reason)
    inform_all(actor, event, "event_cancelled", include_waiting=True)
    return True


@transaction.atomic
def release_quota(actor: User, event: Event) -> int:
    """Open the seats kept per municipality to everyone; the waiting list
    moves up at once. Returns how many moved up."""
    check_can_manage_events(actor)
    event = lock_event(event.pk)
    areas = lock_areas(event)
    if event.municipality_quota is None or event.quota_released_at is not None:
        return 0
    event.quota_released_at = timezone.now()
    event.save(update_fields=["quota_released_at", "updated_at"])
    EventMunicipality.objects.filter(event=event).update(quota=None)
    for row in areas.values():
        row.quota = None
    promoted = promote(event, areas)
    log_action(
        actor,
        "seminars.event.quota_released",
        target=event,
        data={"promoted": len(promoted)},
    )
    return len(promoted)


@transaction.atomic
def add_session(actor: User, event: Event, **fields: Any) -> EventSession:
    """A slot of a meeting's timetable."""
    check_can_manage_events(actor)
    session = EventSession.objects.create(event=event, **fields)
    log_action(actor, "seminars.session.created", target=session)
    return session


def second_date_initial(event: Event) -> dict[str, Any]:
    """What the form for a second date of `event` starts with."""
    return {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "topic": event.topic,
        "speaker_names": event.speaker_names,
        "speakers": list(event.speakers.all()),
        "location": event.location,
        "capacity": event.capacity,
        "municipality_quota": event.municipality_quota,
        "time_zone": event.time_zone,
    }
