"""The cast of the permission matrix, and factories for moderation tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from chat.actions.rooms import ensure_space_room
from chat.models import Room
from community.models import Space
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


# --- Added by the moderation core: a test-only target type and event capture --

FAKE_KIND = "fake_post"


def _fake_can_view(user, post) -> bool:
    from community.permissions import can_moderate_space, can_view_space
    from moderation.models import Visibility

    if not can_view_space(user, post.thread.space):
        return False
    if post.visibility == Visibility.VISIBLE or post.author_id == user.pk:
        return True
    return can_moderate_space(user, post.thread.space)


def _set_visibility(post, visibility, **fields) -> bool:
    if post.visibility == visibility and not fields:
        return False
    post.visibility = visibility
    for name, value in fields.items():
        setattr(post, name, value)
    post.save(update_fields=["visibility", *fields])
    return True


def _fake_edit(moderator, post, *, source, note) -> bool:
    post.source = source
    post.moderator_note = note
    post.save(update_fields=["source", "moderator_note"])
    return True


def _fake_approve(moderator, post) -> bool:
    from moderation.models import Visibility

    if post.visibility != Visibility.PENDING:
        return False
    return _set_visibility(post, Visibility.VISIBLE)


def make_fake_type():
    """A "post"-like target type over forum posts, independent of the forum's
    own registration: the moderation core's tests run against it."""
    from forum.models import Post
    from moderation.models import Visibility
    from moderation.registry import TargetType

    return TargetType(
        kind=FAKE_KIND,
        label="Testbeitrag",
        load=lambda pk: (
            Post.objects.select_related("thread__space", "author").filter(pk=pk).first()
        ),
        can_view=_fake_can_view,
        space_of=lambda post: post.thread.space,
        author_of=lambda post: post.author,
        excerpt=lambda post: post.source,
        url=lambda post: f"/forum/beitrag/{post.pk}/",
        hide=lambda moderator, post: _set_visibility(post, Visibility.HIDDEN),
        restore=lambda moderator, post: _set_visibility(post, Visibility.VISIBLE),
        delete=lambda moderator, post: _set_visibility(
            post, Visibility.REMOVED, source=""
        ),
        approve=_fake_approve,
        edit=_fake_edit,
    )


@pytest.fixture
def fake_kind():
    """Registers the "fake_post" target type for one test."""
    from moderation import registry

    registry.register(make_fake_type())
    yield FAKE_KIND
    registry._types.pop(FAKE_KIND, None)


@pytest.fixture
def fake_post(cast, fake_kind, make_thread):
    """A post by `cast.author` in `cast.space`."""
    thread = make_thread(
        cast.author,
        in_space=cast.space,
        title="Bürgerbus im Landkreis",
        source="Der Bürgerbus fährt ab Mai auch sonntags.",
    )
    return thread.posts.get(position=1)


class Published:
    """Events published to channel-layer groups while a test runs."""

    def __init__(self) -> None:
        from channels.layers import get_channel_layer

        self.layer = get_channel_layer()
        self.channels: dict[str, str] = {}

    def listen(self, *groups: str) -> Published:
        import asyncio

        for group in groups:
            channel = asyncio.run(self.layer.new_channel())
            asyncio.run(self.layer.group_add(group, channel))
            self.channels[group] = channel
        return self

    def events(self, group: str) -> list[dict]:
        """Everything that reached `group` so far (drained)."""
        import asyncio

        async def drain() -> list[dict]:
            found = []
            while True:
                try:
                    message = await asyncio.wait_for(
                        self.layer.receive(self.channels[group]), 0.05
                    )
                except TimeoutError:
                    return found
                if message["type"] == "realtime.event":
                    found.append(message["event"])
                else:
                    found.extend(message["events"])

        return asyncio.run(drain())


@pytest.fixture
def published():
    """`published.listen("moderation.queue")`, act, then `published.events(...)`."""
    from channels.layers import get_channel_layer

    capture = Published()
    yield capture
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        import asyncio

        asyncio.run(layer.flush())


@pytest.fixture
def verified_member(make_member):
    """Members whose affiliation staff verified: their reports count for auto-hide."""
    from django.utils import timezone

    def make(**fields):
        return make_member(affiliation_verified_at=timezone.now(), **fields)

    return make


@pytest.fixture
def english(client, settings):
    """Pages in English: the tests read the msgids, whatever the catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def fast_passwords(settings):
    """The cast logs in with force_login: hashing seven Argon2 passwords per
    test would cost seconds. Use it before `cast` (pytestmark.usefixtures)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
