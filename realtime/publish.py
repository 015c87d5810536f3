"""The one way events leave the application: after the transaction commits.

A broadcast is best effort; the database is the truth. Publishing after commit
means no client ever sees an event for data that was rolled back.

Room events (`chat.room.<id>` groups) go out on the room bus (realtime.bus):
encoded once, here, and one pipelined Redis PUBLISH for all rooms of a batch;
every process's room hub writes the texts as they came. Everything else (a
member's own events, watched threads, the review queue) goes through the
channel layer: one layer message per group carries one event (`{"type":
"realtime.event", "event": {...}}`) or several (`{"type": "realtime.events",
"events": [...]}`), in order.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime import groups as group_names
from realtime.bus import Entry, entry_of, get_bus

logger = logging.getLogger(__name__)

Event = dict[str, Any]
Rooms = dict[int, list[Entry]]
Groups = dict[str, list[Event]]


def publish_on_commit(event: Event, *, to: Iterable[str]) -> None:
    """Send `event` to the groups `to` once the current transaction commits."""
    groups = list(to)
    transaction.on_commit(lambda: _send([(event, groups)]))


def publish_many_on_commit(items: Iterable[tuple[Event, Iterable[str]]]) -> None:
    """Send several events at once after commit: one layer message per group,
    one bus round trip for all rooms, each group's events in the order given."""
    batch = [(event, list(groups)) for event, groups in items]
    if batch:
        transaction.on_commit(lambda: _send(batch))


async def publish_now(event: Event, *, to: Iterable[str]) -> None:
    """Ephemeral events (typing, presence) that no transaction stands behind."""
    rooms, others = _split([(event, list(to))])
    await _send_async(rooms, others)


def layer_message(events: list[Event]) -> dict[str, Any]:
    if len(events) == 1:
        return {"type": "realtime.event", "event": events[0]}
    return {"type": "realtime.events", "events": events}


def _split(batch: list[tuple[Event, list[str]]]) -> tuple[Rooms, Groups]:
    """Room events encoded for the bus (each event once), the rest by group."""
    rooms: Rooms = {}
    others: Groups = {}
    for event, groups in batch:
        entry = None
        for group in groups:
            room_id = group_names.chat_room_id(group)
            if room_id is None:
                others.setdefault(group, []).append(event)
                continue
            entry = entry or entry_of(event)
            rooms.setdefault(room_id, []).append(entry)
    return rooms, others


def _merge(into: tuple[Rooms, Groups], more: tuple[Rooms, Groups]) -> None:
    for target, source in zip(into, more, strict=True):
        for key, items in source.items():
            target.setdefault(key, []).extend(items)


class _Outbox:
    """Events committed on worker threads, handed to the server's event loop.

    Without it the thread that committed (the chat's group commit, a page's
    request) would wait for the Redis round trips of the publish before it
    could store the next batch. The loop sends what gathered meanwhile in one
    go, one flush after the other, so each room's and group's events keep
    their order.
    """

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pending: tuple[Rooms, Groups] = ({}, {})
        self.lock = threading.Lock()
        self.flushing = False

    def accepts(self) -> bool:
        """Is there a running server loop in another thread to hand events to?"""
        loop = self.loop
        if loop is None or not loop.is_running() or loop.is_closed():
            return False
        try:
            return asyncio.get_running_loop() is not loop
        except RuntimeError:
            return True

    def put(self, rooms: Rooms, others: Groups) -> bool:
        """Hand the events to the loop; False if the loop closed meanwhile."""
        with self.lock:
            _merge(self.pending, (rooms, others))
            if self.flushing:
                return True
            self.flushing = True
        try:
            # A fresh context: the flush must not run as if inside the
            # committing thread's sync_to_async call (asgiref would refuse the
            # database calls of what the flush sets off, "would deadlock").
            self.loop.call_soon_threadsafe(
                lambda: asyncio.ensure_future(self.flush()),
                context=contextvars.Context(),
            )
        except RuntimeError:  # the loop closed since `accepts` (shutdown)
            with self.lock:
                self.flushing = False
                self.pending = ({}, {})
            return False
        return True

    async def flush(self) -> None:
        while True:
            with self.lock:
                rooms, others = self.pending
                if not rooms and not others:
                    self.flushing = False
                    return
                self.pending = ({}, {})
            await _send_async(rooms, others)


_outbox = _Outbox()


def bind_loop() -> None:
    """Call from the server's event loop (a socket connecting): from then on
    events committed on worker threads are sent by this loop, and the thread
    does not wait for them. Without a bound loop (WSGI workers, management
    commands, tests without sockets) publishing waits, as before."""
    loop = asyncio.get_running_loop()
    if _outbox.loop is not loop:
        with _outbox.lock:
            # A flush of an earlier loop (a test's, now closed) never finishes.
            _outbox.loop = loop
            _outbox.flushing = False


def _send(batch: list[tuple[Event, list[str]]]) -> None:
    rooms, others = _split(batch)
    if _outbox.accepts() and _outbox.put(rooms, others):
        return
    if rooms:
        try:
            get_bus().publish(rooms)
        except Exception as error:
            _failed("rooms", error)
    if others:
        async_to_sync(_send_layer)(others)


async def _send_async(rooms: Rooms, others: Groups) -> None:
    if rooms:
        try:
            await get_bus().apublish(rooms)
        except Exception as error:
            # Delivery is best effort: the hubs' repair rounds deliver it.
            _failed("rooms", error)
    if others:
        await _send_layer(others)


async def _send_layer(by_group: Groups) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send(group: str, events: list[Event]) -> None:
        try:
            await layer.group_send(group, layer_message(events))
        except Exception as error:
            # Delivery is best effort: clients resync from the database.
            _failed(group, error)

    await asyncio.gather(*(send(g, events) for g, events in by_group.items()))


_last_warning = [0.0]


def _failed(where: str, error: Exception) -> None:
    """Log a failed publish, at most once a second as a warning: a Redis
    restart fails every publish until it is back."""
    now = time.monotonic()
    if now - _last_warning[0] >= 1.0:
        _last_warning[0] = now
        logger.warning("publish to %s failed: %s", where, error)
    else:
        logger.debug("publish to %s failed: %s", where, error)
