"""A socket's outgoing frames: written at once, queued only for a slow reader.

The room hub hands each event to every local socket of the room; it must never
wait on one of them. Writing through the server's own ASGI `send` completes at
once as long as the client reads (Daphne buffers in Twisted; uvicorn waits only
when the transport's buffer is full), so a frame is written by starting the
`send` coroutine by hand: if it finishes in that first step, nothing else
happens (the usual case, no task, no queue). If it has to wait (the client
stopped reading), a task finishes it, and later frames queue behind it.

The queue is bounded: past MAX_QUEUED_BYTES the socket's queued room events are
dropped and, once it drains, each room it missed events of is told to resync
(`dropped`), which costs that one socket a replay and nobody else anything.
Frames that are not room events (answers, acks, errors) are never dropped.
"""

from __future__ import annotations

import asyncio
import logging
import types
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

logger = logging.getLogger(__name__)

# About a minute of a busy room at full speed; a slow reader beyond it resyncs.
MAX_QUEUED_BYTES = 1_000_000

Send = Callable[[dict[str, Any]], Awaitable[None]]


@types.coroutine
def _resume(coroutine: Coroutine, waiting_on: Any):
    """Finish `coroutine`, which was started by hand and is suspended on
    `waiting_on` (what its first step yielded): the task running this waits
    for that, then drives the coroutine on, as if it had run in the task."""
    while True:
        try:
            value = yield waiting_on
        except BaseException as error:
            try:
                waiting_on = coroutine.throw(error)
            except StopIteration as stop:
                return stop.value
            continue
        try:
            waiting_on = coroutine.send(value)
        except StopIteration as stop:
            return stop.value


class Outbox:
    def __init__(
        self,
        send: Send,
        *,
        dropped: Callable[[set[int]], None],
        max_bytes: int = MAX_QUEUED_BYTES,
    ) -> None:
        """`send` is the server's ASGI send; `dropped(room_ids)` is called
        (once the socket drained) with the rooms whose events were dropped."""
        self.send = send
        self.dropped = dropped
        self.max_bytes = max_bytes
        self.queue: deque[tuple[str, int | None]] = deque()
        self.queued_bytes = 0
        self.dropped_rooms: set[int] = set()
        self.writer: asyncio.Task | None = None
        self.closed = False
        self.dropped_total = 0  # room events dropped so far (for the log)

    @property
    def busy(self) -> bool:
        return self.writer is not None

    def write(self, text: str, room_id: int | None = None) -> None:
        """Send a text frame; `room_id` marks a room event (droppable)."""
        if self.closed:
            return
        if self.writer is not None:
            self.queue.append((text, room_id))
            self.queued_bytes += len(text)
            if self.queued_bytes > self.max_bytes:
                self._drop_room_events()
            return
        coroutine = self.send({"type": "websocket.send", "text": text})
        try:
            waiting_on = coroutine.send(None)
        except StopIteration:
            return
        except Exception as error:
            self._failed(error)
            return
        self.writer = asyncio.get_running_loop().create_task(
            self._finish(coroutine, waiting_on), name="socket-outbox"
        )

    async def _finish(self, coroutine: Coroutine, waiting_on: Any) -> None:
        try:
            await _resume(coroutine, waiting_on)
            while self.queue or self.dropped_rooms:
                while self.queue:
                    text, _ = self.queue.popleft()
                    self.queued_bytes -= len(text)
                    await self.send({"type": "websocket.send", "text": text})
                if self.dropped_rooms:
                    rooms, self.dropped_rooms = self.dropped_rooms, set()
                    # Queues the resync frames behind what is left, if any.
                    self.dropped(rooms)
        except asyncio.CancelledError:
            coroutine.close()
            raise
        except Exception as error:
            self._failed(error)
        finally:
            self.writer = None

    def _drop_room_events(self) -> None:
        kept: deque[tuple[str, int | None]] = deque()
        for text, room_id in self.queue:
            if room_id is None:
                kept.append((text, room_id))
            else:
                self.dropped_rooms.add(room_id)
                self.dropped_total += 1
        dropped = len(self.queue) - len(kept)
        self.queue = kept
        self.queued_bytes = sum(len(text) for text, _ in kept)
        logger.info(
            "slow socket: %d room events dropped (rooms %s resync)",
            dropped,
            sorted(self.dropped_rooms),
        )

    def _failed(self, error: Exception) -> None:
        # The client is gone (the server raises on a closed connection); the
        # consumer's disconnect cleans up.
        logger.debug("socket write failed: %s", error)
        self.closed = True
        self.queue.clear()
        self.queued_bytes = 0

    async def drain(self, timeout: float) -> None:
        """Wait (at most `timeout` seconds) until everything queued is written."""
        writer = self.writer
        if writer is not None:
            await asyncio.wait({writer}, timeout=timeout)

    def close(self) -> None:
        self.closed = True
        self.queue.clear()
        if self.writer is not None:
            self.writer.cancel()
