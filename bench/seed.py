"""Members, rooms, sessions and a forum thread, written straight into the
servers' PostgreSQL through the ORM of the bench process (bench.server_settings).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

_ready = False


def setup_django(env: dict) -> None:
    """Point this process at the stack's database and set Django up once."""
    global _ready
    if _ready:
        return
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _ready = True


@dataclass(frozen=True)
class Member:
    room: int
    index: int  # position in the room; message n is sent by member n % size
    user: int
    cookie: str


def sessions_for(users) -> list[str]:
    """One signed-in session per user, inserted in one statement."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    rows, keys = [], []
    expiry = timezone.now() + timedelta(days=1)
    for user in users:
        key = store._get_new_session_key()
        data = store.encode(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
            }
        )
        rows.append(Session(session_key=key, session_data=data, expire_date=expiry))
        keys.append(key)
    Session.objects.bulk_create(rows)
    return keys


def chat_rooms(prefix: str, rooms: int, size: int) -> list[list[Member]]:
    """`rooms` ad-hoc rooms of `size` signed-in members each."""
    from accounts.models import User
    from chat.models import Membership, MembershipRole, Room, RoomKind

    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@bench.example", name=f"Bench {n}", password="!")  # noqa: S106
        for n in range(rooms * size)
    )
    cookies = sessions_for(users)
    created = Room.objects.bulk_create(
        Room(kind=RoomKind.ADHOC, title=f"{prefix} {n}") for n in range(rooms)
    )
    memberships, result = [], []
    for number, room in enumerate(created):
        members = []
        for index in range(size):
            position = number * size + index
            user = users[position]
            memberships.append(
                Membership(room=room, user=user, role=MembershipRole.MEMBER)
            )
            members.append(Member(room.pk, index, user.pk, cookies[position]))
        result.append(members)
    Membership.objects.bulk_create(memberships)
    return result


def stored_messages(room_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """Per room: (seq, client_id, body) of every stored message, by seq."""
    from chat.models import Message

    found: dict[int, list[tuple[int, str, str]]] = {r: [] for r in room_ids}
    rows = Message.objects.filter(room_id__in=room_ids).order_by("room_id", "seq")
    for room_id, seq, client_id, body in rows.values_list(
        "room_id", "seq", "client_id", "body"
    ):
        found[room_id].append((seq, client_id, body))
    return found
