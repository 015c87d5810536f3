"""Sanctions bite at once in open WebSocket sessions: in-process through the
full ASGI stack, and end to end through a real Daphne process on Redis.

The decision (moderation.actions) sets `User.chat_muted_until` /
`User.suspended_until` and, for a suspension, publishes `session.ended` to
the member's group on commit; `decided_*` below do exactly that.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta

import pytest
import websockets
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.utils import timezone
from websockets.exceptions import ConnectionClosed, InvalidStatus

from accounts.models import User
from chat import actions
from chat.models import Message
from realtime import groups
from realtime.consumers import CLOSE_SESSION_ENDED
from realtime.publish import publish_on_commit
from tests.chat.conftest import (
    SAME_ORIGIN,
    cookie_of,
    open_socket,
    receive_until,
    send,
)
from tests.services import (
    REDIS_MISSING,
    REDIS_SERVER,
    ROOT,
    copy_database,
    missing_service,
    start_daphne,
    stop_process,
)

# --- What a moderation decision does (the moderation engineer's actions) -------


def decided_mute(member_id: int, *, hours: float) -> None:
    User.objects.filter(pk=member_id).update(
        chat_muted_until=timezone.now() + timedelta(hours=hours)
    )


@transaction.atomic
def decided_suspension(member_id: int, *, days: float) -> None:
    User.objects.filter(pk=member_id).update(
        suspended_until=timezone.now() + timedelta(days=days)
    )
    publish_on_commit(
        {"type": "session.ended", "reason": "suspended"}, to=[groups.user(member_id)]
    )


async def subscribe(ws, room) -> dict:
    await ws.send_json_to({"type": "subscribe", "room": room.pk})
    return await receive_until(ws, "subscribed")


async def send_and_answer(ws, room, client_id: str, body: str = "Hallo") -> dict:
    await ws.send_json_to(
        {"type": "send", "room": room.pk, "client_id": client_id, "body": body}
    )
    while True:
        frame = await ws.receive_json_from(timeout=3)
        if frame["type"] in {"ack", "error"}:
            return frame


# --- In process (WebsocketCommunicator) ------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_a_mute_decided_while_connected_refuses_the_next_send(cast):
    async with open_socket(cast.author) as ws:
        await subscribe(ws, cast.room)
        before = await send_and_answer(ws, cast.room, "before")
        await sync_to_async(decided_mute)(cast.author.pk, hours=24)
        refused = await send_and_answer(ws, cast.room, "after", "Trotzdem")

    assert before["type"] == "ack"
    assert refused["code"] == "muted"
    assert refused["client_id"] == "after"
    assert 86000 < refused["retry_after"] <= 86400
    bodies = await sync_to_async(list)(Message.objects.values_list("body", flat=True))
    assert bodies == ["Hallo"]  # the earlier message stays


@pytest.mark.django_db(transaction=True)
async def test_after_the_mute_ends_the_member_can_send_again(cast):
    await sync_to_async(decided_mute)(cast.author.pk, hours=1)
    async with open_socket(cast.author) as ws:
        assert (await send_and_answer(ws, cast.room, "m1"))["code"] == "muted"
        await sync_to_async(decided_mute)(cast.author.pk, hours=-0.01)
        assert (await send_and_answer(ws, cast.room, "m2"))["type"] == "ack"


@pytest.mark.django_db(transaction=True)
async def test_a_muted_member_can_neither_edit_nor_react(cast):
    mine = await sync_to_async(send)(cast.author, cast.room, "Meins")
    await sync_to_async(decided_mute)(cast.author.pk, hours=1)
    async with open_socket(cast.author) as ws:
        await ws.send_json_to({"type": "edit", "id": mine.pk, "body": "Neu"})
        edit = await ws.receive_json_from()
        await ws.send_json_to({"type": "react", "id": mine.pk, "emoji": "👍"})
        react = await ws.receive_json_from()

    assert edit["code"] == react["code"] == "muted"


@pytest.mark.django_db(transaction=True)
async def test_a_room_mute_by_the_spaces_moderator_bites_at_once(cast):
    async with open_socket(cast.author) as ws:
        await subscribe(ws, cast.room)
        assert (await send_and_answer(ws, cast.room, "r1"))["type"] == "ack"
        await sync_to_async(actions.mute_member)(
            cast.space_moderator,
            cast.room,
            cast.author,
            until=timezone.now() + timedelta(hours=2),
            reason="Beleidigung",
        )
        refused = await send_and_answer(ws, cast.room, "r2")

    assert refused["code"] == "muted"
    assert 7000 < refused["retry_after"] <= 7200


@pytest.mark.django_db(transaction=True)
async def test_a_suspended_members_socket_is_closed_and_a_new_one_refused(cast):
    from zukunftsraum.asgi import application

    async with open_socket(cast.author) as ws:
        await subscribe(ws, cast.room)
        await sync_to_async(decided_suspension)(cast.author.pk, days=7)
        ended = await receive_until(ws, "session.ended")
        closed = await ws.receive_output(timeout=3)

    assert ended == {"type": "session.ended", "reason": "suspended"}
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}

    cookie = await sync_to_async(cookie_of)(cast.author)
    again = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN, cookie])
    connected, _ = await again.connect()
    assert connected is False


@pytest.mark.django_db(transaction=True)
async def test_a_member_removed_from_the_room_stops_receiving_it(cast):
    async with (
        open_socket(cast.author) as author,
        open_socket(cast.other) as other,
    ):
        await subscribe(author, cast.room)
        await subscribe(other, cast.room)
        await sync_to_async(actions.remove_member)(
            cast.space_moderator, cast.room, cast.author, reason="Spam"
        )
        removed = await receive_until(author, "chat.membership")
        await send_and_answer(other, cast.room, "after-removal")
        await author.send_json_to({"type": "ping", "ref": "p"})
        frames = []
        while (frame := await author.receive_json_from(timeout=3))["type"] != "pong":
            frames.append(frame)
        assert await author.receive_nothing(timeout=0.3)
        await author.send_json_to({"type": "subscribe", "room": cast.room.pk})
        again = await author.receive_json_from()

    assert removed == {"type": "chat.membership", "op": "removed", "room": cast.room.pk}
    assert not [f for f in frames if f["type"] == "chat.message"]
    assert again == {"type": "error", "code": "room_not_found", "room": cast.room.pk}


def decide_on_a_report(moderator, message, **decision) -> None:
    """The moderation engineer's real decision on a reported chat message."""
    from moderation.actions.decisions import decide
    from moderation.actions.review import open_review
    from moderation.models import ItemSource, Rule

    item = open_review("chat_message", message, source=ItemSource.REPORTED)
    decide(moderator, item, rule=Rule.RESPECT, reason="Beleidigend", **decision)


@pytest.mark.django_db(transaction=True)
async def test_a_global_mute_decision_refuses_the_open_sockets_next_send(cast):
    from moderation.models import DecisionAction

    async with open_socket(cast.author) as ws:
        await subscribe(ws, cast.room)
        ack = await send_and_answer(ws, cast.room, "g1", "Grob")
        message = await sync_to_async(Message.objects.get)(pk=ack["id"])
        await sync_to_async(decide_on_a_report)(
            cast.global_moderator,
            message,
            action=DecisionAction.MUTE,
            duration=timedelta(hours=24),
        )
        refused = await send_and_answer(ws, cast.room, "g2")

    assert refused["code"] == "muted"
    assert refused["retry_after"] > 86000


@pytest.mark.django_db(transaction=True)
async def test_a_suspension_decision_closes_the_open_socket(cast):
    from moderation.models import DecisionAction

    async with open_socket(cast.author) as ws:
        await subscribe(ws, cast.room)
        ack = await send_and_answer(ws, cast.room, "s1", "Grob")
        message = await sync_to_async(Message.objects.get)(pk=ack["id"])
        await sync_to_async(decide_on_a_report)(
            cast.global_moderator,
            message,
            action=DecisionAction.SUSPEND,
            duration=timedelta(days=7),
        )
        ended = await receive_until(ws, "session.ended")
        closed = await ws.receive_output(timeout=3)

    assert ended["reason"] == "suspended"
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}


# --- End to end: a real Daphne process on a real Redis ---------------------------

SEED = """
import json
import django
django.setup()
from django.test import Client
from accounts.models import User
from chat.actions import ensure_space_room
from community.models import Space

cookies, ids = {}, {}
for email, name in [("anna@example.org", "Anna"), ("bernd@example.org", "Bernd")]:
    user = User.objects.create_user(email=email, password="x" * 12, name=name)
    client = Client()
    client.force_login(user)
    cookies[email] = client.cookies["sessionid"].value
    ids[email] = user.pk
room = ensure_space_room(Space.objects.create(title="Mobilität", slug="mobil"))
print(json.dumps({"cookies": cookies, "ids": ids, "room": room.pk}))
"""

DECIDE = """
import sys
import django
django.setup()
from tests.moderation.test_realtime_sanctions import decided_mute, decided_suspension
what, member, amount = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
if what == "mute":
    decided_mute(member, hours=amount)
else:
    decided_suspension(member, days=amount)
"""


@pytest.fixture(scope="module")
def platform(tmp_path_factory, migrated_database):
    """One Daphne process on its own Redis; yields how to reach and steer it."""
    if not os.access(REDIS_SERVER, os.X_OK) or not shutil.which(REDIS_SERVER):
        missing_service(REDIS_MISSING)
    from tests.chat.test_server import Redis

    redis = Redis(tmp_path_factory.mktemp("redis"))
    redis.start()
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(var),
        "REDIS_URL": redis.url,
        "DJANGO_SETTINGS_MODULE": "tests.chat.server_settings",
    }
    env.pop("DATABASE_URL", None)
    process = None
    try:
        copy_database(migrated_database, var)
        seeded = subprocess.run(
            [sys.executable, "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        )
        data = json.loads(seeded.stdout.strip().splitlines()[-1])
        process, port = start_daphne(env, var / "daphne.log")

        def decide(what: str, member: str, amount: float) -> None:
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    DECIDE,
                    what,
                    str(data["ids"][member]),
                    str(amount),
                ],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=60,
            )

        yield {"server": f"127.0.0.1:{port}", "decide": decide, **data}
    finally:
        if process is not None:
            stop_process(process)
        redis.stop()


async def open_tab(platform, email: str):
    server = platform["server"]
    ws = await websockets.connect(
        f"ws://{server}/ws/",
        origin=f"http://{server}",
        additional_headers={"Cookie": f"sessionid={platform['cookies'][email]}"},
        open_timeout=5,
    )
    assert json.loads(await ws.recv())["type"] == "hello"
    await ws.send(json.dumps({"type": "subscribe", "room": platform["room"]}))
    await until(ws, lambda f: f["type"] == "subscribed")
    return ws


async def until(ws, done, timeout: float = 10.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if done(frame):
                return frame


async def send_over(ws, platform, client_id: str) -> dict:
    await ws.send(
        json.dumps(
            {
                "type": "send",
                "room": platform["room"],
                "client_id": client_id,
                "body": "Hallo aus Daphne",
            }
        )
    )
    return await until(ws, lambda f: f["type"] in {"ack", "error"})


@pytest.mark.redis
async def test_on_daphne_a_mute_bites_the_open_socket_and_ends_on_time(platform):
    anna = await open_tab(platform, "anna@example.org")
    try:
        assert (await send_over(anna, platform, "d-1"))["type"] == "ack"
        await asyncio.to_thread(platform["decide"], "mute", "anna@example.org", 24)
        refused = await send_over(anna, platform, "d-2")
        await asyncio.to_thread(platform["decide"], "mute", "anna@example.org", -0.01)
        again = await send_over(anna, platform, "d-3")
    finally:
        await anna.close()

    assert refused["code"] == "muted"
    assert refused["retry_after"] > 86000
    assert again["type"] == "ack"


@pytest.mark.redis
async def test_on_daphne_a_suspension_closes_the_socket_and_refuses_the_next(
    platform,
):
    bernd = await open_tab(platform, "bernd@example.org")
    await asyncio.to_thread(platform["decide"], "suspend", "bernd@example.org", 7)
    ended = await until(bernd, lambda f: f["type"] == "session.ended")
    with pytest.raises(ConnectionClosed):
        async with asyncio.timeout(5):
            while True:
                await bernd.recv()

    assert ended["reason"] == "suspended"
    assert bernd.close_code == CLOSE_SESSION_ENDED
    with pytest.raises(InvalidStatus) as refused:
        await open_tab(platform, "bernd@example.org")
    assert refused.value.response.status_code == 403
