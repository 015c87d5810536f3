"""Access that ends, across processes: two real Daphne processes on one real
Redis, the change made by a third process (as the admin's member widget in a
page's worker would), real WebSocket clients."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import websockets

from tests.chat.test_server import Client, redis  # noqa: F401 (the fixture)
from tests.services import ROOT, server_processes

pytestmark = pytest.mark.redis

SEED = """
import json
import django
django.setup()
from django.test import Client
from accounts.models import User
from chat.actions import ensure_space_room
from community.models import Space

people = {}
for email, name in [("anna@example.org", "Anna"), ("bernd@example.org", "Bernd")]:
    people[email] = User.objects.create_user(email=email, password="x" * 12, name=name)
cookies = {}
for email, user in people.items():
    client = Client()
    client.force_login(user)
    cookies[email] = client.cookies["sessionid"].value
space = Space.objects.create(title="Projekt Nord", slug="nord", is_restricted=True)
space.members.set(people.values())
room = ensure_space_room(space)
print(json.dumps({"cookies": cookies, "room": room.pk, "space": space.pk}))
"""


def run(platform: dict, script: str) -> None:
    """Run `script` in a process of its own, on the servers' database and Redis."""
    subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + script],
        cwd=ROOT,
        env=platform["env"],
        check=True,
        timeout=60,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def platform(redis, tmp_path_factory, migrated_database):  # noqa: F811
    with server_processes(
        redis_url=redis.url,
        var=tmp_path_factory.mktemp("var"),
        template=migrated_database,
        seed=SEED,
    ) as platform:
        yield platform


async def test_a_member_removed_from_the_space_stops_receiving_its_room_on_any_process(
    platform,
):
    one, other = platform["servers"]
    anna = Client(platform, "anna@example.org")
    bernd = Client(platform, "bernd@example.org")
    await anna.connect(one)
    await bernd.connect(other)
    try:
        run(
            platform,
            "from community.models import Space\n"
            "from accounts.models import User\n"
            f"space = Space.objects.get(pk={platform['space']})\n"
            "space.members.remove(User.objects.get(email='anna@example.org'))\n",
        )
        dropped = await anna.until(lambda f: f["type"] == "unsubscribed")
        await bernd.send("Nur für das Projekt", "after-removal")
        ack = await bernd.until(lambda f: f["type"] == "ack")
        await anna.ws.send(json.dumps({"type": "ping"}))
        await anna.until(lambda f: f["type"] == "pong")
        # Another heartbeat's worth for a late broadcast to show up.
        await anna.ws.send(json.dumps({"type": "ping"}))
        await anna.until(lambda f: f["type"] == "pong")
    finally:
        await anna.close()
        await bernd.close()

    assert dropped == {
        "type": "unsubscribed",
        "room": platform["room"],
        "reason": "access_ended",
    }
    assert ack["seq"] not in anna.messages


async def test_a_deactivated_members_socket_on_the_other_process_is_closed(platform):
    one, _ = platform["servers"]
    bernd = Client(platform, "bernd@example.org")
    await bernd.connect(one)
    run(
        platform,
        "from accounts.models import User\n"
        "user = User.objects.get(email='bernd@example.org')\n"
        "user.is_active = False\n"
        "user.save()\n",
    )
    ended = await bernd.until(lambda f: f["type"] == "session.ended")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await bernd.until(lambda f: False, timeout=5)

    assert ended == {"type": "session.ended", "reason": "deactivated"}
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
