"""A chat client written against docs/protocol.md, for the fault suite.

It does what the protocol asks of a client: reconnect with backoff (to the
next server when one is gone), subscribe again with `since` set to the last
contiguous seq it holds, send every unacknowledged send again with the same
`client_id`, de-duplicate by id, and fetch a gap by subscribing again when
n + 2 arrives without n + 1 for 0.7 s, and load the history over HTTP when a
`reload` says more was missed than a subscribe replays. It records what it
held, so the suite can compare it with the database afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
import urllib.request
import uuid

# A subscribe replays at most this many missed messages (docs/protocol.md).
REPLAY_LIMIT = 200


class ChatClient:
    def __init__(
        self,
        name: str,
        cookie: str,
        rooms: list[int],
        ports: list[int],
        *,
        max_queue: int | None = None,
    ) -> None:
        self.name, self.cookie, self.rooms = name, cookie, rooms
        self.ports = ports
        self.port = random.randrange(len(ports))
        self.max_queue = max_queue
        self.held: dict[int, dict[int, int]] = {room: {} for room in rooms}
        self.arrived: dict[int, float] = {}  # message id -> first arrival
        self.duplicate_frames = 0
        self.gaps_seen = 0
        self.pending: dict[str, dict] = {}  # client_id -> send frame
        self.acks: dict[str, dict] = {}
        self.connects = 0
        self.ws = None
        self.reading = asyncio.Event()
        self.reading.set()
        self.stopped = False
        self.task: asyncio.Task | None = None
        self.gap_checks: set[int] = set()
        self.background: set[asyncio.Task] = set()

    def contiguous(self, room: int) -> int:
        held, n = self.held[room], 0
        while n + 1 in held:
            n += 1
        return n

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name=self.name)

    async def stop(self) -> None:
        self.stopped = True
        if self.ws is not None:
            await self.ws.close()
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)

    async def drop(self) -> None:
        """Close the socket as a broken link would; the client reconnects."""
        if self.ws is not None:
            await self.ws.close()

    async def run(self) -> None:
        backoff = 0.25
        while not self.stopped:
            try:
                await self.session()
                backoff = 0.25
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: S110 - any failure means: reconnect
                pass
            if self.stopped:
                return
            self.port = (self.port + 1) % len(self.ports)
            await asyncio.sleep(random.uniform(backoff, backoff * 2))
            backoff = min(backoff * 2, 4.0)

    async def session(self) -> None:
        from websockets.asyncio.client import connect

        port = self.ports[self.port]
        ws = await connect(
            f"ws://127.0.0.1:{port}/ws/",
            open_timeout=10,
            ping_interval=None,
            additional_headers={
                "Origin": f"http://127.0.0.1:{port}",
                "Cookie": f"sessionid={self.cookie}",
            },
            max_queue=self.max_queue,
            compression=None,
        )
        try:
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello", hello
            self.ws = ws
            self.connects += 1
            for room in self.rooms:
                await self.subscribe(room)
            for frame in list(self.pending.values()):
                await ws.send(json.dumps(frame))
            pinger = asyncio.create_task(self.ping(ws))
            try:
                while True:
                    await self.reading.wait()
                    self.receive(json.loads(await ws.recv()))
            finally:
                pinger.cancel()
        finally:
            self.ws = None
            await ws.close()

    async def ping(self, ws) -> None:
        while True:
            await asyncio.sleep(10)
            await ws.send('{"type":"ping"}')

    async def subscribe(self, room: int) -> None:
        if self.ws is not None:
            frame = {"type": "subscribe", "room": room, "since": self.contiguous(room)}
            await self.ws.send(json.dumps(frame))

    async def send(self, room: int, body: str, client_id: str | None = None) -> str:
        client_id = client_id or uuid.uuid4().hex
        frame = {"type": "send", "room": room, "client_id": client_id, "body": body}
        self.pending[client_id] = frame
        if self.ws is not None:
            # On failure it is sent again after reconnecting.
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps(frame))
        return client_id

    def receive(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "ack":
            self.pending.pop(frame["client_id"], None)
            self.acks[frame["client_id"]] = frame
        elif kind == "error" and frame.get("client_id") in self.pending:
            if frame.get("code") not in ("unavailable", "conflict", "rate_limited"):
                self.pending.pop(frame["client_id"])  # refused for good
        elif kind == "reload":
            self.later(self.reload(frame["room"], frame["seq"]))
        elif kind == "chat.message" and frame.get("op") == "add":
            message = frame["message"]
            room, seq = message["room"], message["seq"]
            if room not in self.held:
                return
            if seq in self.held[room]:
                self.duplicate_frames += 1
                return
            self.held[room][seq] = message["id"]
            self.arrived.setdefault(message["id"], time.time())
            if seq > self.contiguous(room) + 1 and room not in self.gap_checks:
                self.gaps_seen += 1
                self.gap_checks.add(room)
                self.later(self.heal(room, seq))

    def later(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def reload(self, room: int, head: int) -> None:
        """More was missed than a subscribe replays: load the history over
        HTTP back to what is held, then subscribe again from there."""
        if room in self.held and head - self.contiguous(room) > REPLAY_LIMIT:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.load_history, room, head)
        await self.subscribe(room)

    def load_history(self, room: int, head: int) -> None:
        port = self.ports[self.port]
        before = head + 1
        while before > self.contiguous(room) + 1:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/chat/{room}/verlauf/?vor={before}",
                headers={"Cookie": f"sessionid={self.cookie}"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                page = json.loads(response.read())
            for message in page["messages"]:
                self.held[room].setdefault(message["seq"], message["id"])
                self.arrived.setdefault(message["id"], time.time())
            if not page["messages"] or not page["has_more"]:
                return
            before = page["messages"][0]["seq"]

    async def heal(self, room: int, seq: int) -> None:
        await asyncio.sleep(0.7)
        self.gap_checks.discard(room)
        if self.contiguous(room) < seq - 1:
            await self.subscribe(room)
