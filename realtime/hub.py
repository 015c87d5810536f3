"""The per-process room hub: fan-out without one layer message per member.

Each server process (event loop) has one hub. When the first local socket
subscribes to a room, the hub subscribes to the room on the bus
(realtime.bus: Redis pub/sub, or this process without Redis); every event
published to the room then arrives here once per process, already encoded,
and the same text is handed to every local socket in the room. A message to
a room of 10 members spread over two processes costs one PUBLISH.

Handing a text to a socket never waits: the socket writes it at once or
queues it (realtime.outbox), so one slow reader delays nobody else.

The bus is at-most-once (a Redis restart loses what was published meanwhile).
So every REALTIME_REPAIR_INTERVAL seconds (a setting), and at once when the
bus connection comes back, the hub compares each local room's last sequence
number in the database with the last one it delivered; messages it never saw
are read from the database and delivered late rather than never (clients
de-duplicate by id). A stored message therefore reaches every subscribed
socket even if its broadcast was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from channels.db import database_sync_to_async
from django.conf import settings

from realtime.bus import Entry, entries_of, get_bus

logger = logging.getLogger(__name__)

# At most this many missed messages are repaired per room; beyond it the
# sockets are told to reload the room's history.
REPAIR_LIMIT = 200
# Seconds a message may be behind its broadcast before the repair round
# delivers it from the database.
REPAIR_GRACE = 1.0

Event = dict[str, Any]


class Sink(Protocol):
    """A local socket subscribed to rooms (the chat's part of a socket)."""

    user_id: int

    def deliver(self, room_id: int, entries: list[Entry]) -> None:
        """Write the room's events (encoded: realtime.bus.Entry) to the
        socket, without waiting for it."""

    def reload(self, room_id: int, head: int) -> None:
        """Tell the socket it missed too much of the room to be caught up."""


class RoomHub:
    def __init__(
        self,
        *,
        heads: Callable[[list[int]], dict[int, int]],
        missed: Callable[[int, int, int], Any],
        repair_interval: float | None = None,
    ) -> None:
        """`heads(room_ids)` returns each room's last seq; `missed(room_id,
        since, limit)` a replay (`.events`, `.too_many`) of what came after
        `since`. Both are synchronous reads run on the database thread."""
        self.heads = database_sync_to_async(heads)
        self.missed = database_sync_to_async(missed)
        self.repair_interval = repair_interval or settings.REALTIME_REPAIR_INTERVAL
        self.repair_grace = min(REPAIR_GRACE, self.repair_interval / 4)
        self.subscription = None
        self.rooms: dict[int, set[Sink]] = {}
        # The bus subscription of a room, awaited by every joiner of that room.
        self.joined: dict[int, asyncio.Task] = {}
        # Per room: every message up to this seq was delivered (None: not
        # known yet), and the seqs delivered beyond a gap (a message still on
        # its way from another process, or lost: the repair round decides).
        self.delivered: dict[int, int] = {}
        self.ahead: dict[int, set[int]] = {}
        self.tasks: list[asyncio.Task] = []
        self.repair_now = asyncio.Event()

    def _start(self) -> None:
        if self.subscription is not None:
            return
        self.subscription = get_bus().subscription(self.receive, self._reconnected)
        self.tasks = [asyncio.create_task(self._repair_loop(), name="hub-repair")]

    async def join(self, room_id: int, sink: Sink) -> None:
        """Subscribe `sink` to the room; returns once the process receives the
        room's events (so a replay read afterwards misses nothing)."""
        self._start()
        if room_id not in self.joined:
            self.joined[room_id] = asyncio.create_task(
                self.subscription.subscribe(room_id)
            )
        self.rooms.setdefault(room_id, set()).add(sink)
        try:
            await asyncio.shield(self.joined[room_id])
        except Exception:
            self.rooms[room_id].discard(sink)
            self.joined.pop(room_id, None)
            raise

    def leave(self, room_id: int, sink: Sink) -> None:
        """Unsubscribe; the bus subscription goes at the next repair round if
        nobody local subscribed again meanwhile."""
        sinks = self.rooms.get(room_id)
        if sinks is not None:
            sinks.discard(sink)

    def note_head(self, room_id: int, seq: int) -> None:
        """A subscriber read the room up to `seq` from the database: where
        the hub knew nothing of the room yet, that is where it starts."""
        if room_id not in self.delivered:
            self.delivered[room_id] = seq

    def head(self, room_id: int) -> int:
        """The highest seq the hub delivered in the room."""
        return max(self.delivered.get(room_id, 0), *self.ahead.get(room_id, [0]))

    def receive(self, room_id: int, entries: list[Entry]) -> None:
        """Events of a room from the bus, in publishing order."""
        for seq, _, _ in entries:
            if seq:
                self._delivered(room_id, seq)
        self._deliver(room_id, entries)

    def _delivered(self, room_id: int, seq: int) -> None:
        done = self.delivered.get(room_id)
        if done is None or seq <= done:
            return
        ahead = self.ahead.setdefault(room_id, set())
        ahead.add(seq)
        while done + 1 in ahead:
            done += 1
            ahead.discard(done)
        self.delivered[room_id] = done
        if not ahead:
            del self.ahead[room_id]

    def _deliver(self, room_id: int, entries: list[Entry]) -> None:
        for sink in list(self.rooms.get(room_id, ())):
            try:
                sink.deliver(room_id, entries)
            except Exception:
                logger.exception("delivery to a socket failed")

    def _reconnected(self) -> None:
        """The bus came back: what was published meanwhile is lost to it."""
        self.repair_now.set()

    async def _repair_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.repair_now.wait(), self.repair_interval)
            self.repair_now.clear()
            try:
                await self.repair()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("hub repair round failed: %s", error)

    async def repair(self) -> None:
        """Drop unused rooms, deliver lost messages."""
        for room_id in [r for r, sinks in self.rooms.items() if not sinks]:
            del self.rooms[room_id]
            self.joined.pop(room_id, None)
            self.delivered.pop(room_id, None)
            self.ahead.pop(room_id, None)
            if self.subscription is not None:
                await self.subscription.unsubscribe(room_id)
        rooms = list(self.rooms)
        if not rooms:
            return
        heads = await self.heads(rooms)
        behind = {
            room_id: head
            for room_id, head in heads.items()
            if self.delivered.get(room_id) is not None
            and head > self.delivered[room_id]
        }
        if not behind:
            return
        # A message committed a moment ago may still be on its way through the
        # bus. Replaying it now would cost a database read and a duplicate
        # frame per socket, most of all when the process is overloaded and can
        # least afford it (bench/: duplicates under load): wait briefly first.
        await asyncio.sleep(self.repair_grace)
        for room_id, head in behind.items():
            seen = self.delivered.get(room_id)
            if seen is None or head <= seen:
                continue
            logger.info("hub repairs room %s: %s..%s", room_id, seen + 1, head)
            replay = await self.missed(room_id, seen, REPAIR_LIMIT)
            ahead = self.ahead.pop(room_id, set())
            self.delivered[room_id] = max(self.delivered.get(room_id, 0), head)
            if replay.too_many:
                for sink in list(self.rooms.get(room_id, ())):
                    sink.reload(room_id, head)
            else:
                # What arrived beyond the gap is not sent twice.
                missing = [e for e in entries_of(replay.events) if e[0] not in ahead]
                self._deliver(room_id, missing)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.subscription is not None:
            await self.subscription.close()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomHub] = (
    weakref.WeakKeyDictionary()
)
_replay_source: list[tuple[Callable, Callable]] = []


def set_replay_source(
    *,
    heads: Callable[[list[int]], dict[int, int]],
    missed: Callable[[int, int, int], Any],
) -> None:
    """Where the hubs read what they missed (the chat registers its store in
    `ChatConfig.ready`): see `RoomHub` for the two callables."""
    _replay_source[:] = [(heads, missed)]


def get_hub() -> RoomHub:
    """The hub of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        if not _replay_source:
            raise LookupError("no replay source registered (the chat does)")
        heads, missed = _replay_source[0]
        hub = RoomHub(heads=heads, missed=missed)
        _hubs[loop] = hub
    return hub
