"""Editing, deleting and reacting to chat messages, and what sending shares
with them (body checks, mention notifications). Sending is chat.actions.sending.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from chat.events import message_event
from chat.models import (
    MAX_CLIENT_ID_LENGTH,
    MAX_MESSAGE_LENGTH,
    REACTIONS,
    Membership,
    Message,
    Reaction,
    RoomKind,
)
from chat.permissions import (
    MESSAGE_TARGET,
    Refused,
    can_view_room,
    check_can_delete,
    check_can_edit,
    check_can_post,
    check_not_sanctioned,
    membership_of,
)
from community.actions.notifications import add_to_unread, notify
from community.markup import plain_text, render
from community.models import Notification, NotificationKind
from moderation.actions.review import open_review
from moderation.models import ItemSource, Visibility
from moderation.screening import BLOCK, HOLD, screen
from realtime import groups
from realtime.publish import publish_on_commit

logger = logging.getLogger(__name__)


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


def message_url(message: Message) -> str:
    return room_url(message.room_id) + f"#m{message.seq}"


def room_url(room_id: int) -> str:
    return reverse("chat:room", args=[room_id])


def missed_message_delay() -> timedelta:
    """How long a chat notification waits for its reader before it is mailed."""
    return timedelta(minutes=settings.CHAT_MISSED_MESSAGE_MINUTES)


def notify_direct(messages: list[Message]) -> None:
    """Tell the other members of a direct conversation at once: in the header
    (live) and, unread after a few minutes, by e-mail. One unread notification
    per conversation and member: later messages join its text. Three queries
    for a batch, whatever its size."""
    direct = [
        m
        for m in messages
        if m.room.kind == RoomKind.DIRECT and m.visibility == Visibility.VISIBLE
    ]
    if not direct:
        return
    room_ids = {m.room_id for m in direct}
    members: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        room_id__in=room_ids, user__is_active=True
    ).select_related("user"):
        members.setdefault(membership.room_id, []).append(membership.user)
    unread = {}
    urls = {room_url(room_id): room_id for room_id in room_ids}
    prefixes = Q()
    for url in urls:
        prefixes |= Q(url__startswith=url)
    for notification in Notification.objects.filter(
        prefixes, kind=NotificationKind.DIRECT_MESSAGE, read_at__isnull=True
    ):
        room_id = urls[notification.url.split("#")[0]]
        unread[(room_id, notification.recipient_id)] = notification
    for message in direct:
        text = plain_text(message.html)
        waiting = []
        for user in members.get(message.room_id, []):
            if user.pk == message.author_id:
                continue
            earlier = unread.get((message.room_id, user.pk))
            if earlier is not None:
                add_to_unread(earlier, excerpt=text)
            else:
                waiting.append(user)
        for notification in notify(
            waiting,
            kind=NotificationKind.DIRECT_MESSAGE,
            actor=message.author,
            title=_("%(name)s sent you a direct message")
            % {"name": message.author.name},
            url=message_url(message),
            excerpt=text,
            email_delay=missed_message_delay(),
            target=(MESSAGE_TARGET, message.pk),
        ):
            unread[(message.room_id, notification.recipient_id)] = notification


def notify_mentioned(message: Message, mentioned: list[User]) -> None:
    """Notify the mentioned members who can read the room (nobody else). In a
    direct conversation the message notifies its members anyway."""
    room = message.room
    if room.kind == RoomKind.DIRECT:
        return
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
        kind=NotificationKind.CHAT_MENTION,
        actor=message.author,
        title=title,
        url=message_url(message),
        excerpt=plain_text(message.html),
        email_delay=missed_message_delay(),
        target=(MESSAGE_TARGET, message.pk),
    )


@transaction.atomic
def edit_message(actor: User, message: Message, *, body: str) -> bool:
    """Correct a message within the edit window; mentions added notify.

    A muted member (in the room or in all chat) cannot edit either: an edit
    could otherwise say what a new message may not."""
    check_can_edit(actor, message)
    check_can_post(actor, message.room, membership_of(actor, message.room))
    check_not_sanctioned(actor)
    body = clean_body(body)
    if body == message.body:
        return False
    screening = screen(actor, body, hold_newcomers=False)
    if screening.action == BLOCK:
        code = "too_many_links" if screening.reason == "links" else "blocked_words"
        raise Refused(code, detail=screening.message)
    before = {user.pk for user in render(message.body).mentioned}
    rendered = render(body)
    message.body = body
    message.html = rendered.html
    message.edited_at = timezone.now()
    fields = ["body", "html", "edited_at"]
    if screening.action == HOLD and message.visibility == Visibility.VISIBLE:
        message.visibility = Visibility.PENDING
        fields.append("visibility")
    message.save(update_fields=fields)
    if screening.needs_review:
        source = ItemSource.HELD if screening.action == HOLD else ItemSource.FLAGGED
        open_review("chat_message", message, source=source, findings=screening.findings)
    added = [user for user in rendered.mentioned if user.pk not in before]
    if added and message.visibility == Visibility.VISIBLE:
        notify_mentioned(message, added)
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
    """Add the reaction, or take it back if given already; True if added.
    Muted members cannot react (a reaction is a message too)."""
    check_can_post(actor, message.room, membership)
    check_not_sanctioned(actor)
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
