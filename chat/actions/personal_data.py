"""The chat's part of account deletion (DSGVO Art. 17) and of chat retention.

Rule for deletion, also stated in the privacy notice: messages in rooms (space,
seminar and ad-hoc rooms) stay, shown as written by a former member, because the
conversation would not make sense without them; messages in direct
conversations are emptied like deleted messages, because they were private
correspondence with the member. Mentions of the member in others' messages are
rewritten so their name leaves the chat.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from chat.models import Attachment, Membership, Message, Reaction, RoomKind
from community import markup


def erase_chat_data(member: User) -> str | None:
    Reaction.objects.filter(user=member).delete()
    Membership.objects.filter(user=member).delete()
    Message.objects.filter(author=member, room__kind=RoomKind.DIRECT).update(
        body="", html="", deleted_at=timezone.now()
    )
    # Files sent in direct conversations go as their messages' text does.
    _delete_attachments(
        Attachment.objects.filter(uploader=member, room__kind=RoomKind.DIRECT)
    )
    replacement = "@" + _("Former member")
    for message in Message.objects.filter(
        html__contains=f'href="/mitglieder/{member.pk}/"'
    ):
        message.body = markup.replace_mentions_of(member, message.body, replacement)
        message.html = markup.render(message.body).html
        message.save(update_fields=["body", "html"])
    if Message.objects.filter(author=member, deleted_at__isnull=True).exists():
        return "chat messages in rooms kept, shown as written by a former member"
    return None


def purge_expired_messages(*, days: int) -> int:
    """Delete chat messages older than `days` (the retention period)."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    deleted, _by_model = Message.objects.filter(created_at__lt=cutoff).delete()
    # Files go with the messages of their time, from the disk too.
    _delete_attachments(Attachment.objects.filter(created_at__lt=cutoff))
    return deleted


def _delete_attachments(attachments) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)
    attachments.delete()
