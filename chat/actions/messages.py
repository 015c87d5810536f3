"""Sending, editing, deleting and reacting to chat messages.

`send_messages` stores a whole batch of sends in one transaction (the
WebSocket path collects concurrent sends into batches: a group commit, see
realtime/batch.py). Per room the sequence numbers stay gap-free: the room rows
are locked, their counters advanced, and the messages inserted in the same
transaction, so a rollback takes the numbers back with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chat.events import message_event
from chat.models import (
    MAX_CLIENT_ID_LENGTH,
    MAX_MESSAGE_LENGTH,
    REACTIONS,
    Membership,
    Message,
    Reaction,
    Room,
)
from chat.permissions import (
    Refused,
    can_view_room,
    check_can_delete,
    check_can_edit,
    check_can_post,
)
from forum.actions.notifications import notify
from forum.markup import render
from moderation.actions import log_action
from realtime import groups
from realtime.publish import publish_many_on_commit, publish_on_commit

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

    @property
    def ok(self) -> bool:
        return self.error is None


def clean_body(body: str) -> str:
    """The stored text of a message; raises Refused for empty or long ones."""
    body = body.strip()
    if not body:
        raise Refused("body_empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise Refused("body_too_long")
    return body


def clean_client_id(client_id: str) -> str:
    if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH:
        raise Refused("bad_client_id")
    return client_id


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
        raise Refused(result.error, retry_after=result.retry_after)
    return result.message


def send_messages(requests: list[SendRequest]) -> list[SendResult]:
    """Store a batch of sends in one transaction; one result per request.

    A refused send (no permission, empty body, ...) does not stop the others.
    If the batch collides with another process storing the same client id at
    the same moment, its sends are retried one by one (the retry finds the
    other's message and reports it as a duplicate).
    """
    try:
        return _store_batch(requests)
    except IntegrityError:
        if len(requests) > 1:
            return [result for r in requests for result in send_messages([r])]
        try:
            return _store_batch(requests)
        except IntegrityError:
            logger.warning("chat send conflicted twice: %s", requests[0].client_id)
            request = requests[0]
            return [SendResult(request.client_id, request.room_id, error="conflict")]


@transaction.atomic
def _store_batch(requests: list[SendRequest]) -> list[SendResult]:
    now = timezone.now()
    results: list[SendResult | None] = [None] * len(requests)
    valid: list[tuple[int, SendRequest, str]] = []
    for index, request in enumerate(requests):
        try:
            clean_client_id(request.client_id)
            valid.append((index, request, clean_body(request.body)))
        except Refused as refused:
            results[index] = SendResult(
                request.client_id, request.room_id, error=refused.code
            )
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

    new_messages: list[Message] = []
    mentions: list[tuple[Message, list[User]]] = []
    allowed: dict[tuple[int, int], tuple[str, float | None] | None] = {}
    for index, request, body in valid:
        author = request.author
        key = (author.pk, request.client_id)
        if key in stored:
            earlier = stored[key]
            results[index] = SendResult(
                request.client_id, earlier.room_id, earlier, duplicate=True
            )
            continue
        room = rooms.get(request.room_id)
        membership = memberships.get((request.room_id, author.pk))
        refusal = _refusal(author, room, membership, allowed)
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
        rendered = render(body)
        room.last_seq += 1
        room.last_message_at = now
        message = Message(
            room=room,
            seq=room.last_seq,
            author=author,
            client_id=request.client_id,
            body=body,
            html=rendered.html,
            reply_to=reply_to,
            created_at=now,
        )
        new_messages.append(message)
        stored[key] = message
        if rendered.mentioned:
            mentions.append((message, rendered.mentioned))
        results[index] = SendResult(request.client_id, room.pk, message)
    if not new_messages:
        return results

    Message.objects.bulk_create(new_messages)
    touched_rooms = {m.room_id: m.room for m in new_messages}
    # Plain UPDATEs: cheaper than bulk_update's CASE expressions for the few
    # rooms a batch touches.
    for pk in sorted(touched_rooms):
        room = touched_rooms[pk]
        Room.objects.filter(pk=pk).update(
            last_seq=room.last_seq, last_message_at=room.last_message_at
        )
    _advance_authors_read_positions(new_messages, memberships)
    for message, mentioned in mentions:
        _notify_mentioned(message, mentioned)
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
    for membership in changed:
        Membership.objects.filter(pk=membership.pk).update(
            last_read_seq=membership.last_read_seq
        )
    if created:
        Membership.objects.bulk_create(created, ignore_conflicts=True)


def message_url(message: Message) -> str:
    return reverse("chat:room", args=[message.room_id]) + f"#m{message.seq}"


def _notify_mentioned(message: Message, mentioned: list[User]) -> None:
    """Notify the mentioned members who can read the room (nobody else)."""
    room = message.room
    members = {
        m.user_id: m for m in Membership.objects.filter(room=room, user__in=mentioned)
    }
    readers = [
        user for user in mentioned if can_view_room(user, room, members.get(user.pk))
    ]
    if not readers:
        return
    if room.title:
        title = _("%(name)s mentioned you in the chat room %(room)s") % {
            "name": message.author.name,
            "room": room.title,
        }
    else:
        title = _("%(name)s mentioned you in a direct conversation") % {
            "name": message.author.name
        }
    notify(
        readers,
        kind="chat_mention",
        actor=message.author,
        title=title,
        url=message_url(message),
    )


@transaction.atomic
def edit_message(actor: User, message: Message, *, body: str) -> bool:
    """Correct a message within the edit window; mentions added notify."""
    check_can_edit(actor, message)
    body = clean_body(body)
    if body == message.body:
        return False
    before = {user.pk for user in render(message.body).mentioned}
    rendered = render(body)
    message.body = body
    message.html = rendered.html
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "html", "edited_at"])
    added = [user for user in rendered.mentioned if user.pk not in before]
    if added:
        _notify_mentioned(message, added)
    publish_on_commit(
        message_event(message, "edit"), to=[groups.chat_room(message.room_id)]
    )
    return True


@transaction.atomic
def delete_message(
    actor: User, message: Message, membership: Membership | None
) -> bool:
    """Remove a message's text; its place stays, shown as deleted."""
    check_can_delete(actor, message, membership)
    message.deleted_at = timezone.now()
    message.body = ""
    message.html = ""
    message.save(update_fields=["deleted_at", "body", "html"])
    message.reactions.all().delete()
    if message.author_id != actor.pk:
        log_action(actor, "chat.message.deleted", target=message)
    publish_on_commit(
        message_event(message, "delete", with_reactions=False),
        to=[groups.chat_room(message.room_id)],
    )
    return True


@transaction.atomic
def toggle_reaction(
    actor: User, message: Message, membership: Membership | None, *, emoji: str
) -> bool:
    """Add the reaction, or take it back if given already; True if added."""
    check_can_post(actor, message.room, membership)
    if emoji not in REACTIONS:
        raise Refused("bad_reaction")
    if message.is_deleted:
        raise Refused("message_deleted")
    removed, _ = Reaction.objects.filter(
        message=message, user=actor, emoji=emoji
    ).delete()
    if not removed:
        Reaction.objects.create(message=message, user=actor, emoji=emoji)
    publish_on_commit(
        message_event(message, "react"), to=[groups.chat_room(message.room_id)]
    )
    return not removed
