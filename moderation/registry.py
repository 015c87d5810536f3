"""What can be reported and moderated, registered by the apps that own it, and
what other apps contribute to moderation (the chat's room mutes, the members'
contributions counted in their history and for pre-moderation).

The moderation app knows reports, the queue, decisions and sanctions; it does
not know forum posts or chat messages. Each owning app registers a
`TargetType` from its `AppConfig.ready()` ("post", "thread" from the forum,
"chat_message" from the chat, "profile" from accounts), and later modules
(grants, seminars) can add theirs the same way.

The effect functions (`hide`, `restore`, `delete`, `approve`, `edit`) change
the content and publish its live event; they run inside the moderation
decision's transaction, after `moderation.permissions` allowed the moderator,
and do not write the audit row: the decision writes one row for the whole
decision (`moderation.post.hidden`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User
    from community.models import Space

Effect = Callable[["User", Any], bool]


@dataclass(frozen=True)
class TargetType:
    kind: str
    # Shown in the queue and the statement of reasons ("Forenbeitrag").
    label: Any
    # The object by id, with what the other callables need, or None.
    load: Callable[[int], Any | None]
    # May `user` see it at all? Reporting invisible content is refused as 404.
    can_view: Callable[[User, Any], bool]
    # Space moderators act on targets of their space; None = global moderators only.
    space_of: Callable[[Any], Space | None]
    author_of: Callable[[Any], User | None]
    excerpt: Callable[[Any], str]
    url: Callable[[Any], str]
    # Context for the review queue: a template name and its context.
    context: Callable[[Any], tuple[str, dict[str, Any]]] | None = None
    hide: Effect | None = None
    restore: Effect | None = None
    delete: Effect | None = None
    approve: Effect | None = None
    # edit(moderator, obj, source=..., note=...) -> bool
    edit: Callable[..., bool] | None = None


_types: dict[str, TargetType] = {}


def register(target_type: TargetType) -> None:
    """Make a kind of content reportable; registering a kind again replaces it."""
    _types[target_type.kind] = target_type


def target_type(kind: str) -> TargetType:
    """The registered type; KeyError for an unknown kind."""
    return _types[kind]


def kinds() -> list[str]:
    return list(_types)


@dataclass(frozen=True)
class RoomMutes:
    """The chat's part of a space moderator's mute, registered by the chat:
    moderation records the sanction, the chat makes it bite in the room."""

    # Mute the member in the space's chat room until then; returns the room id.
    mute_in_space: Callable[[Space, User, datetime], int]
    # Set the member's mute in the room to end then (None: no mute left).
    set_room_mute: Callable[[int, User, datetime | None], None]
    # Room titles by id, for the statement of reasons and the member history.
    room_titles: Callable[[list[int]], dict[int, str]]


_room_mutes: list[RoomMutes] = []


def register_room_mutes(room_mutes: RoomMutes) -> None:
    _room_mutes[:] = [room_mutes]


def room_mutes() -> RoomMutes:
    """The chat's room mutes; LookupError if no app registered them."""
    if not _room_mutes:
        raise LookupError("no app registered room mutes (the chat does)")
    return _room_mutes[0]


@dataclass(frozen=True)
class Contributions:
    """What members wrote in one app: counted in their moderation history and,
    where `approved` is given, for pre-moderation (a newcomer's posts are held
    until this many of them were approved)."""

    count: Callable[[User], int]
    # "3 forum posts", in the active language.
    describe: Callable[[int], str]
    # How many of the member's texts are visible, counting up to the limit.
    approved: Callable[[User, int], int] | None = None


_contributions: dict[str, Contributions] = {}


def register_contributions(key: str, contributions: Contributions) -> None:
    _contributions[key] = contributions


def contributions() -> list[Contributions]:
    return list(_contributions.values())
