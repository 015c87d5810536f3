"""Each event's chat room: made with the event, its members following the
registrations (participants with a seat, speakers; staff enter on demand)."""

from __future__ import annotations

from collections.abc import Iterable

from chat.actions import (
    admit_to_owned_room,
    dismiss_from_owned_room,
    ensure_owned_room,
)
from chat.models import Room
from seminars.models import Event


def owner_key(event: Event) -> str:
    return f"seminars.event:{event.pk}"


def ensure_room(event: Event) -> Room:
    """The event's room (made on first use; it keeps the event's title)."""
    room = ensure_owned_room(owner_key=owner_key(event), title=event.title[:120])
    if event.chat_room_id != room.pk:
        event.chat_room = room
        event.save(update_fields=["chat_room"])
    return room


def admit(event: Event, members: Iterable) -> int:
    members = [member for member in members if member is not None]
    if not members:
        return 0
    return admit_to_owned_room(ensure_room(event), members)


def dismiss(event: Event, members: Iterable) -> int:
    """Take members out, unless they belong for another reason (speakers)."""
    speakers = set(event.speakers.values_list("pk", flat=True))
    leaving = [m for m in members if m is not None and m.pk not in speakers]
    if not leaving or event.chat_room_id is None:
        return 0
    return dismiss_from_owned_room(event.chat_room, leaving)
