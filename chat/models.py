"""Chat data: rooms, memberships with read positions, messages, reactions.

Every message has a global id and a per-room sequence number without gaps
(`Room.last_seq` is the counter, advanced in the transaction that stores the
messages). Workflows live in chat/actions/; these classes hold data and
invariants.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moderation.models import SlowMode, Visibility

MAX_MESSAGE_LENGTH = 4000
MAX_CLIENT_ID_LENGTH = 64
MAX_DIRECT_MEMBERS = 10
# Authors may correct a message for this long; deleting is possible any time.
EDIT_WINDOW = timedelta(minutes=15)
# The reactions offered: a short fixed list, no free-form emoji.
REACTIONS = ("👍", "❤️", "🎉", "😄", "🤔", "🙏")


class RoomKind(models.TextChoices):
    SPACE = "space", _("Space room")
    SEMINAR = "seminar", _("Seminar room")
    ADHOC = "adhoc", _("Room")
    DIRECT = "direct", _("Direct conversation")


class Room(SlowMode):
    """A place to chat: a space's room, a seminar's, an ad-hoc room or a DM."""

    kind = models.CharField(_("kind"), max_length=10, choices=RoomKind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    # Space rooms share their space's visibility (community.permissions).
    space = models.OneToOneField(
        "community.Space",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chat_room",
        verbose_name=_("space"),
    )
    # A generic hook for other modules' rooms ("seminars.event:12").
    owner_key = models.CharField(_("owner key"), max_length=100, blank=True)
    # Ad-hoc rooms: open to every member, or to the invited ones only. Seminar
    # rooms and direct conversations are always members-only.
    is_invite_only = models.BooleanField(_("invite only"), default=False)
    # Direct conversations: the sorted member ids, so a second "start" with the
    # same people opens the existing conversation.
    direct_key = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The sequence counter: the highest `Message.seq` stored in this room.
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_key"],
                condition=~Q(owner_key=""),
                name="chat_room_owner_key_unique",
            ),
            models.UniqueConstraint(
                fields=["direct_key"],
                condition=~Q(direct_key=""),
                name="chat_room_direct_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="space", space__isnull=False)
                | (~Q(kind="space") & Q(space__isnull=True)),
                name="chat_room_space_iff_space_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_members_only(self) -> bool:
        """Only its members may see it (the others are open to their audience)."""
        if self.kind in {RoomKind.DIRECT, RoomKind.SEMINAR}:
            return True
        return self.kind == RoomKind.ADHOC and self.is_invite_only


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OWNER = "owner", _("Owner")


class Membership(models.Model):
    """A member in a room, with how far they have read.

    Members-only rooms need one to be seen at all; open rooms get one the first
    time a member reads or writes there (that is what the rooms list follows).
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chat_memberships",
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    last_read_seq = models.PositiveBigIntegerField(default=0)
    muted_until = models.DateTimeField(null=True, blank=True)
    # Set when a room manager removed the member from a space room: the space
    # stays open to them, its room does not (a room ban until readmitted).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("room membership")
        verbose_name_plural = _("room memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "user"], name="chat_membership_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"


class Message(models.Model):
    """One chat message. Deleted messages keep their place, not their text."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="chat_messages",
    )
    # Chosen by the sending client; a retry with the same id is the same message.
    client_id = models.CharField(max_length=MAX_CLIENT_ID_LENGTH)
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    html = models.TextField()
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Pending or hidden messages keep their seq (no gap) but not their text for
    # anyone except the author and the room's moderators.
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )

    class Meta:
        ordering = ["room", "seq"]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_seq"),
            models.UniqueConstraint(
                fields=["author", "client_id"], name="chat_message_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Reaction(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user", "emoji"], name="chat_reaction_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emoji} {self.user_id} on {self.message_id}"


def new_epoch_token() -> str:
    return uuid.uuid4().hex


class StoreEpoch(models.Model):
    """Names this message store. Clients compare it across reconnects: a new
    value (a fresh or restored database) means their sequence numbers are void."""

    token = models.CharField(max_length=32, default=new_epoch_token)

    def __str__(self) -> str:
        return self.token


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"chat-attachments/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    """A file uploaded into a room; a message links or shows it by its URL
    (/chat/anhang/<id>/<name>), served only to those who may see the room."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="attachments")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
