"""`python -m bench faults`: nothing lost, nothing stored twice, under faults.

Each fault runs against two Daphne processes on one Redis and PostgreSQL,
with traffic running (open loop, every room), clients that follow
docs/protocol.md (bench/chatclient.py). Afterwards every client must hold
every stored message of its rooms, every send must be stored exactly once,
and the recovery time is how long after the fault (or its repair) it took
until every client held every message stored up to then.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass

from bench import seed
from bench.chatclient import ChatClient
from bench.faultcases import CASES
from bench.servers import Stack

APP = "zukunftsraum.asgi:application"


@dataclass(frozen=True)
class Size:
    stable: int  # clients that stay connected
    reconnecting: int  # clients of the reconnect-loop fault
    room_size: int
    room_rate: float  # messages per room per second, background traffic
    before: float  # seconds of traffic before the fault
    during: float  # seconds the fault lasts
    after: float  # seconds of traffic after it
    recovery_timeout: float
    burst: int
    retries: int
    # The hub's repair round (production: 10 s); smoke runs shorten it.
    repair_interval: float = 10.0


SMOKE = Size(10, 5, 5, 2.0, 0.5, 1.5, 0.5, 25.0, 100, 3, repair_interval=1.0)
QUICK = Size(200, 50, 10, 1.0, 3.0, 6.0, 3.0, 40.0, 500, 20)
FULL = Size(200, 50, 10, 2.0, 5.0, 15.0, 10.0, 60.0, 500, 50)
SIZES = {"smoke": SMOKE, "quick": QUICK, "full": FULL}


class Scene:
    """Rooms, clients, traffic and the servers of one fault."""

    def __init__(self, stack: Stack, size: Size, name: str, ports: list[int]) -> None:
        self.stack, self.size, self.name, self.ports = stack, size, name, ports
        self.clients: list[ChatClient] = []
        self.rooms: list[list] = []
        self.sent: list[tuple[ChatClient, str]] = []  # (client, client_id)
        self.traffic: asyncio.Task | None = None

    async def populate(self, count: int, **options) -> list[ChatClient]:
        rooms = await asyncio.to_thread(
            seed.chat_rooms,
            f"f-{self.name}-{len(self.rooms)}-",
            max(count // self.size.room_size, 1),
            min(count, self.size.room_size),
        )
        self.rooms += rooms
        made = []
        for room in rooms:
            for member in room:
                client = ChatClient(
                    f"{self.name}-{member.user}",
                    member.cookie,
                    [member.room],
                    self.ports,
                    **options,
                )
                made.append(client)
        self.clients += made
        for client in made:
            client.start()
        await self.settled(made)
        return made

    async def settled(self, clients, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while any(c.ws is None for c in clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    def members(self, room_id: int) -> list[ChatClient]:
        return [c for c in self.clients if room_id in c.rooms]

    async def say_in(
        self, room_id: int, n: int, client: ChatClient | None = None, pad: int = 0
    ) -> None:
        sender = client or random.choice(self.members(room_id))
        body = f"{self.name} {room_id} {n} {time.time():.3f} " + "Bürgerbus " * pad
        self.sent.append((sender, await sender.send(room_id, body.strip())))

    def start_traffic(
        self, rooms: list[int] | None = None, rate: float | None = None, pad: int = 0
    ) -> None:
        """Every room's messages on a fixed schedule, rooms out of phase;
        `pad` words of padding make the frames larger."""
        rooms = rooms or [room[0].room for room in self.rooms]
        rate = rate or self.size.room_rate

        async def room(position: int, room_id: int) -> None:
            start = time.time() + position / len(rooms) / rate
            for n in range(100_000):
                await asyncio.sleep(max(0.0, start + n / rate - time.time()))
                await self.say_in(room_id, n, pad=pad)

        async def all_rooms() -> None:
            await asyncio.gather(*(room(n, r) for n, r in enumerate(rooms)))

        self.traffic = asyncio.create_task(all_rooms())

    async def stop_traffic(self) -> None:
        if self.traffic is not None:
            self.traffic.cancel()
            await asyncio.gather(self.traffic, return_exceptions=True)

    async def heads(self) -> dict[int, int]:
        from bench.seed import stored_messages

        stored = await asyncio.to_thread(stored_messages, self.room_ids())
        return {room: (rows[-1][0] if rows else 0) for room, rows in stored.items()}

    def room_ids(self) -> list[int]:
        return [room[0].room for room in self.rooms]

    def watch(self, since: float, heads: dict[int, int]) -> asyncio.Task:
        """Start timing the recovery now, while traffic goes on."""
        return asyncio.create_task(self.recovered(since, heads))

    async def recovered(self, since: float, heads: dict[int, int]) -> float | None:
        """Seconds from `since` until every client holds every message up to
        `heads`, or None if not within the timeout."""
        deadline = since + self.size.recovery_timeout
        while time.time() < deadline:
            if all(c.contiguous(r) >= heads[r] for c in self.clients for r in c.rooms):
                return round(time.time() - since, 2)
            await asyncio.sleep(0.1)
        return None

    async def verdict(self, recovery: float | None, note: str = "") -> dict:
        """Wait for every send to be acknowledged and every client to catch up,
        then compare with the database."""
        deadline = time.time() + self.size.recovery_timeout
        while any(c.pending for c in self.clients) and time.time() < deadline:
            await asyncio.sleep(0.1)
        final = await self.heads()
        await self.recovered(time.time(), final)
        stored = await asyncio.to_thread(seed.stored_messages, self.room_ids())
        ours = {cid for _, cid in self.sent}
        rows = [(cid, body) for r in stored.values() for _, cid, body in r]
        stored_ids = Counter(cid for cid, _ in rows if cid in ours)
        bodies = Counter(body for cid, body in rows if cid in ours)
        lost_sends = len(ours - set(stored_ids))
        held = [sum(len(c.held[r]) for r in c.rooms) for c in self.clients]
        missing = sum(
            len({seq for seq, _, _ in stored[r]} - set(c.held[r]))
            for c in self.clients
            for r in c.rooms
        )
        result = {
            "fault": self.name,
            "sent": len(ours),
            "acked": sum(1 for c, cid in self.sent if cid in c.acks),
            "stored": sum(stored_ids.values()),
            "clients": len(self.clients),
            "lost": lost_sends + missing,
            "lost_sends": lost_sends,
            "missing_at_clients": missing,
            "received_per_client": [min(held, default=0), max(held, default=0)],
            "duplicates": sum(n - 1 for n in bodies.values() if n > 1),
            "duplicate_frames": sum(c.duplicate_frames for c in self.clients),
            "gaps_healed": sum(c.gaps_seen for c in self.clients),
            "recovery_s": recovery,
            "note": note,
        }
        return result

    async def close(self) -> None:
        await self.stop_traffic()
        await asyncio.gather(*(c.stop() for c in self.clients))


def run(size: Size = QUICK, say=print, stack: Stack | None = None) -> dict:
    """Every fault in turn; `stack` may be shared with another suite."""
    own = stack is None
    stack = stack or Stack().start()
    try:
        seed.setup_django(stack.env)
        stack.env["REALTIME_REPAIR_INTERVAL"] = str(size.repair_interval)
        results = {
            "suite": "faults",
            "faults": [],
            "repair_interval": size.repair_interval,
        }
        servers = []
        for name, case in CASES:
            say(f"  {name}")
            # The two processes live on across faults; a killed one is replaced.
            servers = [s for s in servers if s.process.poll() is None]
            servers += [stack.serve("daphne", APP) for _ in range(2 - len(servers))]
            began = time.monotonic()
            try:
                result = asyncio.run(_one(stack, size, name, case, servers))
            finally:
                if stack.redis.server.process.poll() is not None:
                    stack.redis.start()
            result["seconds"] = round(time.monotonic() - began)
            say(f"    {result}")
            results["faults"].append(result)
        results["failed"] = any(f["lost"] or f["duplicates"] for f in results["faults"])
        return results
    finally:
        stack.stop_servers()
        stack.env.pop("REALTIME_REPAIR_INTERVAL", None)
        if own:
            stack.stop()


async def _one(stack, size: Size, name: str, case, servers) -> dict:
    scene = Scene(stack, size, name, [s.port for s in servers])
    try:
        return await case(scene, servers)
    finally:
        await scene.close()
