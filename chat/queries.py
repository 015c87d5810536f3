"""Reads for the chat: rooms with unread counts, history pages, replays.

Every function here runs a constant number of queries, whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from chat.events import message_event
from chat.models import (
    Attachment,
    Membership,
    Message,
    Reaction,
    Room,
    RoomKind,
    StoreEpoch,
)
from community.markup import plain_text
from community.queries.spaces import visible_spaces
from community.textsearch import (
    day_range,
    fold,
    fold_expression,
    parse,
    prefix,
    snippet,
)
from moderation.models import Visibility

HISTORY_PAGE_SIZE = 50
MAX_HISTORY_PAGE_SIZE = 100


def store_epoch() -> str:
    """The token naming this message store (see StoreEpoch)."""
    epoch = StoreEpoch.objects.order_by("pk").first()
    if epoch is None:
        epoch = StoreEpoch.objects.create()
    return epoch.token


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related(
        "author", "reply_to__author"
    ).prefetch_related(
        Prefetch(
            "reactions", queryset=Reaction.objects.select_related("user").order_by("pk")
        )
    )


@dataclass
class HistoryPage:
    messages: list[Message]  # oldest first
    has_more: bool  # older messages exist before the first one


def history(
    room: Room,
    *,
    before: int | None = None,
    limit: int = 50,
    around: int | None = None,
) -> HistoryPage:
    """A page of messages before sequence number `before` (the latest page if
    None), or with `around` in its middle (a search result): keyset
    pagination on (room, seq), two queries."""
    limit = max(1, min(limit, MAX_HISTORY_PAGE_SIZE))
    messages = _messages().filter(room=room)
    if around is not None:
        before = around + limit // 2
    if before is not None:
        messages = messages.filter(seq__lt=before)
    page = list(messages.order_by("-seq")[: limit + 1])
    has_more = len(page) > limit
    return HistoryPage(messages=page[:limit][::-1], has_more=has_more)


# Messages of one author this close together form one block (chat.js draws
# the same blocks for live messages).
GROUP_WINDOW = timedelta(minutes=5)


def mark_continuations(messages: list[Message], *, break_before: int | None) -> None:
    """Set `continues` on each message that continues its author's block:
    it follows their previous message within five minutes on the same day,
    replies to nothing, and no divider (`break_before`, the first unread
    sequence number) stands between them."""
    previous = None
    for message in messages:
        message.continues = bool(
            previous is not None
            and message.author_id is not None
            and message.author_id == previous.author_id
            and not previous.is_deleted
            and message.reply_to_id is None
            and message.seq != break_before
            and message.created_at - previous.created_at < GROUP_WINDOW
            and timezone.localdate(message.created_at)
            == timezone.localdate(previous.created_at)
        )
        previous = message


@dataclass
class Replay:
    events: list[dict[str, Any]]
    head: int  # the room's last sequence number when read
    too_many: bool  # more than the limit were missed: reload the history


def replay(room_id: int, *, since: int | None, limit: int) -> Replay:
    """The message events after `since`, oldest first, up to `limit` (none if
    `since` is None: then only the head is read)."""
    head = Room.objects.filter(pk=room_id).values_list("last_seq", flat=True).first()
    if head is None or since is None or since >= head:
        return Replay(events=[], head=head or 0, too_many=False)
    if head - since > limit:
        return Replay(events=[], head=head, too_many=True)
    missed = _messages().filter(room_id=room_id, seq__gt=since).order_by("seq")
    return Replay(
        events=[message_event(m, "add") for m in missed[:limit]],
        head=head,
        too_many=False,
    )


def room_heads(room_ids: list[int]) -> dict[int, int]:
    """The last sequence number of each room."""
    return dict(Room.objects.filter(pk__in=room_ids).values_list("pk", "last_seq"))


def message_events(room_id: int, seqs: list[int]) -> list[dict[str, Any]]:
    missed = _messages().filter(room_id=room_id, seq__in=seqs).order_by("seq")
    return [message_event(m, "add") for m in missed]


def member_names(user_ids: list[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "name"))


def visible_rooms(user: User) -> QuerySet[Room]:
    """The rooms `user` may open (chat.permissions.can_view_room, as one
    query): their spaces' rooms unless removed, open ad-hoc rooms, and the
    members-only rooms they belong to."""
    removed = Membership.objects.filter(user=user, removed_at__isnull=False)
    return Room.objects.filter(
        Q(kind=RoomKind.SPACE, space__in=visible_spaces(user).values("pk"))
        | Q(kind=RoomKind.ADHOC, is_invite_only=False)
        | (
            ~Q(kind=RoomKind.SPACE)
            & Q(pk__in=Membership.objects.filter(user=user).values("room_id"))
        )
    ).exclude(pk__in=removed.values("room_id"))


def rooms_for(user: User) -> list[Room]:
    """The rooms `user` may open, most recently active first, each with
    `is_joined`, `unread` (None where not joined) and `label`. Three queries."""
    mine = Membership.objects.filter(room=OuterRef("pk"), user=user)
    rooms = list(
        visible_rooms(user)
        .annotate(
            is_joined=Exists(mine),
            last_read_seq=Subquery(mine.values("last_read_seq")[:1]),
        )
        .order_by("-last_message_at", "title", "pk")
    )
    for room in rooms:
        room.unread = room.last_seq - room.last_read_seq if room.is_joined else None
    label_rooms(rooms, user)
    return rooms


def label_rooms(rooms: list[Room], viewer: User) -> None:
    """Give each room a `label`: its title, or the other members' names for a
    direct conversation (one query for all of them)."""
    direct = [room.pk for room in rooms if room.kind == RoomKind.DIRECT]
    names: dict[int, list[str]] = {}
    if direct:
        for room_id, name in (
            Membership.objects.filter(room_id__in=direct)
            .exclude(user=viewer)
            .order_by("user__name")
            .values_list("room_id", "user__name")
        ):
            names.setdefault(room_id, []).append(name)
    for room in rooms:
        if room.kind == RoomKind.DIRECT:
            # Nobody else left: the others deleted their accounts (their
            # memberships went with them), as their messages show it too.
            room.label = ", ".join(names.get(room.pk, [])) or gettext("Former member")
        else:
            room.label = room.title or str(room)


def direct_exists(key: str) -> bool:
    """Whether the direct conversation of these people (`actions.direct_key`)
    exists already."""
    return Room.objects.filter(direct_key=key).exists()


SEARCH_RESULTS = 50


@dataclass
class MessageHit:
    message: Message
    snippet: str  # safe HTML with <mark> around the found words


def search_messages(
    user: User,
    query: str,
    *,
    author: str = "",
    since: date | None = None,
    until: date | None = None,
    newest_first: bool = True,
) -> list[MessageHit]:
    """Visible messages in the rooms `user` may open whose words match
    `query` (the forum's syntax and spelling folds, community.textsearch),
    newest first. The chat keeps no full-text index: its messages are few
    (CHAT_RETENTION_DAYS) and short, so a folded substring match per word
    does. Two queries (the messages, the labels of direct conversations)."""
    terms = parse(query)
    if not terms:
        return []
    condition = Q()
    for index, term in enumerate(terms):
        words = " ".join(fold(word) for word in term.words)
        one = Q(folded__contains=words if len(term.words) > 1 else prefix(words))
        if term.negate:
            condition &= ~one
        elif term.either and index:
            condition |= one
        else:
            condition &= one
    messages = (
        Message.objects.filter(
            room__in=visible_rooms(user),
            visibility=Visibility.VISIBLE,
            deleted_at__isnull=True,
        )
        .annotate(folded=fold_expression(F("body")))
        .filter(condition)
        .select_related("room", "author")
    )
    if author:
        messages = messages.filter(author__name__icontains=author)
    start, end = day_range(since, until)
    if start:
        messages = messages.filter(created_at__gte=start)
    if end:
        messages = messages.filter(created_at__lt=end)
    found = list(
        messages.order_by("-created_at" if newest_first else "created_at")[
            :SEARCH_RESULTS
        ]
    )
    label_rooms(list({m.room_id: m.room for m in found}.values()), user)
    return [MessageHit(m, snippet(plain_text(m.html), query)) for m in found]


def room_members(room: Room) -> list[Membership]:
    return list(room.members.select_related("user").order_by("user__name", "user_id"))


def removed_members(room: Room) -> list[Membership]:
    """Members removed from a space room (banned until readmitted)."""
    return list(
        room.members.filter(removed_at__isnull=False)
        .select_related("user")
        .order_by("user__name", "user_id")
    )


def message_in_room(room: Room, message_id: int) -> Message | None:
    return Message.objects.filter(room=room, pk=message_id).first()


# --- The member's data export (DSGVO Art. 15/20) ----------------------------


def export_messages(member: User) -> list[dict]:
    messages = Message.objects.filter(author=member).select_related("room")
    return [
        {
            "id": message.pk,
            "room": message.room.title or message.room.get_kind_display(),
            "room_kind": message.room.kind,
            "created_at": message.created_at,
            "edited_at": message.edited_at,
            "deleted": message.deleted_at is not None,
            "text": message.body,
        }
        for message in messages.order_by("created_at")
    ]


def export_rooms(member: User) -> list[dict]:
    memberships = Membership.objects.filter(user=member).select_related("room")
    return [
        {
            "room": m.room.title or m.room.get_kind_display(),
            "room_kind": m.room.kind,
            "role": m.role,
            "joined_at": m.joined_at,
            "last_read_seq": m.last_read_seq,
        }
        for m in memberships.order_by("joined_at")
    ]


# --- Moderation (moderation.registry's "chat_message") -----------------------

CONTEXT_MESSAGES = 5


def message_for_moderation(message_id: int) -> Message | None:
    """A message with what the review queue and its permission checks need."""
    return (
        Message.objects.select_related("room__space", "author")
        .filter(pk=message_id)
        .first()
    )


def message_context(message: Message) -> tuple[str, dict[str, Any]]:
    """The review queue's view of a message: up to five messages before and
    after it, with their text (moderators see pending and hidden text). Two
    queries."""
    around = _messages().filter(room_id=message.room_id)
    before = list(
        around.filter(seq__lt=message.seq).order_by("-seq")[:CONTEXT_MESSAGES]
    )
    after = list(around.filter(seq__gt=message.seq).order_by("seq")[:CONTEXT_MESSAGES])
    return (
        "chat/partials/message_context.html",
        {
            "room": message.room,
            "message": message,
            "messages": [*before[::-1], message, *after],
        },
    )


def room_titles(room_ids: list[int]) -> dict[int, str]:
    return dict(Room.objects.filter(pk__in=room_ids).values_list("pk", "title"))


def message_count(member: User) -> int:
    return Message.objects.filter(author=member).count()


def export_attachments(member: User) -> list[tuple[str, object]]:
    """The files the member uploaded into rooms: "<room>/<id>-<name>", opened
    from storage when the archive is written."""
    attachments = Attachment.objects.filter(uploader=member).order_by("pk")
    return [
        (
            f"{attachment.room_id}/{attachment.pk}-{attachment.original_name}",
            lambda attachment=attachment: attachment.file.open("rb"),
        )
        for attachment in attachments
    ]
