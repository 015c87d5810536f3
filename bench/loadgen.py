"""Open-loop WebSocket load from several generator processes.

Each generator process holds a share of the clients (whole rooms where it can)
and, per step, sends its share of every room's messages on a fixed schedule:
message n of a room is due at start + phase(room) + n / rate, rooms out of
phase, and is sent by member n % size. Latency is measured from that intended
time, so a slow server cannot slow the senders down and hide its own delay.
The first `warmup` seconds of a step are sent but not measured.

Two dialects: `platform` speaks docs/protocol.md (signed-in session cookie,
subscribe, send with client_id, ack); `raw` joins `/ws/?room=N` and sends the
payload as the frame (the references in bench/references/).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import multiprocessing
import time
import uuid
from collections import Counter
from dataclasses import dataclass

CONNECT_AT_ONCE = 50


@dataclass
class Plan:
    """One generator's share: (room, index, cookie, port) per client."""

    platform: bool
    clients: list[tuple[int, int, str, int]]
    sizes: dict[int, int]  # room -> members in the whole room
    phases: dict[int, float]  # room -> position in [0, 1) for the phase


class Step:
    def __init__(self, key: int, warmup_until: float) -> None:
        self.key, self.warmup_until = key, warmup_until
        self.sent: list[str] = []
        self.received: Counter[str] = Counter()
        self.seen: set[tuple[str, int, int]] = set()
        self.duplicates = 0
        self.latencies: list[float] = []
        self.acks: list[float] = []
        self.planned: dict[str, float] = {}
        self.refused: list[str] = []

    def result(self) -> dict:
        return {
            "sent": self.sent,
            "received": dict(self.received),
            "duplicates": self.duplicates,
            "latencies": self.latencies,
            "acks": self.acks,
            "refused": self.refused,
        }


class Generator:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.sockets: dict[tuple[int, int], object] = {}
        self.readers: list[asyncio.Task] = []
        self.step = Step(-1, 0.0)
        self.failures = 0
        self.connect_times: list[float] = []

    async def open_one(self, room: int, index: int, cookie: str, port: int) -> None:
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{port}/ws/"
        headers = {"Origin": f"http://127.0.0.1:{port}"}
        if self.plan.platform:
            headers["Cookie"] = f"sessionid={cookie}"
        else:
            url += f"?room={room}"
        began = time.time()
        ws = await connect(
            url,
            additional_headers=headers,
            max_queue=None,
            ping_interval=None,
            open_timeout=30,
            compression=None,
        )
        if self.plan.platform:
            json.loads(await ws.recv())  # hello
            await ws.send(json.dumps({"type": "subscribe", "room": room}))
            while json.loads(await ws.recv())["type"] != "subscribed":
                pass
        self.connect_times.append(time.time() - began)
        self.sockets[room, index] = ws
        self.readers.append(asyncio.create_task(self.read(ws, index)))

    async def open(self, per_second: float = 0.0) -> None:
        """Connect every client: as fast as possible (CONNECT_AT_ONCE in
        flight), or open-loop at `per_second` (the connect storm)."""
        gate = asyncio.Semaphore(CONNECT_AT_ONCE if not per_second else 10_000)
        start = time.time()

        async def one(n: int, client) -> None:
            if per_second:
                await asyncio.sleep(max(0.0, start + n / per_second - time.time()))
            async with gate:
                try:
                    await self.open_one(*client)
                except Exception:
                    self.failures += 1

        await asyncio.gather(*(one(n, c) for n, c in enumerate(self.plan.clients)))

    async def read(self, ws, index: int) -> None:
        try:
            async for text in ws:
                self.receive(text, index)
        except Exception:  # noqa: S110 - a closed socket ends its reader
            pass

    def receive(self, text: str, index: int) -> None:
        step = self.step
        if self.plan.platform:
            frame = json.loads(text)
            kind = frame.get("type")
            if kind == "ack":
                planned = step.planned.pop(frame["client_id"], None)
                if planned is not None and planned >= step.warmup_until:
                    step.acks.append(time.time() - planned)
                return
            if kind == "error" and "client_id" in frame:
                step.refused.append(frame["client_id"])
                return
            if kind != "chat.message" or frame.get("op") != "add":
                return
            payload = json.loads(frame["message"]["body"])
        else:
            payload = json.loads(text)
        if payload["k"] != step.key or payload["s"] == index:
            return
        message = payload["id"]
        key = (message, payload["r"], index)
        if key in step.seen:
            step.duplicates += 1
            return
        step.seen.add(key)
        step.received[message] += 1
        if payload["t"] >= step.warmup_until:
            step.latencies.append(time.time() - payload["t"])

    async def run(
        self,
        key: int,
        room_rate: float,
        start: float,
        warmup: float,
        seconds: float,
        drain: float,
    ) -> dict:
        step = self.step = Step(key, start + warmup)
        own: dict[int, set[int]] = {}
        for room, index, _, _ in self.plan.clients:
            own.setdefault(room, set()).add(index)

        async def room_sender(room: int, indexes: set[int]) -> None:
            size = self.plan.sizes[room]
            phase = self.plan.phases[room] / room_rate
            # Every message planned inside the step: start + phase + n / rate
            # before start + seconds, so the offered rate is what was asked.
            for n in range(max(0, math.ceil((seconds - phase) * room_rate))):
                sender = n % size
                if sender not in indexes:
                    continue
                planned = start + phase + n / room_rate
                delay = planned - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                message = f"{room}-{n}"
                text = json.dumps(
                    {"t": planned, "id": message, "s": sender, "r": room, "k": key}
                )
                if self.plan.platform:
                    client_id = uuid.uuid4().hex
                    step.planned[client_id] = planned
                    text = json.dumps(
                        {
                            "type": "send",
                            "room": room,
                            "client_id": client_id,
                            "body": text,
                        }
                    )
                try:
                    await self.sockets[room, sender].send(text)
                except Exception:
                    step.refused.append(message)
                    continue
                step.sent.append(message)

        await asyncio.gather(*(room_sender(r, i) for r, i in own.items()))
        await asyncio.sleep(max(0.0, start + seconds + drain - time.time()))
        return step.result()

    async def close(self) -> None:
        for ws in self.sockets.values():
            await ws.close()
        for reader in self.readers:
            reader.cancel()


def _serve(connection, plan: Plan) -> None:
    """A generator process: obey commands from the coordinator until close."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    async def main() -> None:
        generator = Generator(plan)
        loop = asyncio.get_running_loop()
        while True:
            command, arguments = await loop.run_in_executor(None, connection.recv)
            if command == "open":
                await generator.open(**arguments)
                connection.send(
                    {
                        "failures": generator.failures,
                        "connect": generator.connect_times,
                        "connected": list(generator.sockets),
                    }
                )
            elif command == "step":
                connection.send(await generator.run(**arguments))
            elif command == "close":
                await generator.close()
                connection.send(None)
                return

    asyncio.run(main())


class Generators:
    """`count` generator processes, each with a share of the plan's clients.
    Rooms are kept whole in one process unless a room is larger than a share.
    """

    def __init__(self, plan: Plan, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        shares: list[list] = [[] for _ in range(count)]
        for n, client in enumerate(sorted(plan.clients)):
            room_whole = plan.sizes[client[0]] * count <= len(plan.clients)
            shares[(hash(client[0]) if room_whole else n) % count].append(client)
        self.pipes, self.processes = [], []
        for share in shares:
            if not share:
                continue
            ours, theirs = context.Pipe()
            sub = Plan(plan.platform, share, plan.sizes, plan.phases)
            process = context.Process(target=_serve, args=(theirs, sub), daemon=True)
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)

    def call(self, command: str, timeout: float = 300, **arguments) -> list:
        for pipe in self.pipes:
            pipe.send((command, arguments))
        answers = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise TimeoutError(f"a load generator did not answer {command}")
            answers.append(pipe.recv())
        return answers

    def close(self) -> None:
        # Whatever happens, the processes are ended below.
        with contextlib.suppress(Exception):
            self.call("close", timeout=30)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
