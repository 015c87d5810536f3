"""The per-process room hub: fan-out without one layer message per member.

Each server process (event loop) has one hub with one channel-layer channel.
When the first local socket subscribes to a room, the hub adds its channel to
the room's group; every event published to the room then arrives here once
per process, is JSON-encoded once, and the same text is written to every local
socket in the room. A message to a room of 10 members spread over two
processes costs two layer messages, not ten.

The layer is at-most-once (channels-redis drops what it cannot deliver, and a
Redis restart forgets group memberships). So every REALTIME_REPAIR_INTERVAL
seconds (a setting) the hub renews its group memberships and compares each
local room's last sequence number in the database with the last one it
delivered; messages it never saw are read from the database and delivered late
rather than never (clients de-duplicate by id). A stored message therefore
reaches every subscribed socket even if its broadcast was lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from realtime import groups

logger = logging.getLogger(__name__)

# At most this many missed messages are repaired per room; beyond it the
# sockets are told to reload the room's history.
REPAIR_LIMIT = 200
# Seconds a message may be behind its broadcast before the repair round
# delivers it from the database.
REPAIR_GRACE = 1.0

Event = dict[str, Any]


class Sink(Protocol):
    """A local socket subscribed to rooms (the consumer)."""

    async def deliver(
        self, room_id: int, events: list[Event], texts: list[str]
    ) -> None:
        """Write the events (already encoded as `texts`) to the socket."""

    async def reload(self, room_id: int, head: int) -> None:
        """Tell the socket it missed too much of the room to be caught up."""


def encode(event: Event) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


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
        self.layer = get_channel_layer()
        self.heads = database_sync_to_async(heads)
        self.missed = database_sync_to_async(missed)
        self.repair_interval = repair_interval or settings.REALTIME_REPAIR_INTERVAL
        self.repair_grace = min(REPAIR_GRACE, self.repair_interval / 4)
        self.channel: str | None = None
        self.rooms: dict[int, set[Sink]] = {}
        # The group_add of a room, awaited by every joiner of that room.
        self.joined: dict[int, asyncio.Task] = {}
        # Per room, the seq up to which every message was delivered (None: not
        # known yet), and the seqs delivered live beyond it: a lost broadcast
        # leaves a gap below those, which the repair round fills.
        self.delivered: dict[int, int] = {}
        self.ahead: dict[int, set[int]] = {}
        self.tasks: list[asyncio.Task] = []
        self.started = asyncio.Lock()

    async def _start(self) -> None:
        async with self.started:
            if self.channel is not None:
                return
            self.channel = await self.layer.new_channel()
            self.tasks = [
                asyncio.create_task(self._receive_loop(), name="hub-receive"),
                asyncio.create_task(self._repair_loop(), name="hub-repair"),
            ]

    async def join(self, room_id: int, sink: Sink) -> None:
        """Subscribe `sink` to the room; returns once the process receives the
        room's events (so a replay read afterwards misses nothing)."""
        await self._start()
        if room_id not in self.joined:
            self.joined[room_id] = asyncio.create_task(self._group_add(room_id))
        self.rooms.setdefault(room_id, set()).add(sink)
        try:
            await asyncio.shield(self.joined[room_id])
        except Exception:
            self.rooms[room_id].discard(sink)
            self.joined.pop(room_id, None)
            raise

    async def _group_add(self, room_id: int) -> None:
        await self.layer.group_add(groups.chat_room(room_id), self.channel)

    def leave(self, room_id: int, sink: Sink) -> None:
        """Unsubscribe; the group membership goes at the next repair round if
        nobody local subscribed again meanwhile."""
        sinks = self.rooms.get(room_id)
        if sinks is not None:
            sinks.discard(sink)

    def note_head(self, room_id: int, seq: int) -> None:
        """A subscriber read the room up to `seq` from the database."""
        self._delivered_up_to(room_id, seq)

    def _delivered_up_to(self, room_id: int, seq: int) -> None:
        done = max(self.delivered.get(room_id, 0), seq)
        ahead = {later for later in self.ahead.pop(room_id, ()) if later > done}
        while done + 1 in ahead:
            done += 1
            ahead.discard(done)
        self.delivered[room_id] = done
        if ahead:
            self.ahead[room_id] = ahead

    def _delivered_live(self, room_id: int, seq: int) -> None:
        done = self.delivered.get(room_id)
        if done is None or seq == done + 1:
            self._delivered_up_to(room_id, seq)
        elif seq > done:
            # A gap (or messages overtaking each other on the way): the high
            # mark stays below it, so the repair round sees what is missing.
            self.ahead.setdefault(room_id, set()).add(seq)

    async def _receive_loop(self) -> None:
        backoff = 0.1
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # Redis gone: try again; the repair round catches up afterwards.
                logger.warning("hub cannot receive (%s), retrying", error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.1
            if message.get("type") == "realtime.events":
                events = message.get("events", [])
            else:
                events = [message.get("event", {})]
            await self.fan_out(events)

    async def fan_out(self, events: list[Event]) -> None:
        by_room: dict[int, list[Event]] = {}
        for event in events:
            room_id = event.get("room")
            if isinstance(room_id, int):
                by_room.setdefault(room_id, []).append(event)
        for room_id, room_events in by_room.items():
            for event in room_events:
                if event.get("type") == "chat.message" and event.get("op") == "add":
                    self._delivered_live(room_id, event["message"]["seq"])
            await self._deliver(room_id, room_events)

    async def _deliver(self, room_id: int, events: list[Event]) -> None:
        sinks = list(self.rooms.get(room_id, ()))
        if not sinks:
            return
        texts = [encode(event) for event in events]
        for sink in sinks:
            try:
                await sink.deliver(room_id, events, texts)
            except Exception:
                logger.exception("delivery to a socket failed")

    async def _repair_loop(self) -> None:
        while True:
            await asyncio.sleep(self.repair_interval)
            try:
                await self.repair()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("hub repair round failed: %s", error)

    async def repair(self) -> None:
        """Renew group memberships, drop unused rooms, deliver lost messages."""
        for room_id in [r for r, sinks in self.rooms.items() if not sinks]:
            del self.rooms[room_id]
            self.joined.pop(room_id, None)
            self.delivered.pop(room_id, None)
            self.ahead.pop(room_id, None)
            await self.layer.group_discard(groups.chat_room(room_id), self.channel)
        rooms = list(self.rooms)
        if not rooms:
            return
        for room_id in rooms:
            # Redis may have restarted (forgetting groups), or the group expired.
            await self.layer.group_add(groups.chat_room(room_id), self.channel)
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
        # layer. Replaying it now would cost a database read and a duplicate
        # frame per socket, most of all when the process is overloaded and can
        # least afford it (bench/: duplicates under load): wait briefly first.
        await asyncio.sleep(self.repair_grace)
        for room_id, head in behind.items():
            seen = self.delivered.get(room_id)
            if seen is None or head <= seen:
                continue
            logger.info("hub repairs room %s: %s..%s", room_id, seen + 1, head)
            replay = await self.missed(room_id, seen, REPAIR_LIMIT)
            # Those that came live past the gap meanwhile are not sent twice.
            arrived = self.ahead.get(room_id, set())
            self._delivered_up_to(room_id, head)
            if replay.too_many:
                for sink in list(self.rooms.get(room_id, ())):
                    await sink.reload(room_id, head)
            else:
                missed = [
                    event
                    for event in replay.events
                    if event["message"]["seq"] not in arrived
                ]
                await self._deliver(room_id, missed)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()


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
