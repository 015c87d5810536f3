"""What a moderation decision does to a chat message (moderation.registry).

The effects change `Message.visibility` (and the text for `delete`) and
publish the message's event to its room, so every open chat shows the change
at once. They check nothing and write no audit row: the decision in
moderation.actions has done both (one row per decision,
`moderation.chat_message.hidden`). Each returns whether anything changed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from chat.actions.messages import notify_mentioned
from chat.events import message_event
from chat.models import Message
from community.markup import render
from moderation.models import Visibility
from realtime import groups
from realtime.publish import publish_on_commit


def _publish(message: Message, op: str) -> None:
    publish_on_commit(
        message_event(message, op), to=[groups.chat_room(message.room_id)]
    )


@transaction.atomic
def hide_message(moderator: User | None, message: Message) -> bool:
    """Others see "Von der Moderation ausgeblendet" in its place; the text stays
    for the author's history and the queue. `moderator` is None for the
    automatic hide after several reports."""
    if message.is_deleted or message.visibility == Visibility.HIDDEN:
        return False
    message.visibility = Visibility.HIDDEN
    message.save(update_fields=["visibility"])
    _publish(message, "hide")
    return True


@transaction.atomic
def restore_message(moderator: User, message: Message) -> bool:
    """Undo a hide (a removed message has no text left to restore)."""
    if message.is_deleted or message.visibility != Visibility.HIDDEN:
        return False
    message.visibility = Visibility.VISIBLE
    message.save(update_fields=["visibility"])
    _publish(message, "restore")
    return True


@transaction.atomic
def delete_message_by_moderator(moderator: User, message: Message) -> bool:
    """Remove the text for good ("Von der Moderation entfernt"); the message
    keeps its place and sequence number, like an author's deletion."""
    if message.visibility == Visibility.REMOVED:
        return False
    message.visibility = Visibility.REMOVED
    message.deleted_at = message.deleted_at or timezone.now()
    message.body = ""
    message.html = ""
    message.save(update_fields=["visibility", "deleted_at", "body", "html"])
    message.reactions.all().delete()
    _publish(message, "remove")
    return True


@transaction.atomic
def approve_message(moderator: User, message: Message) -> bool:
    """A held message becomes visible, and only now notifies whom it mentions."""
    if message.is_deleted or message.visibility != Visibility.PENDING:
        return False
    message.visibility = Visibility.VISIBLE
    message.save(update_fields=["visibility"])
    mentioned = render(message.body).mentioned
    if mentioned and message.author is not None:
        notify_mentioned(message, mentioned)
    _publish(message, "approve")
    return True
