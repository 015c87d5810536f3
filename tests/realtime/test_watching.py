"""Thread pages follow their thread live; a deleted account's sockets close."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.actions import delete_account
from community.models import Space
from forum.actions.posts import reply
from forum.actions.threads import start_thread
from zukunftsraum.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

SAME_ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def socket_for(client):
    async def open_socket(user) -> WebsocketCommunicator:
        await sync_to_async(client.force_login)(user)
        cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
        ws = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN, cookie])
        connected, _ = await ws.connect()
        assert connected
        assert (await ws.receive_json_from())["type"] == "hello"
        return ws

    return open_socket


@pytest.fixture
def thread(member):
    space = Space.objects.create(title="Mobilität", slug="mobilitaet")
    return start_thread(member, space, kind="discussion", title="Bus", source="Frage")


async def test_a_watched_thread_streams_new_posts(
    socket_for, member, make_member, thread
):
    ws = await socket_for(member)
    await ws.send_json_to({"type": "forum.watch", "thread": thread.pk, "ref": 1})
    assert await ws.receive_json_from() == {
        "type": "forum.watching",
        "thread": thread.pk,
        "ref": 1,
    }
    author = await sync_to_async(make_member)()
    post = await sync_to_async(reply)(author, thread, source="Antwort")
    frames = [await ws.receive_json_from(timeout=3) for _ in range(2)]
    by_type = {frame["type"]: frame for frame in frames}
    # The author follows their thread: the notification arrives as well.
    assert by_type["notification"]["kind"] == "reply"
    assert by_type["forum.post"] == {
        "type": "forum.post",
        "op": "add",
        "thread": thread.pk,
        "post": post.pk,
        "position": 2,
        "url": f"/forum/beitrag/{post.pk}/",
    }
    await ws.disconnect()


async def test_threads_of_restricted_spaces_cannot_be_watched(
    socket_for, make_member, member
):
    def restricted_thread():
        space = Space.objects.create(
            title="Projekt", slug="projekt", is_restricted=True
        )
        space.members.add(member)
        return start_thread(
            member, space, kind="discussion", title="Intern", source="x"
        )

    hidden = await sync_to_async(restricted_thread)()
    outsider = await sync_to_async(make_member)()
    ws = await socket_for(outsider)
    await ws.send_json_to({"type": "forum.watch", "thread": hidden.pk})
    error = await ws.receive_json_from()
    assert error == {"type": "error", "code": "thread_not_found", "thread": hidden.pk}
    await ws.send_json_to({"type": "forum.watch", "thread": "eins"})
    assert (await ws.receive_json_from())["code"] == "bad_field"
    await ws.disconnect()


async def test_deleting_the_account_closes_its_open_sockets(
    socket_for, member, staff_member
):
    ws = await socket_for(member)
    await sync_to_async(delete_account)(
        staff_member, member, reason="Schreiben vom 3.3."
    )
    event = await ws.receive_json_from(timeout=3)
    assert event == {"type": "session.ended", "reason": "account_deleted"}
    closed = await ws.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4001}
