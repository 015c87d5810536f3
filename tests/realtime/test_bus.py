"""The room bus on a real Redis: events arrive once subscribed, and again at
once after Redis restarted."""

import asyncio
import os
import shutil
import subprocess

import pytest

from realtime.bus import RedisBus, entries_of
from tests.services import (
    REDIS_MISSING,
    REDIS_SERVER,
    free_port,
    missing_service,
    wait_for_port,
)

pytestmark = pytest.mark.redis


class RestartableRedis:
    def __init__(self, directory) -> None:
        self.port = free_port()
        self.directory = directory
        self.process = None

    def start(self) -> None:
        log = self.directory / "redis.log"
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [
                    *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no"),
                    *("--dir", str(self.directory)),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process, log, "redis-server")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def redis(tmp_path):
    if not os.access(REDIS_SERVER, os.X_OK) or not shutil.which(REDIS_SERVER):
        missing_service(REDIS_MISSING)
    server = RestartableRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def event(seq: int) -> dict:
    return {"type": "chat.message", "op": "add", "room": 5, "message": {"seq": seq}}


async def test_events_arrive_once_the_subscription_is_confirmed_and_after_a_restart(
    redis,
):
    bus = RedisBus(f"redis://127.0.0.1:{redis.port}/0")
    received: list[tuple[int, int]] = []
    reconnected = asyncio.Event()
    subscription = bus.subscription(
        lambda room, entries: received.extend((room, e[0]) for e in entries),
        reconnected.set,
    )
    try:
        await subscription.subscribe(5)
        await bus.apublish({5: entries_of([event(1), event(2)])})
        await asyncio.sleep(0.1)
        assert received == [(5, 1), (5, 2)]

        redis.stop()
        await asyncio.sleep(0.5)
        redis.start()
        began = asyncio.get_running_loop().time()
        await asyncio.wait_for(reconnected.wait(), timeout=5)
        # Subscribed again at once, not at the next repair round.
        assert asyncio.get_running_loop().time() - began < 2.0
        for attempt in range(20):
            try:
                await bus.apublish({5: entries_of([event(3)])})
                break
            except Exception:
                await asyncio.sleep(0.1 * attempt)
        await asyncio.sleep(0.1)
        assert received[-1] == (5, 3)
    finally:
        await subscription.close()
