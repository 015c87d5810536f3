"""The room bus on Redis pub/sub: every server process on one Redis."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import weakref
from collections.abc import Callable

from realtime.bus.entries import Entry, channel, pack, room_of, unpack

logger = logging.getLogger(__name__)

Listener = Callable[[int, list[Entry]], None]


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
