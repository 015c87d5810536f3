"""The chat over /ws/ through the full ASGI stack (WebsocketCommunicator)."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import OperationalError

from chat import actions
from chat.models import Message
from chat.socket import REPLAY_LIMIT
from realtime.batch import group_commit
from realtime.consumers import MAX_FRAME_LENGTH
from tests.chat.conftest import SAME_ORIGIN, receive_all, receive_until, send

pytestmark = pytest.mark.django_db(transaction=True)


async def subscribe(ws, room, since=None) -> dict:
    frame = {"type": "subscribe", "room": room.pk}
    if since is not None:
        frame["since"] = since
    await ws.send_json_to(frame)
    return await receive_until(ws, "subscribed")


async def eventually_stored(count: int, timeout: float = 3.0) -> int:
    """How many messages are stored, once `count` are or `timeout` passed."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            stored = await sync_to_async(Message.objects.count)()
        except OperationalError as error:
            # The test database is SQLite in memory with a shared cache, where
            # a read meets the store thread's open write as "table is locked"
            # instead of waiting for it: ask again.
            if "locked" not in str(error):
                raise
            stored = 0
        if stored >= count or asyncio.get_running_loop().time() > deadline:
            return stored
        await asyncio.sleep(0.05)


async def send_frame(ws, room, body="Hallo", client_id="c-1", **extra) -> None:
    await ws.send_json_to(
        {"type": "send", "room": room.pk, "client_id": client_id, "body": body, **extra}
    )


async def test_hello_carries_the_member_the_store_epoch_and_the_heartbeat(
    connect, session_cookie, member
):
    from zukunftsraum.asgi import application

    cookie = await sync_to_async(session_cookie)(member)
    ws = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN, cookie])
    await ws.connect()
    hello = await ws.receive_json_from()
    await ws.disconnect()

    assert hello["user"] == member.pk
    assert len(hello["epoch"]) == 32
    assert hello["heartbeat"] > 0


async def test_a_message_is_acknowledged_and_reaches_every_subscriber(
    connect, member, colleague, space_room
):
    async with connect(member) as anna, connect(colleague) as bernd:
        await subscribe(anna, space_room)
        await subscribe(bernd, space_room)

        await send_frame(anna, space_room, "Guten Morgen!", client_id="m-1")

        frames = await receive_all(anna, "ack", "chat.message")
        ack, mine = frames["ack"], frames["chat.message"]
        assert ack == {
            "type": "ack",
            "client_id": "m-1",
            "room": space_room.pk,
            "id": ack["id"],
            "seq": 1,
            "duplicate": False,
        }
        event = await receive_until(bernd, "chat.message")
        assert event["op"] == "add"
        assert event["message"]["seq"] == 1
        assert event["message"]["author"] == {"id": member.pk, "name": member.name}
        assert event["message"]["html"] == "<p>Guten Morgen!</p>"
        assert mine["message"]["client_id"] == "m-1"


async def test_the_acknowledgement_comes_after_the_message_is_stored(
    connect, member, space_room
):
    async with connect(member) as ws:
        await send_frame(ws, space_room, client_id="durable")
        ack = await receive_until(ws, "ack")

    stored = await sync_to_async(Message.objects.get)(pk=ack["id"])
    assert stored.client_id == "durable"


async def test_a_retried_send_is_acknowledged_as_a_duplicate_and_stored_once(
    connect, member, space_room
):
    async with connect(member) as ws:
        await send_frame(ws, space_room, client_id="retry-me")
        first = await receive_until(ws, "ack")
        await send_frame(ws, space_room, client_id="retry-me")
        second = await receive_until(ws, "ack")

    assert second["id"] == first["id"]
    assert second["duplicate"] is True
    assert await sync_to_async(Message.objects.count)() == 1


async def test_subscribing_with_since_replays_what_was_missed_in_order(
    connect, member, colleague, space_room
):
    for i in range(5):
        await sync_to_async(send)(colleague, space_room, f"Nachricht {i + 1}")

    async with connect(member) as ws:
        subscribed = await subscribe(ws, space_room, since=2)
        replayed = [await receive_until(ws, "chat.message") for _ in range(3)]

    assert subscribed["seq"] == 5
    assert [e["message"]["seq"] for e in replayed] == [3, 4, 5]
    assert replayed[0]["message"]["body"] == "Nachricht 3"


async def test_missing_more_than_the_replay_limit_asks_the_client_to_reload(
    connect, member, colleague, space_room
):
    requests = [
        actions.SendRequest(colleague, space_room.pk, f"c{i}", "Viel los")
        for i in range(REPLAY_LIMIT + 5)
    ]
    await sync_to_async(actions.send_messages)(requests)

    async with connect(member) as ws:
        await subscribe(ws, space_room, since=0)
        frame = await ws.receive_json_from()

    assert frame == {"type": "reload", "room": space_room.pk, "seq": REPLAY_LIMIT + 5}


async def test_a_client_ahead_of_the_store_is_asked_to_reload(
    connect, member, space_room
):
    async with connect(member) as ws:
        await subscribe(ws, space_room, since=40)
        frame = await ws.receive_json_from()

    assert frame == {"type": "reload", "room": space_room.pk, "seq": 0}


async def test_concurrent_sends_share_transactions_and_keep_the_sequence_gap_free(
    connect, member, colleague, space_room
):
    async with connect(member) as anna, connect(colleague) as bernd:
        for i in range(10):
            await send_frame(anna, space_room, f"A{i}", client_id=f"a{i}")
            await send_frame(bernd, space_room, f"B{i}", client_id=f"b{i}")
        acks = [await receive_until(anna, "ack") for _ in range(10)]
        acks += [await receive_until(bernd, "ack") for _ in range(10)]
        batches = group_commit(actions.send_messages).batches

    assert sorted(ack["seq"] for ack in acks) == list(range(1, 21))
    assert batches < 20


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ({"type": "subscribe"}, {"code": "missing_field", "field": "room"}),
        ({"type": "subscribe", "room": "7"}, {"code": "bad_field", "field": "room"}),
        ({"type": "subscribe", "room": True}, {"code": "bad_field", "field": "room"}),
        (
            {"type": "subscribe", "room": 1, "since": -1},
            {"code": "bad_field", "field": "since"},
        ),
        ({"type": "send", "room": 1}, {"code": "missing_field", "field": "client_id"}),
        (
            {"type": "send", "room": 1, "client_id": "x" * 65, "body": "Hi"},
            {"code": "too_long", "field": "client_id"},
        ),
        ({"type": "typing", "room": 1}, {"code": "not_subscribed", "room": 1}),
        ({"type": "unsubscribe", "room": 1}, {"code": "not_subscribed", "room": 1}),
        ({"type": "edit", "id": 1}, {"code": "missing_field", "field": "body"}),
        ({"type": "ping", "ref": ["x"]}, {"code": "bad_field", "field": "ref"}),
    ],
)
async def test_malformed_frames_get_error_frames_and_the_socket_stays_usable(
    connect, member, frame, error
):
    async with connect(member) as ws:
        await ws.send_json_to(frame)
        assert await ws.receive_json_from() == {"type": "error", **error}
        await ws.send_json_to({"type": "ping", "ref": 7})
        assert await ws.receive_json_from() == {"type": "pong", "ref": 7}


async def test_over_long_and_empty_bodies_are_refused_and_nothing_is_stored(
    connect, member, space_room
):
    async with connect(member) as ws:
        await send_frame(ws, space_room, "x" * 4001, client_id="long")
        too_long = await ws.receive_json_from()
        await send_frame(ws, space_room, "  \n ", client_id="empty")
        empty = await ws.receive_json_from()
        await ws.send_to(text_data="[" * (MAX_FRAME_LENGTH + 1))
        too_large = await ws.receive_json_from()

    assert too_long == {
        "type": "error",
        "code": "body_too_long",
        "room": space_room.pk,
        "client_id": "long",
    }
    assert empty["code"] == "body_empty"
    assert too_large == {"type": "error", "code": "frame_too_large"}
    assert not await sync_to_async(Message.objects.exists)()


async def test_an_invite_only_room_cannot_be_subscribed_or_written_by_outsiders(
    connect, outsider, invite_only_room
):
    async with connect(outsider) as ws:
        await ws.send_json_to({"type": "subscribe", "room": invite_only_room.pk})
        refused = await ws.receive_json_from()
        await send_frame(ws, invite_only_room, client_id="nope")
        not_sent = await ws.receive_json_from()

    assert refused == {
        "type": "error",
        "code": "room_not_found",
        "room": invite_only_room.pk,
    }
    assert not_sent["code"] == "room_not_found"
    assert not await sync_to_async(Message.objects.exists)()


async def test_a_restricted_space_room_is_refused_to_non_members(
    connect, outsider, make_space
):
    space = await sync_to_async(make_space)("Projekt", is_restricted=True)
    room = await sync_to_async(actions.ensure_space_room)(space)

    async with connect(outsider) as ws:
        await ws.send_json_to({"type": "subscribe", "room": room.pk})
        refused = await ws.receive_json_from()

    assert refused["code"] == "room_not_found"


async def test_removal_from_a_room_ends_its_stream_and_its_sends(
    connect, member, colleague, invite_only_room
):
    async with connect(colleague) as ws:
        await subscribe(ws, invite_only_room)
        await sync_to_async(actions.remove_member)(member, invite_only_room, colleague)
        removed = await receive_until(ws, "chat.membership")
        await send_frame(ws, invite_only_room, client_id="after")
        refused = await receive_until(ws, "error")
        await ws.send_json_to({"type": "typing", "room": invite_only_room.pk})
        not_subscribed = await receive_until(ws, "error")

    assert removed == {
        "type": "chat.membership",
        "op": "removed",
        "room": invite_only_room.pk,
    }
    assert refused["code"] == "room_not_found"
    assert not_subscribed["code"] == "not_subscribed"


async def test_a_muted_member_is_refused_with_retry_after(
    connect, member, colleague, invite_only_room
):
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.now() + timedelta(minutes=5)
    await sync_to_async(actions.mute_member)(
        member, invite_only_room, colleague, until=until, reason="Ton"
    )
    async with connect(colleague) as ws:
        await send_frame(ws, invite_only_room, client_id="muted")
        refused = await receive_until(ws, "error")

    assert refused["code"] == "muted"
    assert 290 < refused["retry_after"] <= 300


async def test_flooding_is_rate_limited_then_muted(
    connect, member, space_room, settings
):
    settings.CHAT_SEND_BURST = 3
    settings.CHAT_SEND_RATE = 0.01
    settings.CHAT_FLOOD_STRIKES = 3
    async with connect(member) as ws:
        for i in range(3):
            await send_frame(ws, space_room, client_id=f"ok{i}")
        for i in range(2):
            await send_frame(ws, space_room, client_id=f"flood{i}")
            limited = await receive_until(ws, "error")
            assert limited["code"] == "rate_limited"
            assert limited["retry_after"] > 0
        await send_frame(ws, space_room, client_id="flood-3")
        muted = await receive_until(ws, "error")
        await send_frame(ws, space_room, client_id="flood-4")
        still_muted = await receive_until(ws, "error")

    assert muted["code"] == still_muted["code"] == "muted"
    # The three allowed sends may still be on the chat's store thread.
    assert await eventually_stored(3) == 3


async def test_edit_delete_and_reactions_reach_the_room_as_whole_messages(
    connect, member, colleague, space_room
):
    message = await sync_to_async(send)(member, space_room, "Entwurf")
    async with connect(member) as anna, connect(colleague) as bernd:
        await subscribe(bernd, space_room)
        await anna.send_json_to(
            {"type": "edit", "id": message.pk, "body": "Fassung", "ref": "e"}
        )
        assert await receive_until(anna, "ok") == {
            "type": "ok",
            "op": "edit",
            "id": message.pk,
            "ref": "e",
        }
        edited = await receive_until(bernd, "chat.message")
        await bernd.send_json_to({"type": "react", "id": message.pk, "emoji": "👍"})
        reacted = await receive_until(bernd, "chat.message")
        await anna.send_json_to({"type": "delete", "id": message.pk})
        deleted = await receive_until(bernd, "chat.message")

    assert edited["op"] == "edit"
    assert edited["message"]["body"] == "Fassung"
    assert edited["message"]["edited"] is not None
    assert reacted["message"]["reactions"] == [
        {"emoji": "👍", "count": 1, "users": [colleague.pk], "names": [colleague.name]}
    ]
    assert deleted["op"] == "delete"
    assert deleted["message"]["deleted"] is True
    assert deleted["message"]["body"] == ""


async def test_editing_someone_elses_message_is_refused(
    connect, member, colleague, space_room
):
    message = await sync_to_async(send)(member, space_room, "Meins")
    async with connect(colleague) as ws:
        await ws.send_json_to({"type": "edit", "id": message.pk, "body": "Meins!"})
        refused = await ws.receive_json_from()
        await ws.send_json_to({"type": "delete", "id": 999_999})
        missing = await ws.receive_json_from()

    assert refused == {"type": "error", "code": "forbidden", "id": message.pk}
    assert missing == {"type": "error", "code": "message_not_found", "id": 999_999}


async def test_reading_is_shared_with_the_members_other_tabs(
    connect, member, colleague, space_room
):
    for _ in range(3):
        await sync_to_async(send)(colleague, space_room)
    async with connect(member) as tab1, connect(member) as tab2:
        await tab1.send_json_to({"type": "read", "room": space_room.pk, "seq": 3})
        read = await receive_until(tab2, "chat.read")

    assert read == {"type": "chat.read", "room": space_room.pk, "seq": 3}


async def test_presence_shows_who_is_online_and_who_left(
    connect, member, colleague, space_room
):
    async with connect(member) as anna:
        first = await subscribe(anna, space_room)
        assert first["online"] == [{"id": member.pk, "name": member.name}]
        async with connect(colleague) as bernd:
            second = await subscribe(bernd, space_room)
            came = await receive_until(anna, "chat.presence")
        went = await receive_until(anna, "chat.presence")

    assert [p["id"] for p in second["online"]] == sorted([member.pk, colleague.pk])
    assert came["user"]["id"] == colleague.pk
    assert came["online"] is True
    assert went == {**came, "online": False}


async def test_typing_reaches_the_others_but_not_the_typist(
    connect, member, colleague, space_room
):
    async with connect(member) as anna, connect(colleague) as bernd:
        await subscribe(anna, space_room)
        await subscribe(bernd, space_room)
        await receive_until(anna, "chat.presence")

        await anna.send_json_to({"type": "typing", "room": space_room.pk})
        typing = await receive_until(bernd, "chat.typing")
        await anna.send_json_to({"type": "ping"})
        # The typist's next frame is the pong: its own typing is not echoed.
        assert await anna.receive_json_from() == {"type": "pong"}

    assert typing == {
        "type": "chat.typing",
        "room": space_room.pk,
        "user": {"id": member.pk, "name": member.name},
    }


async def test_a_member_may_open_only_so_many_sockets(
    connect, session_cookie, member, monkeypatch
):
    from realtime import consumers
    from zukunftsraum.asgi import application

    monkeypatch.setattr(consumers, "MAX_SOCKETS_PER_MEMBER", 2)
    async with connect(member), connect(member):
        cookie = await sync_to_async(session_cookie)(member)
        ws = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN, cookie])
        connected, _ = await ws.connect()
        hello = await ws.receive_json_from()
        refused = await ws.receive_json_from()
        closed = await ws.receive_output()

    assert connected
    # Every accepted socket is greeted first, as docs/protocol.md says.
    assert hello["type"] == "hello"
    assert refused == {"type": "error", "code": "too_many_connections"}
    assert closed == {"type": "websocket.close", "code": 4008}


async def test_a_silent_socket_is_closed_by_the_heartbeat(connect, member, settings):
    settings.REALTIME_HEARTBEAT = 0.1
    async with connect(member) as ws:
        closed = await ws.receive_output(timeout=2)

    assert closed == {"type": "websocket.close", "code": 4000}


async def test_the_hub_delivers_a_message_whose_broadcast_was_lost(
    connect, member, colleague, space_room
):
    from realtime.hub import get_hub

    async with connect(member) as ws:
        await subscribe(ws, space_room, since=0)
        # Stored, but never published (as if the layer had dropped it).
        await sync_to_async(Message.objects.create)(
            room=space_room,
            seq=1,
            author=colleague,
            client_id="lost",
            body="Verloren?",
            html="<p>Verloren?</p>",
            created_at=space_room.created_at,
        )
        await sync_to_async(type(space_room).objects.filter(pk=space_room.pk).update)(
            last_seq=1
        )
        await get_hub().repair()
        repaired = await receive_until(ws, "chat.message")

    assert repaired["message"]["client_id"] == "lost"


async def test_the_hub_fills_a_gap_that_later_live_messages_passed(
    connect, member, colleague, space_room
):
    """Redis restarted: the broadcasts of seq 1 and 2 were lost, seq 3 came
    live before the repair round. The round still delivers 1 and 2, once."""
    from chat.queries import message_events
    from realtime.bus.entries import entries_of
    from realtime.hub import get_hub

    def store(seq: int) -> None:
        Message.objects.create(
            room=space_room,
            seq=seq,
            author=colleague,
            client_id=f"gap-{seq}",
            body=f"Nummer {seq}",
            html=f"<p>Nummer {seq}</p>",
            created_at=space_room.created_at,
        )
        type(space_room).objects.filter(pk=space_room.pk).update(last_seq=seq)

    async with connect(member) as ws:
        await subscribe(ws, space_room, since=0)
        for seq in (1, 2, 3):
            await sync_to_async(store)(seq)
        hub = get_hub()
        live_events = await sync_to_async(message_events)(space_room.pk, [3])
        hub.receive(space_room.pk, entries_of(live_events))
        live = await receive_until(ws, "chat.message")
        await hub.repair()
        repaired = [await receive_until(ws, "chat.message") for _ in range(2)]
        await asyncio.sleep(0.1)
        assert await ws.receive_nothing()

    assert live["message"]["seq"] == 3
    assert [frame["message"]["seq"] for frame in repaired] == [1, 2]


async def test_a_lost_connection_loses_nothing_on_resubscribe(
    connect, member, colleague, space_room
):
    async with connect(member) as ws:
        await subscribe(ws, space_room, since=0)
        await send_frame(ws, space_room, "Vorher", client_id="before")
        seen = await receive_until(ws, "chat.message")
    # Offline: the colleague keeps writing.
    for i in range(3):
        await sync_to_async(send)(colleague, space_room, f"Während {i}")
    async with connect(member) as ws:
        await subscribe(ws, space_room, since=seen["message"]["seq"])
        caught_up = [await receive_until(ws, "chat.message") for _ in range(3)]
        await asyncio.sleep(0.1)
        assert await ws.receive_nothing()

    assert [e["message"]["seq"] for e in caught_up] == [2, 3, 4]


async def test_a_send_the_database_cannot_store_is_refused_alone(
    connect, member, colleague, space_room
):
    """NUL and lone surrogates fail a PostgreSQL batch: refused before it, for
    that one send, while a room-mate's send in the same moment is stored."""
    async with connect(member) as anna, connect(colleague) as bernd:
        await send_frame(anna, space_room, "Null\x00Byte", client_id="nul")
        await send_frame(bernd, space_room, "Hallo", client_id="fine")
        nul = await receive_until(anna, "error")
        await anna.send_to(
            text_data=f'{{"type": "send", "room": {space_room.pk},'
            ' "client_id": "sur", "body": "halb \\ud800"}'
        )
        surrogate = await receive_until(anna, "error")
        await send_frame(anna, space_room, client_id="n\x00")
        bad_id = await receive_until(anna, "error")
        ack = await receive_until(bernd, "ack")

    assert nul == {
        "type": "error",
        "code": "bad_field",
        "field": "body",
        "room": space_room.pk,
        "client_id": "nul",
    }
    assert (surrogate["code"], surrogate["field"]) == ("bad_field", "body")
    assert (bad_id["code"], bad_id["field"]) == ("bad_field", "client_id")
    assert ack["client_id"] == "fine"
    assert await sync_to_async(Message.objects.count)() == 1


async def test_a_client_id_of_another_rooms_message_is_refused(
    connect, member, space_room, make_space
):
    space = await sync_to_async(make_space)("Pflege")
    other = await sync_to_async(actions.ensure_space_room)(space)
    async with connect(member) as ws:
        await send_frame(ws, space_room, client_id="once")
        await receive_until(ws, "ack")
        await send_frame(ws, other, client_id="once", ref="r")
        refused = await receive_until(ws, "error")

    assert refused == {
        "type": "error",
        "code": "bad_field",
        "field": "client_id",
        "ref": "r",
        "room": other.pk,
        "client_id": "once",
    }


async def test_a_silent_socket_is_closed_three_heartbeats_after_its_last_frame(
    connect, member, settings
):
    settings.REALTIME_HEARTBEAT = 0.2
    async with connect(member) as ws:
        await asyncio.sleep(0.3)
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from() == {"type": "pong"}
        last_frame = asyncio.get_running_loop().time()
        closed = await ws.receive_output(timeout=3)
        silent = asyncio.get_running_loop().time() - last_frame

    assert closed == {"type": "websocket.close", "code": 4000}
    assert 0.55 < silent < 0.8


async def test_typing_is_passed_on_without_asking_the_database(
    connect, member, colleague, space_room, monkeypatch
):
    from chat import socket

    def no_database(*args):
        raise AssertionError("typing read the database")

    async with connect(member) as anna, connect(colleague) as bernd:
        await subscribe(anna, space_room)
        await subscribe(bernd, space_room)
        await receive_until(anna, "chat.presence")
        # The subscription is the permission (checked when it was made).
        monkeypatch.setattr(socket, "access_room", no_database)
        await anna.send_json_to({"type": "typing", "room": space_room.pk})
        typing = await receive_until(bernd, "chat.typing")

    assert typing["user"]["id"] == member.pk


async def presence_of(ws, user_id: int, *, timeout: float) -> dict:
    """The next chat.presence about `user_id`, pinging meanwhile so that `ws`
    itself stays alive."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        await ws.send_json_to({"type": "ping"})
        try:
            frame = await ws.receive_json_from(timeout=0.2)
        except TimeoutError:
            continue
        if frame["type"] == "chat.presence" and frame["user"]["id"] == user_id:
            return frame
    raise AssertionError(f"no presence of {user_id} within {timeout} s")


async def test_a_silent_members_presence_ends_within_two_heartbeats_and_returns(
    connect, member, colleague, space_room, settings
):
    settings.REALTIME_HEARTBEAT = 0.5
    async with connect(member) as anna, connect(colleague) as bernd:
        await subscribe(anna, space_room)
        await subscribe(bernd, space_room)
        assert (await presence_of(anna, colleague.pk, timeout=2))["online"] is True
        started = asyncio.get_running_loop().time()

        # Bernd's link died without a close: he sends nothing any more.
        went = await presence_of(anna, colleague.pk, timeout=3)
        waited = asyncio.get_running_loop().time() - started

        await bernd.send_json_to({"type": "ping"})
        came_back = await presence_of(anna, colleague.pk, timeout=2)

    assert went["online"] is False
    # Two heartbeats (1 s) plus the check's step; the socket stays open.
    assert 0.9 < waited < 2.5
    assert came_back["online"] is True


async def test_following_a_room_without_presence_does_not_show_the_member_online(
    connect, member, colleague, space_room
):
    async with connect(member) as anna, connect(colleague) as bernd:
        await subscribe(anna, space_room)
        await bernd.send_json_to(
            {"type": "subscribe", "room": space_room.pk, "presence": False}
        )
        subscribed = await receive_until(bernd, "subscribed")
        await sync_to_async(send)(member, space_room, "Hallo")
        message = await receive_until(bernd, "chat.message")
        # Anna hears nothing of Bernd before the message (a presence event
        # would have been published before it).
        frames = [await anna.receive_json_from()]
        while frames[-1]["type"] != "chat.message":
            frames.append(await anna.receive_json_from())

    assert [p["id"] for p in subscribed["online"]] == [member.pk]
    assert message["message"]["body"] == "Hallo"
    assert not [f for f in frames if f["type"] == "chat.presence"]
