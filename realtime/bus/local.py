"""The room bus of one process (no Redis: the embedded default, the tests)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from realtime.bus.entries import Entry

Listener = Callable[[int, list[Entry]], None]


class LocalBus:
    """This process's memory. Listeners are called in the publishing thread;
    a hub's subscription hands them on to its own loop."""

    def __init__(self) -> None:
        self.listeners: dict[int, list[Listener]] = {}
        self.lock = threading.Lock()

    def listen(self, room_id: int, listener: Listener) -> None:
        with self.lock:
            self.listeners.setdefault(room_id, []).append(listener)

    def unlisten(self, room_id: int, listener: Listener) -> None:
        with self.lock:
            found = self.listeners.get(room_id, [])
            if listener in found:
                found.remove(listener)

    def publish(self, rooms: dict[int, list[Entry]]) -> None:
        for room_id, entries in rooms.items():
            with self.lock:
                listeners = list(self.listeners.get(room_id, ()))
            for listener in listeners:
                listener(room_id, entries)

    async def apublish(self, rooms: dict[int, list[Entry]]) -> None:
        self.publish(rooms)

    def subscription(
        self, on_entries: Listener, on_reconnect: Callable[[], None]
    ) -> LocalSubscription:
        return LocalSubscription(self, on_entries)


class LocalSubscription:
    def __init__(self, bus: LocalBus, on_entries: Listener) -> None:
        self.bus = bus
        self.on_entries = on_entries
        self.loop = asyncio.get_running_loop()
        self.thread = threading.get_ident()
        self.rooms: set[int] = set()

    def _receive(self, room_id: int, entries: list[Entry]) -> None:
        if threading.get_ident() == self.thread:
            self.on_entries(room_id, entries)
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.on_entries, room_id, entries)

    async def subscribe(self, room_id: int) -> None:
        if room_id not in self.rooms:
            self.rooms.add(room_id)
            self.bus.listen(room_id, self._receive)

    async def unsubscribe(self, room_id: int) -> None:
        if room_id in self.rooms:
            self.rooms.discard(room_id)
            self.bus.unlisten(room_id, self._receive)

    async def close(self) -> None:
        for room_id in list(self.rooms):
            await self.unsubscribe(room_id)
