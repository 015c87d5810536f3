"""The cast of the permission matrix, and factories for moderation tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from chat.actions.rooms import ensure_space_room
from chat.models import Room
from forum.models import Space
from tests.forum.conftest import add_posts, make_space, make_thread, space

__all__ = ["add_posts", "make_space", "make_thread", "space"]


@dataclass
class Cast:
    """Everyone the permission matrix asks, around one space and its room.

    `author` wrote the content; `other` is a member of the platform without
    any role; `space_moderator` moderates `space`, `foreign_moderator` only
    `other_space`; `global_moderator` is Geschäftsstelle staff; `admin` a
    superuser.
    """

    space: Space
    other_space: Space
    room: Room
    author: User
    other: User
    space_moderator: User
    foreign_moderator: User
    global_moderator: User
    admin: User

    def by_role(self, role: str) -> User | None:
        """The user for a role name of the matrix; None for "anonymous"."""
        return None if role == "anonymous" else getattr(self, role)


ROLES = [
    "anonymous",
    "other",
    "space_moderator",
    "foreign_moderator",
    "global_moderator",
    "admin",
]
# Who may moderate content of `Cast.space`.
MODERATORS_OF_SPACE = {"space_moderator", "global_moderator", "admin"}


@pytest.fixture
def cast(make_member, space, make_space) -> Cast:
    other_space = make_space(title="Pflege und Gesundheit", slug="pflege")
    space_moderator = make_member(name="Sabine Moderatorin")
    foreign_moderator = make_member(name="Frank Fremdmoderator")
    space.moderators.add(space_moderator)
    other_space.moderators.add(foreign_moderator)
    admin = make_member(name="Ada Admin", is_staff=True, is_superuser=True)
    return Cast(
        space=space,
        other_space=other_space,
        room=ensure_space_room(space),
        author=make_member(name="Alex Autor"),
        other=make_member(name="Olga Andere"),
        space_moderator=space_moderator,
        foreign_moderator=foreign_moderator,
        global_moderator=make_member(name="Gerd Geschäftsstelle", is_staff=True),
        admin=admin,
    )
