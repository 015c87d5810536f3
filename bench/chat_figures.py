"""Chat figures until the benchmark suite exists (`python -m bench ws`).

    .venv/bin/python bench/chat_figures.py [--clients 1000] [--per-room 10]

Loopback only. Starts a throwaway redis-server and one Daphne process serving
the platform (SQLite file, Redis channel layer), signs in `--clients` members
(sessions written directly), puts them into rooms of `--per-room`, subscribes
every client and then sends on a fixed schedule (open loop, rooms out of
phase), stepping the rate up until p99 passes 100 ms or anything is lost.
Latency is measured from the intended send time to the arrival at each other
member of the room; the first two seconds of each step are discarded.

**Reference in the same run**: `bench/raw_broadcast.py`, a raw ASGI broadcast
app without Channels or database, on the same server with the same clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz-0123"  # noqa: S105
WARMUP, MEASURE, DRAIN = 2.0, 8.0, 3.0
ROOM_RATES = [0.5, 1, 2, 4, 8, 16]  # messages per second per room


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass
class Step:
    sent: int = 0
    refused: int = 0
    expected: int = 0
    received: int = 0
    duplicates: int = 0
    latencies: list[float] = field(default_factory=list)
    seen: set = field(default_factory=set)

    def summary(self, seconds: float) -> dict:
        ordered = sorted(self.latencies) or [0.0]
        pick = lambda share: ordered[min(len(ordered) - 1, int(len(ordered) * share))]  # noqa: E731
        return {
            "deliveries_per_s": round(len(self.latencies) / seconds),
            "p50_ms": round(pick(0.5) * 1000, 1),
            "p99_ms": round(pick(0.99) * 1000, 1),
            "lost": max(self.expected - self.received, 0),
            "duplicates": self.duplicates,
            "refused_sends": self.refused,
        }


class Load:
    """Clients of one server; `platform` speaks docs/protocol.md, raw just text."""

    def __init__(self, port: int, rooms: list[tuple[int, list[str]]], platform: bool):
        self.port, self.rooms, self.platform = port, rooms, platform
        self.sockets: dict[int, list] = {}
        self.readers: set[asyncio.Task] = set()
        self.step = Step()
        self.measuring = False

    async def open(self) -> None:
        import websockets

        async def one(room: int, cookie: str, index: int):
            url = f"ws://127.0.0.1:{self.port}/ws/"
            headers = {"Origin": f"http://127.0.0.1:{self.port}"}
            if self.platform:
                headers["Cookie"] = f"sessionid={cookie}"
            else:
                url += f"?room={room}"
            ws = await websockets.connect(
                url, additional_headers=headers, max_queue=None, ping_interval=None
            )
            if self.platform:
                json.loads(await ws.recv())  # hello
                await ws.send(json.dumps({"type": "subscribe", "room": room}))
                while json.loads(await ws.recv())["type"] != "subscribed":
                    pass
            self.readers.add(asyncio.create_task(self.read(ws, room, index)))
            return ws

        for room, cookies in self.rooms:
            self.sockets[room] = []
            for index, cookie in enumerate(cookies):
                self.sockets[room].append(await one(room, cookie, index))

    async def read(self, ws, room: int, index: int) -> None:
        async for text in ws:
            frame = json.loads(text)
            if self.platform:
                if frame.get("type") == "error" and frame.get("code") == "rate_limited":
                    self.step.refused += 1
                if frame.get("type") != "chat.message" or frame.get("op") != "add":
                    continue
                payload = json.loads(frame["message"]["body"])
            else:
                payload = frame
            if payload["sender"] == index or payload["step"] != id(self.step):
                continue
            key = (payload["id"], index)
            if key in self.step.seen:
                self.step.duplicates += 1
                continue
            self.step.seen.add(key)
            self.step.received += 1
            if payload["measure"]:
                self.step.latencies.append(time.time() - payload["t"])

    async def run(self, room_rate: float) -> dict:
        self.step = Step()
        step_id = id(self.step)
        start = time.time() + 0.5
        count = int((WARMUP + MEASURE) * room_rate)
        per_room = len(self.rooms[0][1])

        async def room_sender(position: int, room: int) -> None:
            phase = position / len(self.rooms) / room_rate  # rooms out of phase
            for n in range(count):
                planned = start + phase + n / room_rate
                await asyncio.sleep(max(0.0, planned - time.time()))
                sender = n % per_room
                payload = {
                    "t": planned, "id": f"{room}-{n}", "sender": sender,
                    "step": step_id, "measure": planned - start >= WARMUP,
                }  # fmt: skip
                text = json.dumps(payload)
                if self.platform:
                    text = json.dumps({
                        "type": "send", "room": room,
                        "client_id": uuid.uuid4().hex, "body": text,
                    })  # fmt: skip
                await self.sockets[room][sender].send(text)
                self.step.sent += 1
                self.step.expected += per_room - 1

        await asyncio.gather(
            *(room_sender(i, room) for i, (room, _) in enumerate(self.rooms))
        )
        await asyncio.sleep(DRAIN)
        self.step.expected -= self.step.refused * (per_room - 1)
        return self.step.summary(MEASURE)

    async def close(self) -> None:
        for sockets in self.sockets.values():
            for ws in sockets:
                await ws.close()


def prepare_platform(env: dict, clients: int, per_room: int) -> list:
    """Members, rooms and sessions, written straight into the server's database."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from accounts.models import User
    from chat.models import Membership, MembershipRole, Room, RoomKind

    call_command("migrate", verbosity=0)
    users = User.objects.bulk_create(
        User(email=f"b{n}@example.org", name=f"Bench {n}", password="!")  # noqa: S106
        for n in range(clients)
    )
    rooms = []
    for start in range(0, clients, per_room):
        members = users[start : start + per_room]
        room = Room.objects.create(kind=RoomKind.ADHOC, title=f"Raum {start}")
        Membership.objects.bulk_create(
            Membership(room=room, user=u, role=MembershipRole.MEMBER) for u in members
        )
        cookies = []
        for user in members:
            session = SessionStore()
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session.create()
            cookies.append(session.session_key)
        rooms.append((room.pk, cookies))
    return rooms


def serve(app: str, env: dict, port: int) -> subprocess.Popen:
    daphne = Path(sys.executable).parent / "daphne"
    process = subprocess.Popen(
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), app],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return process


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sweep(name: str, load: Load, server: subprocess.Popen) -> list[dict]:
    await load.open()
    results = []
    for rate in ROOM_RATES:
        before = cpu_seconds(server.pid)
        summary = await load.run(rate)
        cpu = cpu_seconds(server.pid) - before
        delivered = max(summary["deliveries_per_s"] * MEASURE, 1)
        summary.update(
            server=name,
            room_rate=rate,
            cpu_ms_per_1000=round(cpu / delivered * 1_000_000),
        )
        results.append(summary)
        print(json.dumps(summary), flush=True)
        if summary["p99_ms"] > 100 or summary["lost"] or summary["duplicates"]:
            break
    await load.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--per-room", type=int, default=10)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zr-bench-"))
    redis_port = free_port()
    redis = subprocess.Popen(
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
         str(redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(redis_port)
    env = {
        "DJANGO_SETTINGS_MODULE": "zukunftsraum.settings",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(work),
        "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "LOG_LEVEL": "WARNING",
        # Persistent connections, as docs/deploy.md recommends for ASGI processes.
        "DATABASE_CONN_MAX_AGE": "300",
    }
    rooms = prepare_platform(env, options.clients, options.per_room)
    processes = [redis]
    try:
        port = free_port()
        raw = serve("bench.raw_broadcast:application", env, port)
        processes.append(raw)
        reference = asyncio.run(sweep("raw ASGI", Load(port, rooms, False), raw))
        raw.terminate()
        port = free_port()
        platform = serve("zukunftsraum.asgi:application", env, port)
        processes.append(platform)
        measured = asyncio.run(sweep("Zukunftsraum", Load(port, rooms, True), platform))
    finally:
        for process in processes:
            process.terminate()
        shutil.rmtree(work, ignore_errors=True)
    best = lambda rows: max(  # noqa: E731
        (r["deliveries_per_s"] for r in rows if r["p99_ms"] <= 100 and not r["lost"]),
        default=0,
    )
    ceiling, ours = best(reference), best(measured)
    print(
        f"sustained with p99 <= 100 ms and nothing lost: raw ASGI {ceiling}/s, "
        f"Zukunftsraum {ours}/s, ratio {ours / max(ceiling, 1):.2f}"
    )


if __name__ == "__main__":
    main()
