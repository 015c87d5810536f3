"""Room events as the bus carries them: encoded once, with what the hub must
know of each (the seq of an added message, the author of an ephemeral event)
without decoding it again.

A payload is one line of metadata (JSON: per event the seq of an added message
and the author of an ephemeral event, 0 where neither applies) and the events'
texts, one per line: JSON text never holds a raw line break.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from realtime import groups

Event = dict[str, Any]
# (seq of a "chat.message" add or 0, user of a typing/presence event or 0, text)
Entry = tuple[int, int, str]

EPHEMERAL = frozenset({"chat.typing", "chat.presence"})
# Who may see the room changed for everyone in it (a space turned restricted):
# every socket subscribed to it checks its access again. Such an entry carries
# RECHECK in its user field, so sockets see it without decoding.
ACCESS = "chat.access"
RECHECK = -1
CHANNEL_PREFIX = "zr:"


def encode(event: Event) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def entry_of(event: Event) -> Entry:
    """The event encoded, with what the hub needs to know without decoding."""
    kind = event.get("type")
    seq = user = 0
    if kind == "chat.message" and event.get("op") == "add":
        seq = event["message"]["seq"]
    elif kind in EPHEMERAL:
        user = (event.get("user") or {}).get("id") or 0
    elif kind == ACCESS:
        user = RECHECK
    return (seq, user, encode(event))


def entries_of(events: Iterable[Event]) -> list[Entry]:
    return [entry_of(event) for event in events]


def pack(entries: list[Entry]) -> str:
    meta = json.dumps([[seq, user] for seq, user, _ in entries], separators=(",", ":"))
    return "\n".join([meta, *(text for _, _, text in entries)])


def unpack(payload: str) -> list[Entry]:
    meta, *texts = payload.split("\n")
    return [
        (seq, user, text)
        for (seq, user), text in zip(json.loads(meta), texts, strict=True)
    ]


def channel(room_id: int) -> str:
    return CHANNEL_PREFIX + groups.chat_room(room_id)


def room_of(channel_name: str) -> int:
    return int(channel_name.rsplit(".", 1)[1])
