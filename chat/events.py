"""The chat's events: small JSON dicts, the same shape over WebSocket and HTTP.

docs/protocol.md describes every field. A message event always carries the
message's whole current state, so a client replaces what it shows by id.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from chat.models import REACTIONS, Message, Room
from community.markup import plain_text
from moderation.models import Visibility

EXCERPT_LENGTH = 120


def author_data(user: User | None) -> dict[str, Any] | None:
    """A deactivated (deleted) account carries `active: false`: its name
    links to no profile."""
    if user is None:
        return None
    data = {"id": user.pk, "name": user.display_name}
    if not user.is_active:
        data["active"] = False
    return data


def _reactions(message: Message):
    prefetched = getattr(message, "_prefetched_objects_cache", {})
    if "reactions" in prefetched:
        return prefetched["reactions"]
    return message.reactions.select_related("user").order_by("pk")


def reactions_data(message: Message) -> list[dict[str, Any]]:
    """Who reacted how: ids, and names to show. Needs `message.reactions`
    prefetched with their users (chat.queries), or is one query."""
    given: dict[str, list[tuple[int, str]]] = {}
    for reaction in _reactions(message):
        given.setdefault(reaction.emoji, []).append(
            (reaction.user_id, reaction.user.display_name)
        )
    return [
        {
            "emoji": emoji,
            "count": len(given[emoji]),
            "users": sorted(pk for pk, _ in given[emoji]),
            "names": [name for _, name in given[emoji]],
        }
        for emoji in REACTIONS
        if emoji in given
    ]


def shows_text(message: Message) -> bool:
    """May everyone who sees the room read this message's text?"""
    return not message.is_deleted and message.visibility == Visibility.VISIBLE


def reply_excerpt(message: Message) -> str:
    """The start of a replied-to message, as plain words (no Markdown)."""
    if not shows_text(message):
        return ""
    text = " ".join(plain_text(message.html).split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def reply_data(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    return {
        "id": message.pk,
        "seq": message.seq,
        "author": author_data(message.author),
        "excerpt": reply_excerpt(message),
    }


def message_data(
    message: Message, *, with_reactions: bool = True, reveal: bool = False
) -> dict[str, Any]:
    """The message as every client sees it. A pending, hidden or removed
    message keeps its place (`seq`) but carries no text, only `visibility`;
    `reveal` keeps the text of a pending or hidden one (the author's and the
    room's moderators' own history over HTTP, never a broadcast)."""
    deleted = message.is_deleted
    text = shows_text(message) or (reveal and not deleted)
    return {
        "id": message.pk,
        "room": message.room_id,
        "seq": message.seq,
        "client_id": message.client_id,
        "author": author_data(message.author),
        "body": message.body if text else "",
        "html": message.html if text else "",
        "created": message.created_at.isoformat(),
        "edited": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "visibility": message.visibility,
        "reply_to": reply_data(message.reply_to) if message.reply_to_id else None,
        "reactions": reactions_data(message) if with_reactions else [],
    }


def message_event(
    message: Message, op: str, *, with_reactions: bool = True
) -> dict[str, Any]:
    """op: add | edit | delete | react, and from moderation hide | restore |
    approve | remove. A freshly stored message has no reactions yet:
    `with_reactions=False` spares the query."""
    return {
        "type": "chat.message",
        "op": op,
        "room": message.room_id,
        "message": message_data(message, with_reactions=with_reactions),
    }


def room_event(room: Room) -> dict[str, Any]:
    """To the room's subscribers: its settings changed (slow mode)."""
    return {
        "type": "chat.room",
        "op": "settings",
        "room": room.pk,
        "slow_mode": room.slow_mode_seconds,
    }


def membership_event(room: Room, op: str) -> dict[str, Any]:
    """To a member's own sockets: op added | removed."""
    return {"type": "chat.membership", "op": op, "room": room.pk}
