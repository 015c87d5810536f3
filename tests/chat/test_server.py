"""End to end: two real Daphne processes on one real Redis, real WebSocket clients.

Both processes share one database (an SQLite file) and one Redis server of
their own, which a test restarts in the middle of a conversation.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import websockets

from tests.services import (
    REDIS_MISSING,
    REDIS_SERVER,
    free_port,
    missing_service,
    server_processes,
    start_daphne,
    wait_for_port,
)

pytestmark = pytest.mark.redis

SEED = """
import json
import django
django.setup()
from django.test import Client
from accounts.models import User
from chat.actions import ensure_space_room
from community.models import Space

cookies = {}
for email, name in [("anna@example.org", "Anna"), ("bernd@example.org", "Bernd")]:
    user = User.objects.create_user(email=email, password="x" * 12, name=name)
    client = Client()
    client.force_login(user)
    cookies[email] = client.cookies["sessionid"].value
room = ensure_space_room(Space.objects.create(title="Mobilität", slug="mobil"))
print(json.dumps({"cookies": cookies, "room": room.pk}))
"""


class Redis:
    """A redis-server of this module's own, so a test may restart it."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = self.directory / "redis.log"
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, log, "redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            self.log.close()


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    if not os.access(REDIS_SERVER, os.X_OK) or not shutil.which(REDIS_SERVER):
        missing_service(REDIS_MISSING)
    server = Redis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def platform(redis, tmp_path_factory, migrated_database):
    """Two server processes; yields their addresses, the cookies and the room."""
    with server_processes(
        redis_url=redis.url,
        var=tmp_path_factory.mktemp("var"),
        template=migrated_database,
        seed=SEED,
    ) as platform:
        yield platform


class Client:
    """A member's tab: one socket, collecting the room's messages by seq."""

    def __init__(self, platform: dict, email: str) -> None:
        self.cookie = platform["cookies"][email]
        self.room = platform["room"]
        self.messages: dict[int, dict] = {}
        self.acks: list[dict] = []
        self.ws = None

    @property
    def last_seq(self) -> int:
        return max(self.messages, default=0)

    async def connect(self, server: str, *, since: int | None = None) -> None:
        self.ws = await websockets.connect(
            f"ws://{server}/ws/",
            origin=f"http://{server}",
            additional_headers={"Cookie": f"sessionid={self.cookie}"},
            open_timeout=5,
        )
        hello = json.loads(await self.ws.recv())
        assert hello["type"] == "hello"
        frame = {"type": "subscribe", "room": self.room}
        if since is not None:
            frame["since"] = since
        await self.ws.send(json.dumps(frame))
        await self.until(lambda f: f["type"] == "subscribed")

    async def send(self, body: str, client_id: str) -> None:
        await self.ws.send(
            json.dumps(
                {
                    "type": "send",
                    "room": self.room,
                    "client_id": client_id,
                    "body": body,
                }
            )
        )

    async def until(self, done, timeout: float = 10.0) -> dict:
        """Read frames (recording messages and acks) until `done(frame)`."""
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.ws.recv())
                if frame["type"] == "chat.message" and frame["op"] == "add":
                    message = frame["message"]
                    assert self.messages.setdefault(message["seq"], message) == message
                if frame["type"] == "ack":
                    self.acks.append(frame)
                if done(frame):
                    return frame

    async def has_seq(self, seq: int, timeout: float = 10.0) -> None:
        if seq not in self.messages:
            await self.until(lambda f: seq in self.messages, timeout)

    async def has_all_up_to(self, seq: int, timeout: float = 10.0) -> None:
        """Wait until every message up to `seq` came, live or repaired: the
        last one may come live before the repair round fills a gap."""

        def complete() -> bool:
            return all(n in self.messages for n in range(1, seq + 1))

        if not complete():
            await self.until(lambda f: complete(), timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def test_a_message_sent_through_one_process_reaches_a_client_of_the_other(
    platform,
):
    one, other = platform["servers"]
    anna = Client(platform, "anna@example.org")
    bernd = Client(platform, "bernd@example.org")
    await anna.connect(one, since=0)
    await bernd.connect(other, since=0)
    start = anna.last_seq
    try:
        await anna.send("Hallo aus Prozess eins", "two-processes")
        ack = await anna.until(lambda f: f["type"] == "ack")
        await bernd.has_seq(ack["seq"])
    finally:
        await anna.close()
        await bernd.close()

    assert ack["seq"] == start + 1
    assert bernd.messages[ack["seq"]]["body"] == "Hallo aus Prozess eins"


async def test_a_retry_through_the_other_process_is_not_stored_twice(platform):
    one, other = platform["servers"]
    anna = Client(platform, "anna@example.org")
    await anna.connect(one)
    await anna.send("Einmal", "idempotent-1")
    first = await anna.until(lambda f: f["type"] == "ack")
    await anna.close()
    await anna.connect(other)
    await anna.send("Einmal", "idempotent-1")
    again = await anna.until(lambda f: f["type"] == "ack")
    await anna.close()

    assert again["id"] == first["id"]
    assert again["duplicate"] is True


async def test_a_client_that_was_away_catches_up_without_gaps(platform):
    one, other = platform["servers"]
    anna = Client(platform, "anna@example.org")
    bernd = Client(platform, "bernd@example.org")
    await bernd.connect(other, since=0)
    await bernd.close()  # the train enters a tunnel
    await anna.connect(one)
    for i in range(20):
        await anna.send(f"Unterwegs {i}", f"away-{i}")
    await anna.until(lambda f: len(anna.acks) == 20)
    await anna.close()
    last = max(ack["seq"] for ack in anna.acks)

    await bernd.connect(one, since=bernd.last_seq)
    await bernd.has_seq(last)
    await bernd.close()

    assert sorted(bernd.messages) == list(range(1, last + 1))


async def test_a_redis_restart_loses_no_message(platform, redis):
    one, other = platform["servers"]
    anna = Client(platform, "anna@example.org")
    bernd = Client(platform, "bernd@example.org")
    await anna.connect(one, since=0)
    await bernd.connect(other, since=0)
    await anna.send("Vor dem Neustart", "redis-before")
    before = await anna.until(lambda f: f["type"] == "ack")
    await bernd.has_seq(before["seq"])

    redis.stop()
    # Stored while Redis is away: their broadcasts are lost.
    for i in range(3):
        await anna.send(f"Während des Neustarts {i}", f"redis-during-{i}")
    await anna.until(lambda f: len(anna.acks) == 4)
    redis.start()
    for i in range(3):
        await anna.send(f"Nach dem Neustart {i}", f"redis-after-{i}")
    await anna.until(lambda f: len(anna.acks) == 7)
    last = max(ack["seq"] for ack in anna.acks)
    # The sockets stayed open; the hub's repair round delivers what was lost
    # (at once when Redis is back, after what was sent since).
    await bernd.has_all_up_to(last, timeout=30)
    await anna.close()
    await bernd.close()

    assert sorted(bernd.messages) == list(range(1, last + 1))


async def test_a_text_frame_that_is_not_utf8_closes_the_socket_with_1007(platform):
    """RFC 6455: invalid payload data. Daphne dropped the connection (1006)."""
    one, _ = platform["servers"]
    anna = Client(platform, "anna@example.org")
    await anna.connect(one)
    await anna.ws.send(b'{"type": "ping", "x": "\xff\xfe"}', text=True)
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await anna.until(lambda f: False, timeout=5)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1007


async def test_sockets_of_a_killed_process_stop_counting_within_its_lease(platform):
    """A member's 10 tabs were on a process that was killed (kill -9): their
    sockets count against the limit only until its lease runs out (3 s in
    these tests, 15 s in production), not for a minute."""
    one, _ = platform["servers"]
    process, port = start_daphne(platform["env"], platform["var"] / "killed.log")
    tabs = [Client(platform, "bernd@example.org") for _ in range(10)]
    try:
        for tab in tabs:
            await tab.connect(f"127.0.0.1:{port}")
        assert await eleventh_socket(platform, one) == "too_many_connections"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    killed = asyncio.get_running_loop().time()

    while (answer := await eleventh_socket(platform, one)) != "subscribed":
        assert answer == "too_many_connections"
        assert asyncio.get_running_loop().time() - killed < 6
        await asyncio.sleep(0.25)


async def eleventh_socket(platform: dict, server: str) -> str:
    """Connect once more as Bernd: "subscribed", or the error code."""
    async with websockets.connect(
        f"ws://{server}/ws/",
        origin=f"http://{server}",
        additional_headers={
            "Cookie": f"sessionid={platform['cookies']['bernd@example.org']}"
        },
        open_timeout=5,
    ) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        try:
            await ws.send(json.dumps({"type": "subscribe", "room": platform["room"]}))
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] in ("subscribed", "error"):
                    return frame.get("code", frame["type"])
        except websockets.ConnectionClosed as closed:
            # The refusal (error frame, then 4008) came before the subscribe.
            assert closed.rcvd is not None and closed.rcvd.code == 4008
            return "too_many_connections"
