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

A payload is one line of metadata (JSON: per event the seq of an added message
and the author of an ephemeral event, 0 where neither applies) and the events'
texts, one per line: JSON text never holds a raw line break.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.conf import settings

from realtime import groups

logger = logging.getLogger(__name__)

Event = dict[str, Any]
# (seq of a "chat.message" add or 0, user of a typing/presence event or 0, text)
Entry = tuple[int, int, str]
Listener = Callable[[int, list[Entry]], None]

EPHEMERAL = frozenset({"chat.typing", "chat.presence"})
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


# --- In-process (no Redis) -----------------------------------------------------


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


# --- Redis ---------------------------------------------------------------------


class RedisBus:
    def __init__(self, url: str) -> None:
        self.url = url
        self._sync = None
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def publish(self, rooms: dict[int, list[Entry]]) -> None:
        if self._sync is None:
            import redis

            self._sync = redis.Redis.from_url(self.url, socket_timeout=5)
        with self._sync.pipeline(transaction=False) as pipe:
            for room_id, entries in rooms.items():
                pipe.publish(channel(room_id), pack(entries))
            pipe.execute()

    async def apublish(self, rooms: dict[int, list[Entry]]) -> None:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            import redis.asyncio

            pool = redis.asyncio.BlockingConnectionPool.from_url(
                self.url, max_connections=50, timeout=5, socket_timeout=5
            )
            client = self._clients[loop] = redis.asyncio.Redis(connection_pool=pool)
        async with client.pipeline(transaction=False) as pipe:
            for room_id, entries in rooms.items():
                pipe.publish(channel(room_id), pack(entries))
            await pipe.execute()

    def subscription(
        self, on_entries: Listener, on_reconnect: Callable[[], None]
    ) -> RedisSubscription:
        return RedisSubscription(self.url, on_entries, on_reconnect)


class RedisSubscription:
    """One pub/sub connection per process, read by one task.

    A small RESP reader of its own: the connection carries nothing but
    subscription confirmations and messages, and redis-py's general client
    would spend more per message than the rest of the delivery. When the
    connection breaks (Redis restarted) it connects again within a second,
    subscribes to every room again and calls `on_reconnect`, so the hub
    repairs at once what was published meanwhile.
    """

    RETRY_MAX = 1.0

    def __init__(
        self, url: str, on_entries: Listener, on_reconnect: Callable[[], None]
    ) -> None:
        from redis.asyncio.connection import parse_url

        self.options = parse_url(url)
        self.tls = url.startswith("rediss://")
        self.on_entries = on_entries
        self.on_reconnect = on_reconnect
        self.rooms: set[int] = set()
        self.confirming: dict[str, list[asyncio.Future]] = {}
        self.writer: asyncio.StreamWriter | None = None
        self.connected = asyncio.Event()
        self.reader_task: asyncio.Task | None = None

    async def subscribe(self, room_id: int) -> None:
        self._start()
        name = channel(room_id)
        self.rooms.add(room_id)
        confirmed = asyncio.get_running_loop().create_future()
        self.confirming.setdefault(name, []).append(confirmed)
        await asyncio.wait_for(self.connected.wait(), timeout=5)
        self._command("SUBSCRIBE", name)
        # Confirmed by the reader: from then on the room's events arrive.
        await asyncio.wait_for(asyncio.shield(confirmed), timeout=5)

    async def unsubscribe(self, room_id: int) -> None:
        self.rooms.discard(room_id)
        if self.connected.is_set():
            self._command("UNSUBSCRIBE", channel(room_id))

    async def close(self) -> None:
        if self.reader_task is not None:
            self.reader_task.cancel()
            with contextlib.suppress(BaseException):
                await self.reader_task
        if self.writer is not None:
            self.writer.close()

    def _start(self) -> None:
        if self.reader_task is None or self.reader_task.done():
            self.reader_task = asyncio.get_running_loop().create_task(
                self._run(), name="bus-subscription"
            )

    def _command(self, *parts: str) -> None:
        encoded = [part.encode() for part in parts]
        frame = b"*%d\r\n" % len(encoded) + b"".join(
            b"$%d\r\n%s\r\n" % (len(part), part) for part in encoded
        )
        self.writer.write(frame)

    async def _run(self) -> None:
        backoff, down_since, first = 0.05, None, True
        while True:
            try:
                reader = await self._connect()
                if self.rooms:
                    self._command("SUBSCRIBE", *(channel(r) for r in self.rooms))
                self.connected.set()
                if down_since is not None:
                    logger.warning(
                        "room events: Redis is back after %.1f s",
                        asyncio.get_running_loop().time() - down_since,
                    )
                if not first:
                    self.on_reconnect()
                first, backoff, down_since = False, 0.05, None
                await self._read(reader)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.connected.clear()
                if down_since is None:
                    down_since = asyncio.get_running_loop().time()
                    logger.warning("room events: Redis unreachable (%s)", error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.RETRY_MAX)

    async def _connect(self) -> asyncio.StreamReader:
        options = self.options
        if self.writer is not None:
            self.writer.close()
        if options.get("path"):
            reader, writer = await asyncio.open_unix_connection(options["path"])
        else:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    options.get("host", "localhost"),
                    options.get("port", 6379),
                    ssl=ssl.create_default_context() if self.tls else None,
                ),
                timeout=5,
            )
        self.writer = writer
        if options.get("password"):
            username = options.get("username")
            self._command("AUTH", *filter(None, [username, options["password"]]))
            reply = await reader.readline()
            if not reply.startswith(b"+"):
                raise ConnectionError(reply.decode(errors="replace").strip())
        return reader

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while True:
            head = await reader.readline()
            if not head:
                raise ConnectionError("connection closed")
            if head[:1] != b"*":
                if head[:1] == b"-":
                    logger.warning("room events: %s", head.decode().strip())
                continue
            parts = []
            for _ in range(int(head[1:])):
                kind = await reader.readline()
                if kind[:1] == b"$":
                    size = int(kind[1:])
                    parts.append((await reader.readexactly(size + 2))[:-2])
                else:
                    parts.append(kind[1:-2])
            self._dispatch(parts)

    def _dispatch(self, parts: list[bytes]) -> None:
        kind = parts[0]
        if kind == b"message":
            try:
                self.on_entries(room_of(parts[1].decode()), unpack(parts[2].decode()))
            except Exception:
                logger.exception("room event not delivered")
        elif kind == b"subscribe":
            for waiting in self.confirming.pop(parts[1].decode(), ()):
                if not waiting.done():
                    waiting.set_result(None)


_buses: dict[str, Bus] = {}


def get_bus() -> Bus:
    """The bus of this process's configuration (Redis if REDIS_URL is set)."""
    url = settings.REDIS_URL
    bus = _buses.get(url)
    if bus is None:
        bus = _buses[url] = RedisBus(url) if url else LocalBus()
    return bus
