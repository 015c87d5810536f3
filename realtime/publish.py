"""The one way events leave the application: after the transaction commits.

A broadcast is best effort; the database is the truth. Publishing after commit
means no client ever sees an event for data that was rolled back.

A channel-layer message carries one event (`{"type": "realtime.event",
"event": {...}}`) or several for one group (`{"type": "realtime.events",
"events": [...]}`): a batch of chat messages stored in one transaction costs
one layer message per room, not one per message, and a group's events keep
their order.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

Event = dict[str, Any]


def publish_on_commit(event: Event, *, to: Iterable[str]) -> None:
    """Send `event` to the groups `to` once the current transaction commits."""
    groups = list(to)
    transaction.on_commit(lambda: _send([(event, groups)]))


def publish_many_on_commit(items: Iterable[tuple[Event, Iterable[str]]]) -> None:
    """Send several events at once after commit: one layer message per group,
    the groups' events in the order given, all groups concurrently."""
    batch = [(event, list(groups)) for event, groups in items]
    if batch:
        transaction.on_commit(lambda: _send(batch))


async def publish_now(event: Event, *, to: Iterable[str]) -> None:
    """Ephemeral events (typing, presence) that no transaction stands behind."""
    await _send_async(_by_group([(event, list(to))]))


def layer_message(events: list[Event]) -> dict[str, Any]:
    if len(events) == 1:
        return {"type": "realtime.event", "event": events[0]}
    return {"type": "realtime.events", "events": events}


def _by_group(batch: list[tuple[Event, list[str]]]) -> dict[str, list[Event]]:
    by_group: dict[str, list[Event]] = {}
    for event, groups in batch:
        for group in groups:
            by_group.setdefault(group, []).append(event)
    return by_group


class _Outbox:
    """Events committed on worker threads, handed to the server's event loop.

    Without it the thread that committed (the chat's group commit, a page's
    request) would wait for every Redis round trip of the publish before it
    could store the next batch. The loop sends what gathered meanwhile in one
    go, one flush after the other, so each group's events keep their order.
    """

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pending: list[tuple[Event, list[str]]] = []
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

    def put(self, batch: list[tuple[Event, list[str]]]) -> bool:
        """Hand `batch` to the loop; False if the loop closed meanwhile."""
        with self.lock:
            self.pending.extend(batch)
            if self.flushing:
                return True
            self.flushing = True
        try:
            self.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self.flush()))
        except RuntimeError:  # the loop closed since `accepts` (shutdown)
            with self.lock:
                self.flushing = False
                self.pending.clear()
            return False
        return True

    async def flush(self) -> None:
        while True:
            with self.lock:
                batch, self.pending = self.pending, []
                if not batch:
                    self.flushing = False
                    return
            await _send_async(_by_group(batch))


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
    if _outbox.accepts() and _outbox.put(batch):
        return
    by_group = _by_group(batch)
    if by_group:
        async_to_sync(_send_async)(by_group)


async def _send_async(by_group: dict[str, list[Event]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send(group: str, events: list[Event]) -> None:
        try:
            await layer.group_send(group, layer_message(events))
        except Exception:
            # Delivery is best effort: clients resync from the database.
            logger.exception("publish to %s failed", group)

    await asyncio.gather(*(send(g, events) for g, events in by_group.items()))
