"""The /ws/ endpoint through the full ASGI stack (origin check, session auth)."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from realtime import groups
from zukunftsraum.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

SAME_ORIGIN = (b"origin", b"http://testserver")


def communicator(*headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/", headers=list(headers))


@pytest.fixture
def session_cookie(client, member) -> tuple[bytes, bytes]:
    client.force_login(member)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def test_foreign_origin_is_refused_at_the_handshake(session_cookie):
    ws = communicator((b"origin", b"https://evil.example"), session_cookie)
    connected, _ = await ws.connect()
    assert not connected


async def test_anonymous_visitor_is_refused_at_the_handshake():
    ws = communicator(SAME_ORIGIN)
    connected, _ = await ws.connect()
    assert not connected


async def test_deactivated_member_is_refused(session_cookie, member):
    member.is_active = False
    await sync_to_async(member.save)(update_fields=["is_active"])
    ws = communicator(SAME_ORIGIN, session_cookie)
    connected, _ = await ws.connect()
    assert not connected


async def test_signed_in_member_is_greeted_with_hello(session_cookie, member):
    ws = communicator(SAME_ORIGIN, session_cookie)
    connected, _ = await ws.connect()
    assert connected
    hello = await ws.receive_json_from()
    assert hello == {
        "type": "hello",
        "user": member.pk,
        "epoch": hello["epoch"],
        "heartbeat": 25.0,
    }
    await ws.disconnect()


async def test_bad_frames_get_error_frames_and_the_socket_stays_usable(
    session_cookie,
):
    ws = communicator(SAME_ORIGIN, session_cookie)
    await ws.connect()
    await ws.receive_json_from()

    await ws.send_to(text_data="{not json")
    assert await ws.receive_json_from() == {"type": "error", "code": "bad_json"}
    await ws.send_to(bytes_data=b"\x00\x01")
    assert await ws.receive_json_from() == {"type": "error", "code": "bad_json"}
    await ws.send_json_to([1, 2, 3])
    assert await ws.receive_json_from() == {"type": "error", "code": "bad_frame"}
    await ws.send_json_to({"type": "launch.rocket"})
    assert await ws.receive_json_from() == {"type": "error", "code": "unknown_type"}
    await ws.send_json_to({"type": "launch.rocket", "ref": "r1"})
    assert await ws.receive_json_from() == {
        "type": "error",
        "code": "unknown_type",
        "ref": "r1",
    }
    await ws.send_json_to({"ref": 5})
    assert await ws.receive_json_from() == {
        "type": "error",
        "code": "bad_frame",
        "ref": 5,
    }
    # Deeper than any parser recursion: an error frame, not a crash (1011).
    await ws.send_to(text_data="[" * 15_000 + "]" * 15_000)
    assert await ws.receive_json_from() == {"type": "error", "code": "bad_json"}

    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.disconnect()


async def test_events_for_the_member_reach_their_socket(session_cookie, member):
    ws = communicator(SAME_ORIGIN, session_cookie)
    await ws.connect()
    await ws.receive_json_from()

    event = {"type": "notification.added", "id": 1}
    await get_channel_layer().group_send(
        groups.user(member.pk), {"type": "realtime.event", "event": event}
    )
    assert await ws.receive_json_from() == event
    await ws.disconnect()
