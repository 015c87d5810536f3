"""Factories and a WebSocket helper for the chat tests."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from accounts.models import User
from chat import actions
from chat.models import Room
from community.models import Space

SAME_ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def make_space(db) -> Callable[..., Space]:
    counter = iter(range(1, 10_000))

    def make(title: str = "", *, is_restricted: bool = False, members=()) -> Space:
        n = next(counter)
        space = Space.objects.create(
            title=title or f"Themenraum {n}",
            slug=f"themenraum-{n}",
            is_restricted=is_restricted,
        )
        space.members.set(members)
        return space

    return make


@pytest.fixture
def space_room(make_space) -> Room:
    return actions.ensure_space_room(make_space("Mobilität im ländlichen Raum"))


@pytest.fixture
def colleague(make_member) -> User:
    return make_member(name="Bernd Kollege", email="bernd@example.org")


@pytest.fixture
def outsider(make_member) -> User:
    return make_member(name="Olga Außen", email="olga@example.org")


@pytest.fixture
def invite_only_room(member, colleague) -> Room:
    room = actions.create_room(member, title="Projektgruppe", is_invite_only=True)
    actions.add_members(member, room, [colleague])
    return room


def new_client_id() -> str:
    return uuid.uuid4().hex


def send(author: User, room: Room, body: str = "Hallo!", **options):
    options.setdefault("client_id", new_client_id())
    return actions.send_message(author, room, body=body, **options)


def cookie_of(user: User) -> tuple[bytes, bytes]:
    """The Cookie header of a fresh session of `user`."""
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


@pytest.fixture
def session_cookie() -> Callable[[User], tuple[bytes, bytes]]:
    return cookie_of


@contextlib.asynccontextmanager
async def open_socket(user: User) -> AsyncIterator[WebsocketCommunicator]:
    """`async with open_socket(user) as ws:` a greeted socket of `user`."""
    from zukunftsraum.asgi import application

    cookie = await sync_to_async(cookie_of)(user)
    ws = WebsocketCommunicator(application, "/ws/", headers=[SAME_ORIGIN, cookie])
    connected, _ = await ws.connect()
    assert connected
    hello = await ws.receive_json_from()
    assert hello["type"] == "hello"
    try:
        yield ws
    finally:
        await ws.disconnect()


@pytest.fixture
def connect():
    """`async with connect(user) as ws:` a greeted socket of `user`."""
    return open_socket


async def receive_all(ws, *frame_types: str, timeout: float = 10.0) -> dict:
    """One frame of each of `frame_types`, in whatever order they come."""
    found: dict[str, dict] = {}
    while len(found) < len(frame_types):
        frame = await ws.receive_json_from(timeout=timeout)
        if frame["type"] in frame_types:
            found.setdefault(frame["type"], frame)
    return found


async def receive_until(ws, frame_type: str, timeout: float = 10.0) -> dict:
    """The next frame of `frame_type`, skipping others (presence, typing...)."""
    while True:
        frame = await ws.receive_json_from(timeout=timeout)
        if frame["type"] == frame_type:
            return frame


class Listener:
    """What the actions publish after commit to some groups, as the sockets
    would get it: room groups from the (in-process) room bus, every other
    group through a channel of the real (in-memory) channel layer."""

    def __init__(self, *groups: str) -> None:
        import asyncio
        import json

        from channels.layers import get_channel_layer

        from realtime.bus import get_bus
        from realtime.groups import chat_room_id

        self.from_bus: list[dict] = []
        self.layer = get_channel_layer()
        self.channel = asyncio.run(self.layer.new_channel())
        for group in groups:
            room_id = chat_room_id(group)
            if room_id is None:
                asyncio.run(self.layer.group_add(group, self.channel))
            else:
                get_bus().listen(
                    room_id,
                    lambda room, entries: self.from_bus.extend(
                        json.loads(text) for _, _, text in entries
                    ),
                )

    def events(self, timeout: float = 0.2) -> list[dict]:
        """Every event received so far (waiting `timeout` for the next)."""
        import asyncio

        async def drain() -> list[dict]:
            found: list[dict] = []
            while True:
                try:
                    message = await asyncio.wait_for(
                        self.layer.receive(self.channel), timeout
                    )
                except TimeoutError:
                    return found
                found.extend(message.get("events") or [message.get("event")])

        found = asyncio.run(drain())
        found[:0], self.from_bus[:] = list(self.from_bus), []
        return found


@pytest.fixture(scope="session", autouse=True)
def chat_store_thread_lets_go_of_the_database(django_db_setup):
    """The chat's store thread keeps its database connection between batches
    (chat.store): it lets go before the test database is dropped."""
    yield
    from django.db import connections

    from chat import store

    store.EXECUTOR.submit(connections.close_all).result(timeout=10)
