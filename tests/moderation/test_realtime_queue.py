"""The WebSocket's moderation operations, for every role of the matrix: the
live review queue (moderation.watch), deleting others' messages, and sends
under slow mode."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from audit.models import AuditLogEntry
from chat import actions
from chat.models import Message
from moderation.actions.review import open_review
from moderation.models import ItemSource
from tests.chat.conftest import SAME_ORIGIN, open_socket, receive_until, send
from tests.moderation.conftest import MODERATORS_OF_SPACE, ROLES

pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


async def nothing_more_of(ws, frame_type: str) -> bool:
    """True if no `frame_type` frame arrives before the answer to a ping."""
    await ws.send_json_to({"type": "ping", "ref": "end"})
    while True:
        frame = await ws.receive_json_from(timeout=3)
        if frame["type"] == frame_type:
            return False
        if frame.get("ref") == "end":
            break
    return await ws.receive_nothing(timeout=0.3)


async def watch(ws) -> dict:
    await ws.send_json_to({"type": "moderation.watch", "ref": "w"})
    return await ws.receive_json_from(timeout=3)


def queue_message_of(room, author) -> Message:
    message = send(author, room, "Bitte prüfen")
    open_review("chat_message", message, source=ItemSource.REPORTED)
    return message


async def test_an_anonymous_visitor_cannot_open_a_socket_at_all():
    from zukunftsraum.asgi import application

    ws = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN])
    connected, _ = await ws.connect()

    assert connected is False


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_watching_the_queue_is_for_moderators_only(cast, role):
    async with open_socket(cast.by_role(role)) as ws:
        answer = await watch(ws)

    if role == "other":
        assert answer == {"type": "error", "code": "forbidden", "ref": "w"}
    else:
        assert answer == {"type": "ack", "ref": "w"}


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_a_review_item_of_the_space_reaches_its_moderators_only(cast, role):
    async with open_socket(cast.by_role(role)) as ws:
        await watch(ws)
        await sync_to_async(queue_message_of)(cast.room, cast.author)
        if role in MODERATORS_OF_SPACE:
            event = await receive_until(ws, "moderation.queue")
            assert event["op"] == "opened"
            assert event["space"] == cast.space.pk
            assert event["source"] == "reported"
        else:
            assert await nothing_more_of(ws, "moderation.queue")


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_an_item_of_another_space_reaches_that_spaces_moderators(cast, role):
    other_room = await sync_to_async(actions.ensure_space_room)(cast.other_space)
    async with open_socket(cast.by_role(role)) as ws:
        await watch(ws)
        await sync_to_async(queue_message_of)(other_room, cast.author)
        if role in {"foreign_moderator", "global_moderator", "admin"}:
            event = await receive_until(ws, "moderation.queue")
            assert event["space"] == cast.other_space.pk
        else:
            assert await nothing_more_of(ws, "moderation.queue")


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_an_item_without_a_space_reaches_global_moderators_only(cast, role):
    direct = await sync_to_async(actions.start_direct)(cast.author, [cast.other])
    async with open_socket(cast.by_role(role)) as ws:
        await watch(ws)
        await sync_to_async(queue_message_of)(direct, cast.other)
        if role in {"global_moderator", "admin"}:
            event = await receive_until(ws, "moderation.queue")
            assert event["space"] is None
        else:
            assert await nothing_more_of(ws, "moderation.queue")


async def test_after_unwatching_no_queue_event_arrives(cast):
    async with open_socket(cast.global_moderator) as ws:
        await watch(ws)
        await ws.send_json_to({"type": "moderation.unwatch", "ref": "u"})
        assert await ws.receive_json_from() == {"type": "ack", "ref": "u"}
        await sync_to_async(queue_message_of)(cast.room, cast.author)
        assert await nothing_more_of(ws, "moderation.queue")


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_deleting_someone_elses_message_over_the_socket(cast, role):
    message = await sync_to_async(send)(cast.author, cast.room, "Zum Löschen")
    async with open_socket(cast.by_role(role)) as ws:
        await ws.send_json_to({"type": "delete", "id": message.pk, "ref": "d"})
        answer = await ws.receive_json_from(timeout=3)

    await sync_to_async(message.refresh_from_db)()
    if role in MODERATORS_OF_SPACE:
        assert answer == {"type": "ok", "op": "delete", "id": message.pk, "ref": "d"}
        assert message.is_deleted
        audited = await sync_to_async(
            AuditLogEntry.objects.filter(action="chat.message.deleted").count
        )()
        assert audited == 1
    else:
        assert answer == {
            "type": "error",
            "code": "forbidden",
            "id": message.pk,
            "ref": "d",
        }
        assert not message.is_deleted


async def send_and_answer(ws, room, client_id: str) -> dict:
    """Send a message; the ack or error frame that answers it."""
    await ws.send_json_to(
        {"type": "send", "room": room.pk, "client_id": client_id, "body": "Hallo"}
    )
    while True:
        frame = await ws.receive_json_from(timeout=3)
        if frame["type"] in {"ack", "error"}:
            return frame


@pytest.mark.parametrize("role", SIGNED_IN)
async def test_slow_mode_holds_back_everyone_but_the_rooms_moderators(cast, role):
    await sync_to_async(actions.set_slow_mode)(
        cast.space_moderator, cast.room, seconds=120
    )
    async with open_socket(cast.by_role(role)) as ws:
        first = await send_and_answer(ws, cast.room, "s1")
        second = await send_and_answer(ws, cast.room, "s2")

    assert first["type"] == "ack"
    if role in MODERATORS_OF_SPACE:
        assert second["type"] == "ack"
    else:
        assert second["code"] == "slow_mode"
        assert 110 < second["retry_after"] <= 120
        assert second["client_id"] == "s2"


async def test_a_moderator_taken_off_the_space_stops_seeing_its_live_queue(cast):
    async with open_socket(cast.space_moderator) as ws:
        await watch(ws)
        await sync_to_async(cast.space.moderators.remove)(cast.space_moderator)
        # The member's sockets check again (realtime.access); a ping after
        # the removal's event has been handled.
        await ws.send_json_to({"type": "ping"})
        await receive_until(ws, "pong")
        await sync_to_async(queue_message_of)(cast.room, cast.author)

        assert await nothing_more_of(ws, "moderation.queue")
