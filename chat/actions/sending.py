"""Sending chat messages: a whole batch of sends in one transaction.

The WebSocket path collects concurrent sends into batches (a group commit, see
realtime/batch.py). Per room the sequence numbers stay gap-free: the room rows
are locked, their counters advanced, and the messages inserted in the same
transaction, so a rollback takes the numbers back with it. Everything a send
is checked against (permissions, sanctions, slow mode, the word filter) is
read once per batch, so a batch costs the same queries for one room or many.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from chat.actions.messages import (
    clean_body,
    clean_client_id,
    notify_direct,
    notify_mentioned,
)
from chat.actions.slow_mode import SlowModeCheck
from chat.events import message_event
from chat.models import (
    Membership,
    Message,
    Room,
)
from chat.permissions import (
    Refused,
    check_can_post,
    sanction_refusal,
)
from community.markup import Rendered, render
from moderation.actions.review import open_review
from moderation.models import ItemSource, Visibility
from moderation.screening import BLOCK, HOLD, Screening, screen, word_filter
from realtime import groups
from realtime.publish import publish_many_on_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendRequest:
    author: User
    room_id: int
    client_id: str
    body: str
    reply_to_id: int | None = None


@dataclass
class SendResult:
    """What became of one send: stored (or found stored already) or refused."""

    client_id: str
    room_id: int
    message: Message | None = None
    duplicate: bool = False
    error: str | None = None
    retry_after: float | None = None
    # A sentence for the member (the word filter's), sent as the error's detail.
    detail: str = ""
    # The frame's field at fault (a client id of another room's message).
    field: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def send_message(
    author: User,
    room: Room,
    *,
    body: str,
    client_id: str,
    reply_to: Message | None = None,
) -> Message:
    """Store one message (a batch of one); raises Refused/Http404 if refused.

    Sending again with the same `client_id` returns the stored message.
    """
    request = SendRequest(
        author, room.pk, client_id, body, reply_to.pk if reply_to else None
    )
    (result,) = send_messages([request])
    if result.error == "room_not_found":
        raise Http404
    if result.error is not None:
        raise Refused(
            result.error, retry_after=result.retry_after, detail=result.detail
        )
    return result.message


@dataclass(frozen=True)
class Prepared:
    """A send's text, screened and rendered before the transaction."""

    body: str
    screening: Screening
    rendered: Rendered


def send_messages(requests: list[SendRequest]) -> list[SendResult]:
    """Store a batch of sends in one transaction; one result per request.

    A refused send (no permission, empty body, ...) does not stop the others.
    If the batch collides with another process storing the same client id at
    the same moment, its sends are retried one by one (the retry finds the
    other's message and reports it as a duplicate).
    """
    prepared = _prepare(requests)
    try:
        return _store_batch(requests, prepared)
    except IntegrityError:
        if len(requests) > 1:
            return [result for r in requests for result in send_messages([r])]
        try:
            return _store_batch(requests, prepared)
        except IntegrityError:
            logger.warning("chat send conflicted twice: %s", requests[0].client_id)
            request = requests[0]
            return [SendResult(request.client_id, request.room_id, error="conflict")]


def _prepare(requests: list[SendRequest]) -> list[Prepared | Refused]:
    """Validate, screen and render every send before the transaction: none of
    it depends on what the transaction locks, and the room locks should not
    wait for the CPU."""
    entries = word_filter()
    prepared: list[Prepared | Refused] = []
    for request in requests:
        try:
            clean_client_id(request.client_id)
            body = clean_body(request.body)
        except Refused as refused:
            prepared.append(refused)
            continue
        screening = screen(request.author, body, hold_newcomers=False, entries=entries)
        rendered = render(body) if screening.action != BLOCK else Rendered(html="")
        prepared.append(Prepared(body, screening, rendered))
    return prepared


@transaction.atomic
def _store_batch(
    requests: list[SendRequest], prepared: list[Prepared | Refused]
) -> list[SendResult]:
    """The batch in one transaction. Queries per batch, not per message: the
    rooms (locked), the authors' memberships, their current sanctions, earlier
    sends with the same client ids, replied-to messages, and where slow mode
    is on the authors' last sends and moderator roles."""
    now = timezone.now()
    results: list[SendResult | None] = [None] * len(requests)
    valid: list[tuple[int, SendRequest, Prepared]] = []
    for index, (request, ready) in enumerate(zip(requests, prepared, strict=True)):
        if isinstance(ready, Refused):
            results[index] = SendResult(
                request.client_id, request.room_id, error=ready.code
            )
        else:
            valid.append((index, request, ready))
    if not valid:
        return results

    room_ids = sorted({request.room_id for _, request, _ in valid})
    author_ids = {request.author.pk for _, request, _ in valid}
    # Locked in id order, so concurrent batches never wait on each other in a
    # circle.
    rooms = {
        room.pk: room
        for room in Room.objects.select_for_update(of=("self",))
        .select_related("space")
        .filter(pk__in=room_ids)
        .order_by("pk")
    }
    memberships = {
        (m.room_id, m.user_id): m
        for m in Membership.objects.filter(
            room_id__in=room_ids, user_id__in=author_ids
        ).order_by("pk")
    }
    # The socket's user object is as old as the socket: a mute or suspension
    # decided since then must bite now.
    sanctions = {
        pk: (muted_until, suspended_until)
        for pk, muted_until, suspended_until in User.objects.filter(
            pk__in=author_ids
        ).values_list("pk", "chat_muted_until", "suspended_until")
    }
    stored = {
        (m.author_id, m.client_id): m
        for m in Message.objects.filter(
            author_id__in=author_ids,
            client_id__in={request.client_id for _, request, _ in valid},
        ).only("pk", "room_id", "seq", "author_id", "client_id")
    }
    reply_ids = {r.reply_to_id for _, r, _ in valid if r.reply_to_id is not None}
    replies = {
        m.pk: m
        for m in Message.objects.select_related("author").filter(pk__in=reply_ids)
    }
    slow = SlowModeCheck.read(rooms, author_ids, now)

    new_messages: list[Message] = []
    mentions: list[tuple[Message, list[User]]] = []
    reviews: list[tuple[Message, Screening]] = []
    allowed: dict[tuple[int, int], tuple[str, float | None] | None] = {}
    for index, request, ready in valid:
        author = request.author
        key = (author.pk, request.client_id)
        if key in stored:
            earlier = stored[key]
            if earlier.room_id != request.room_id:
                # The client id names a message of another room: a client
                # bug, not a retry (docs/protocol.md).
                results[index] = SendResult(
                    request.client_id,
                    request.room_id,
                    error="bad_field",
                    field="client_id",
                )
                continue
            results[index] = SendResult(
                request.client_id, earlier.room_id, earlier, duplicate=True
            )
            continue
        room = rooms.get(request.room_id)
        membership = memberships.get((request.room_id, author.pk))
        refusal = _refusal(author, room, membership, allowed)
        if refusal is None:
            sanction = sanction_refusal(*sanctions.get(author.pk, (None, None)), now)
            if sanction is not None:
                refusal = (sanction.code, sanction.retry_after)
        if refusal is None:
            wait = slow.wait(author, room, membership)
            if wait > 0:
                refusal = ("slow_mode", round(wait, 1))
        if refusal is not None:
            code, retry_after = refusal
            results[index] = SendResult(
                request.client_id, request.room_id, error=code, retry_after=retry_after
            )
            continue
        reply_to = replies.get(request.reply_to_id) if request.reply_to_id else None
        if request.reply_to_id and (reply_to is None or reply_to.room_id != room.pk):
            results[index] = SendResult(
                request.client_id, request.room_id, error="reply_not_found"
            )
            continue
        screening = ready.screening
        if screening.action == BLOCK:
            results[index] = SendResult(
                request.client_id,
                request.room_id,
                error="too_many_links"
                if screening.reason == "links"
                else "blocked_words",
                detail=screening.message,
            )
            continue
        rendered = ready.rendered
        room.last_seq += 1
        room.last_message_at = now
        message = Message(
            room=room,
            seq=room.last_seq,
            author=author,
            client_id=request.client_id,
            body=ready.body,
            html=rendered.html,
            reply_to=reply_to,
            created_at=now,
            visibility=screening.visibility,
        )
        new_messages.append(message)
        stored[key] = message
        slow.sent(author, room, now)
        if screening.needs_review:
            reviews.append((message, screening))
        if rendered.mentioned and message.visibility == Visibility.VISIBLE:
            mentions.append((message, rendered.mentioned))
        results[index] = SendResult(request.client_id, room.pk, message)
    if not new_messages:
        return results

    Message.objects.bulk_create(new_messages)
    touched_rooms = {m.room_id: m.room for m in new_messages}
    # One UPDATE for all rooms of the batch (a CASE per column): the query
    # count of a batch must not grow with the rooms it touches.
    Room.objects.bulk_update(
        [touched_rooms[pk] for pk in sorted(touched_rooms)],
        ["last_seq", "last_message_at"],
    )
    _advance_authors_read_positions(new_messages, memberships)
    for message, mentioned in mentions:
        notify_mentioned(message, mentioned)
    notify_direct(new_messages)
    # Only what the screening held or flagged (rare) costs queries of its own.
    for message, screening in reviews:
        open_review(
            "chat_message",
            message,
            source=ItemSource.HELD if screening.action == HOLD else ItemSource.FLAGGED,
            findings=screening.findings,
        )
    publish_many_on_commit(
        (
            message_event(message, "add", with_reactions=False),
            [groups.chat_room(message.room_id)],
        )
        for message in new_messages
    )
    return results


def _refusal(
    author: User,
    room: Room | None,
    membership: Membership | None,
    allowed: dict[tuple[int, int], tuple[str, float | None] | None],
) -> tuple[str, float | None] | None:
    """Why `author` may not post in `room` (error code, retry_after), or None."""
    if room is None:
        return ("room_not_found", None)
    key = (author.pk, room.pk)
    if key not in allowed:
        try:
            check_can_post(author, room, membership)
            allowed[key] = None
        except Http404:
            allowed[key] = ("room_not_found", None)
        except Refused as refused:
            allowed[key] = (refused.code, refused.retry_after)
    return allowed[key]


def _advance_authors_read_positions(
    messages: list[Message], memberships: dict[tuple[int, int], Membership]
) -> None:
    """An author has read their own messages; an open room gets them as member."""
    highest: dict[tuple[int, int], int] = {}
    for message in messages:
        key = (message.room_id, message.author_id)
        highest[key] = max(highest.get(key, 0), message.seq)
    changed, created = [], []
    for (room_id, user_id), seq in sorted(highest.items()):
        membership = memberships.get((room_id, user_id))
        if membership is None:
            created.append(
                Membership(room_id=room_id, user_id=user_id, last_read_seq=seq)
            )
        elif membership.last_read_seq < seq:
            membership.last_read_seq = seq
            changed.append(membership)
    if changed:
        Membership.objects.bulk_update(changed, ["last_read_seq"])
    if created:
        Membership.objects.bulk_create(created, ignore_conflicts=True)
