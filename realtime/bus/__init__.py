"""Room events between the server processes: Redis pub/sub, or this process.

A room's events are encoded once, where they are published, and travel as
text: every process's room hub (realtime.hub) subscribes once per room it has
local sockets in and writes the texts as they came to each of them. With Redis
(REDIS_URL) a batch of events costs one pipelined PUBLISH per room set, and a
process never waits on channels-redis's per-channel queues (which drop beyond
their capacity without a word). Without Redis (the embedded default, one
process) the bus is this process's memory.

Pub/sub is at-most-once like every broadcast here: the database is the truth,
and the hub's repair round delivers what a process missed (while Redis
restarted, for instance).

The bus is a package: entries.py (what travels), local.py (one process),
pubsub.py (Redis).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.conf import settings

from realtime.bus.entries import (
    Entry,
    Event,
    encode,
    entries_of,
    entry_of,
)
from realtime.bus.local import Listener, LocalBus
from realtime.bus.pubsub import RedisBus

__all__ = [
    "Bus",
    "Entry",
    "Event",
    "LocalBus",
    "RedisBus",
    "Subscription",
    "encode",
    "entries_of",
    "entry_of",
    "get_bus",
]


class Subscription(Protocol):
    """One process's (event loop's) subscriptions to rooms."""

    async def subscribe(self, room_id: int) -> None:
        """Returns once events published to the room from now on arrive."""

    async def unsubscribe(self, room_id: int) -> None: ...

    async def close(self) -> None: ...


class Bus(Protocol):
    def publish(self, rooms: dict[int, list[Entry]]) -> None:
        """From synchronous code (no event loop in this thread)."""

    async def apublish(self, rooms: dict[int, list[Entry]]) -> None:
        """From the event loop: one round trip for all rooms."""

    def subscription(
        self, on_entries: Listener, on_reconnect: Callable[[], None]
    ) -> Subscription: ...


_buses: dict[str, Bus] = {}


def get_bus() -> Bus:
    """The bus of this process's configuration (Redis if REDIS_URL is set)."""
    url = settings.REDIS_URL
    bus = _buses.get(url)
    if bus is None:
        bus = _buses[url] = RedisBus(url) if url else LocalBus()
    return bus
