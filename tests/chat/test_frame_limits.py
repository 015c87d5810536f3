"""Every socket frame that costs a write, a broadcast or a replay has a
per-member limit (realtime.ratelimit, docs/protocol.md "Limits"), refused with
the protocol's error frame and when to try again."""

import pytest
from asgiref.sync import sync_to_async

from chat.models import REACTIONS, Message, Reaction
from tests.chat.conftest import receive_until, send

pytestmark = pytest.mark.django_db(transaction=True)


async def answer(ws, frame: dict) -> dict:
    """The `ok` or `error` (or `subscribed`) answering `frame`."""
    await ws.send_json_to({**frame, "ref": "r"})
    while True:
        reply = await ws.receive_json_from(timeout=10)
        if reply.get("ref") == "r":
            return reply


async def test_reactions_beyond_the_members_limit_are_refused_and_not_stored(
    connect, member, space_room, settings
):
    settings.CHAT_REACT_BURST = 3
    settings.CHAT_REACT_RATE = 0.01
    message = await sync_to_async(send)(member, space_room, "Abstimmung")
    async with connect(member) as ws:
        answers = [
            await answer(ws, {"type": "react", "id": message.pk, "emoji": emoji})
            for emoji in REACTIONS[:5]
        ]

    assert [a["type"] for a in answers] == ["ok", "ok", "ok", "error", "error"]
    refused = answers[3]
    assert refused["code"] == "rate_limited"
    assert refused["id"] == message.pk
    assert 0 < refused["retry_after"] <= 100
    assert await sync_to_async(Reaction.objects.count)() == 3


async def test_edits_and_deletions_share_one_limit(
    connect, member, space_room, settings
):
    settings.CHAT_EDIT_BURST = 2
    settings.CHAT_EDIT_RATE = 0.01
    first = await sync_to_async(send)(member, space_room, "Eins")
    second = await sync_to_async(send)(member, space_room, "Zwei")
    async with connect(member) as ws:
        edited = await answer(ws, {"type": "edit", "id": first.pk, "body": "Eins!"})
        deleted = await answer(ws, {"type": "delete", "id": second.pk})
        refused = await answer(ws, {"type": "edit", "id": first.pk, "body": "Eins?"})

    assert edited["type"] == deleted["type"] == "ok"
    assert refused["code"] == "rate_limited"
    assert refused["retry_after"] > 0
    stored = await sync_to_async(Message.objects.get)(pk=first.pk)
    assert stored.body == "Eins!"


async def test_flooding_reactions_mutes_reactions_for_a_while(
    connect, member, space_room, settings
):
    settings.CHAT_REACT_BURST = 1
    settings.CHAT_REACT_RATE = 0.01
    settings.CHAT_FLOOD_STRIKES = 2
    message = await sync_to_async(send)(member, space_room, "Umfrage")
    async with connect(member) as ws:
        answers = [
            await answer(ws, {"type": "react", "id": message.pk, "emoji": emoji})
            for emoji in REACTIONS[:4]
        ]

    assert [a.get("code") for a in answers] == [
        None,
        "rate_limited",
        "muted",
        "muted",
    ]
    assert answers[3]["retry_after"] > 250


async def test_subscriptions_beyond_the_limit_are_refused_without_a_replay(
    connect, member, space_room, settings
):
    settings.REALTIME_SUBSCRIBE_BURST = 2
    settings.REALTIME_SUBSCRIBE_RATE = 0.01
    await sync_to_async(send)(member, space_room, "Schon da")
    async with connect(member) as ws:
        first = await answer(
            ws, {"type": "subscribe", "room": space_room.pk, "since": 0}
        )
        await receive_until(ws, "chat.message")
        second = await answer(
            ws, {"type": "subscribe", "room": space_room.pk, "since": 0}
        )
        await receive_until(ws, "chat.message")
        refused = await answer(
            ws, {"type": "subscribe", "room": space_room.pk, "since": 0}
        )
        await ws.send_json_to({"type": "ping"})
        after = await ws.receive_json_from(timeout=10)

    assert first["type"] == second["type"] == "subscribed"
    assert refused["type"] == "error"
    assert refused["code"] == "rate_limited"
    assert refused["room"] == space_room.pk
    assert refused["retry_after"] > 0
    assert after == {"type": "pong"}  # no replay came with the refusal


async def test_watching_threads_counts_against_the_subscription_limit(
    connect, member, settings
):
    settings.REALTIME_SUBSCRIBE_BURST = 1
    settings.REALTIME_SUBSCRIBE_RATE = 0.01
    async with connect(member) as ws:
        first = await answer(ws, {"type": "forum.watch", "thread": 999_999})
        second = await answer(ws, {"type": "forum.watch", "thread": 999_999})

    assert first["code"] == "thread_not_found"
    assert second["code"] == "rate_limited"
    assert second["thread"] == 999_999
