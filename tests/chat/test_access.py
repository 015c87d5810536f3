"""Access that ends ends on the sockets already open (realtime.access,
docs/security.md "How access ends"): through the full ASGI stack, in one
process; tests/chat/test_access_server.py runs the same across two server
processes on Redis."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from chat import actions
from chat.models import Membership, Message
from forum.actions.thread_tools import move_thread
from forum.actions.threads import start_thread
from realtime.consumers import CLOSE_SESSION_ENDED
from tests.chat.conftest import SAME_ORIGIN, receive_until
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user) -> tuple[Client, tuple[bytes, bytes]]:
    """A browser of `user` with a session of its own, and its Cookie header."""
    client = Client()
    client.force_login(user)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    return client, cookie


async def socket_of(cookie) -> WebsocketCommunicator:
    from zukunftsraum.asgi import application

    ws = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN, cookie])
    connected, _ = await ws.connect()
    assert connected
    assert (await ws.receive_json_from())["type"] == "hello"
    return ws


async def subscribed(ws, room) -> None:
    await ws.send_json_to({"type": "subscribe", "room": room.pk})
    await receive_until(ws, "subscribed")


async def close_code(ws, timeout: float = 5.0) -> int:
    """Read up to the close frame; its code."""
    async with asyncio.timeout(timeout):
        while True:
            output = await ws.receive_output(timeout=timeout)
            if output["type"] == "websocket.close":
                return output.get("code", 1000)


async def still_open(ws) -> bool:
    await ws.send_json_to({"type": "ping"})
    return (await receive_until(ws, "pong"))["type"] == "pong"


async def frames_until_pong(ws) -> list[dict]:
    """Everything the socket received until it answers a ping."""
    await ws.send_json_to({"type": "ping"})
    seen = []
    while (frame := await ws.receive_json_from(timeout=10)).get("type") != "pong":
        seen.append(frame)
    return seen


@pytest.fixture
def restricted_room(make_space, member, colleague):
    space = make_space("Projekt Nord", is_restricted=True, members=[member, colleague])
    return actions.ensure_space_room(space)


async def test_removal_from_a_restricted_space_drops_its_room_at_once(
    member, colleague, restricted_room
):
    _, cookie = await sync_to_async(signed_in)(member)
    _, other = await sync_to_async(signed_in)(colleague)
    anna, bernd = await socket_of(cookie), await socket_of(other)
    await subscribed(anna, restricted_room)
    await subscribed(bernd, restricted_room)

    # As the admin's member widget does it.
    space = restricted_room.space
    await sync_to_async(space.members.remove)(member)
    dropped = await receive_until(anna, "unsubscribed")
    await bernd.send_json_to(
        {"type": "send", "room": restricted_room.pk, "client_id": "x", "body": "Geheim"}
    )
    await receive_until(bernd, "ack")
    after = await frames_until_pong(anna)
    await anna.disconnect()
    await bernd.disconnect()

    assert dropped == {
        "type": "unsubscribed",
        "room": restricted_room.pk,
        "reason": "access_ended",
    }
    assert not [f for f in after if f["type"] == "chat.message"]
    assert await sync_to_async(Message.objects.count)() == 1


async def test_removal_from_the_members_side_drops_the_room_too(
    member, restricted_room
):
    _, cookie = await sync_to_async(signed_in)(member)
    anna = await socket_of(cookie)
    await subscribed(anna, restricted_room)

    await sync_to_async(member.member_spaces.clear)()
    dropped = await receive_until(anna, "unsubscribed")
    await anna.disconnect()

    assert dropped["room"] == restricted_room.pk


async def test_a_member_still_on_the_list_keeps_the_room(
    member, colleague, restricted_room
):
    _, cookie = await sync_to_async(signed_in)(member)
    anna = await socket_of(cookie)
    await subscribed(anna, restricted_room)

    await sync_to_async(restricted_room.space.members.remove)(colleague)
    seen = await frames_until_pong(anna)
    await anna.disconnect()

    assert not [f for f in seen if f["type"] == "unsubscribed"]


async def test_a_space_turned_restricted_drops_everyone_not_on_its_list(
    make_space, member, colleague, outsider
):
    space = await sync_to_async(make_space)("Offen", members=[colleague])
    room = await sync_to_async(actions.ensure_space_room)(space)
    _, olga_cookie = await sync_to_async(signed_in)(outsider)
    _, bernd_cookie = await sync_to_async(signed_in)(colleague)
    olga, bernd = await socket_of(olga_cookie), await socket_of(bernd_cookie)
    await subscribed(olga, room)
    await subscribed(bernd, room)

    space.is_restricted = True
    await sync_to_async(space.save)()
    dropped = await receive_until(olga, "unsubscribed")
    kept = await frames_until_pong(bernd)
    await olga.disconnect()
    await bernd.disconnect()

    assert dropped["reason"] == "access_ended"
    assert not [f for f in kept if f["type"] == "unsubscribed"]


async def test_a_thread_moved_into_a_restricted_space_stops_its_live_updates(
    make_space, member, staff_member, outsider
):
    space = await sync_to_async(make_space)("Offen")
    thread = await sync_to_async(start_thread)(
        member, space, kind="discussion", title="Bürgerbus", source="Erfahrungen?"
    )
    closed = await sync_to_async(make_space)("Intern", is_restricted=True)
    _, cookie = await sync_to_async(signed_in)(outsider)
    olga = await socket_of(cookie)
    await olga.send_json_to({"type": "forum.watch", "thread": thread.pk})
    await receive_until(olga, "forum.watching")

    await sync_to_async(move_thread)(staff_member, thread, to=closed, reason="intern")
    unwatched = await receive_until(olga, "forum.unwatched")
    await olga.disconnect()

    assert unwatched == {
        "type": "forum.unwatched",
        "thread": thread.pk,
        "reason": "access_ended",
    }


async def test_a_deactivated_members_sockets_are_closed(member):
    _, cookie = await sync_to_async(signed_in)(member)
    anna = await socket_of(cookie)

    member.is_active = False
    await sync_to_async(member.save)()
    ended = await receive_until(anna, "session.ended")

    assert ended == {"type": "session.ended", "reason": "deactivated"}
    assert await close_code(anna) == CLOSE_SESSION_ENDED


async def test_logging_out_closes_that_browsers_socket_and_no_other(member):
    browser, cookie = await sync_to_async(signed_in)(member)
    _, other_cookie = await sync_to_async(signed_in)(member)
    here, elsewhere = await socket_of(cookie), await socket_of(other_cookie)

    await sync_to_async(browser.post)(reverse("account_logout"))
    ended = await receive_until(here, "session.ended")

    assert ended == {"type": "session.ended", "reason": "logged_out"}
    assert await close_code(here) == CLOSE_SESSION_ENDED
    assert await still_open(elsewhere)
    await elsewhere.disconnect()


async def test_a_password_change_closes_the_sockets_of_the_other_sessions(member):
    browser, _ = await sync_to_async(signed_in)(member)
    _, other_cookie = await sync_to_async(signed_in)(member)
    elsewhere = await socket_of(other_cookie)

    answer = await sync_to_async(browser.post)(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Neues-Kennwort-2026",
            "password2": "Neues-Kennwort-2026",
        },
    )
    assert answer.status_code == 302
    ended = await receive_until(elsewhere, "session.ended")

    assert ended["reason"] == "password_changed"
    assert await close_code(elsewhere) == CLOSE_SESSION_ENDED
    # The browser that changed it stays signed in.
    assert (await sync_to_async(browser.get)(reverse("pages:home"))).status_code == 200


async def test_a_session_deleted_by_any_path_ends_its_socket_within_a_heartbeat(
    member, settings
):
    settings.REALTIME_HEARTBEAT = 0.3
    _, cookie = await sync_to_async(signed_in)(member)
    anna = await socket_of(cookie)
    await still_open(anna)

    # No event: as a cleanup job or the admin would delete it.
    await sync_to_async(lambda: Session.objects.all().delete())()
    ended = await receive_until(anna, "session.ended", timeout=3)

    assert ended == {"type": "session.ended", "reason": "session_expired"}
    assert await close_code(anna) == CLOSE_SESSION_ENDED


async def test_a_valid_session_survives_its_heartbeats(member, settings):
    settings.REALTIME_HEARTBEAT = 0.2
    _, cookie = await sync_to_async(signed_in)(member)
    anna = await socket_of(cookie)
    for _ in range(4):
        await asyncio.sleep(0.2)
        assert await still_open(anna)
    await anna.disconnect()


async def test_a_membership_deleted_in_the_admin_drops_the_room(
    member, colleague, invite_only_room
):
    _, cookie = await sync_to_async(signed_in)(colleague)
    bernd = await socket_of(cookie)
    await subscribed(bernd, invite_only_room)

    # The admin's membership inline deletes the row, no action involved.
    await sync_to_async(
        lambda: Membership.objects.filter(
            room=invite_only_room, user=colleague
        ).delete()
    )()
    dropped = await receive_until(bernd, "unsubscribed")
    await bernd.disconnect()

    assert dropped["room"] == invite_only_room.pk


async def test_a_room_turned_invite_only_drops_everyone_not_in_it(
    member, colleague, outsider
):
    room = await sync_to_async(actions.create_room)(
        member, title="Offene Runde", is_invite_only=False
    )
    await sync_to_async(actions.add_members)(member, room, [colleague])
    _, olga_cookie = await sync_to_async(signed_in)(outsider)
    _, bernd_cookie = await sync_to_async(signed_in)(colleague)
    olga, bernd = await socket_of(olga_cookie), await socket_of(bernd_cookie)
    await subscribed(olga, room)
    await subscribed(bernd, room)

    room.is_invite_only = True
    await sync_to_async(room.save)()  # as the admin's room form does
    dropped = await receive_until(olga, "unsubscribed")
    kept = await frames_until_pong(bernd)
    await olga.disconnect()
    await bernd.disconnect()

    assert dropped["room"] == room.pk
    assert not [f for f in kept if f["type"] == "unsubscribed"]


async def test_logging_out_everywhere_ends_every_session_and_its_sockets(member):
    browser, cookie = await sync_to_async(signed_in)(member)
    other_browser, other_cookie = await sync_to_async(signed_in)(member)
    here, elsewhere = await socket_of(cookie), await socket_of(other_cookie)

    answer = await sync_to_async(browser.post)(reverse("accounts:log_out_everywhere"))
    ended = [await receive_until(ws, "session.ended") for ws in (here, elsewhere)]

    assert answer.status_code == 302
    assert [e["reason"] for e in ended] == ["logged_out_everywhere"] * 2
    assert await close_code(here) == CLOSE_SESSION_ENDED
    assert await close_code(elsewhere) == CLOSE_SESSION_ENDED
    page = await sync_to_async(other_browser.get)(reverse("accounts:my_data"))
    assert page.status_code == 302
    assert page.url.startswith(reverse("account_login"))


async def test_emptying_a_spaces_member_list_drops_everyone_on_it(
    member, restricted_room
):
    _, cookie = await sync_to_async(signed_in)(member)
    anna = await socket_of(cookie)
    await subscribed(anna, restricted_room)

    await sync_to_async(restricted_room.space.members.clear)()
    dropped = await receive_until(anna, "unsubscribed")
    await anna.disconnect()

    assert dropped["room"] == restricted_room.pk


async def test_a_member_who_loses_the_staff_flag_loses_the_restricted_rooms(
    staff_member, restricted_room
):
    _, cookie = await sync_to_async(signed_in)(staff_member)
    gerd = await socket_of(cookie)
    await subscribed(gerd, restricted_room)  # staff see every space

    staff_member.is_staff = False
    await sync_to_async(staff_member.save)()
    dropped = await receive_until(gerd, "unsubscribed")
    await gerd.disconnect()

    assert dropped["room"] == restricted_room.pk
