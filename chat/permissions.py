"""Who may see or do what in the chat. Views and the WebSocket consumer share these.

A room a member may not see is answered as if it did not exist (Http404), so
invite-only rooms, direct conversations and restricted spaces are not even
confirmed. Refusals of a visible room raise `Refused`, a PermissionDenied that
names the reason with the protocol's error code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from chat.models import EDIT_WINDOW, Membership, MembershipRole, Message, Room, RoomKind
from community.permissions import (
    MEMBER,
    SPACE_MODERATOR,
    can_moderate_space,
    can_view_space,
    outranks,
)
from moderation.models import Visibility


class Refused(PermissionDenied):
    """Permission denied, with the error code the protocol reports."""

    def __init__(
        self, code: str, *, retry_after: float | None = None, detail: str = ""
    ) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after
        # A sentence for the member, where the code alone does not say it
        # (the word filter's message).
        self.detail = detail


def is_member(user: User) -> bool:
    return user.is_authenticated and user.is_active


def membership_of(user: User, room: Room) -> Membership | None:
    return Membership.objects.filter(room=room, user_id=user.pk).first()


def can_view_room(user: User, room: Room, membership: Membership | None) -> bool:
    """`membership` is the user's in `room` (or None); callers fetch it once."""
    if not is_member(user):
        return False
    if room.kind == RoomKind.SPACE:
        if membership is not None and membership.removed_at is not None:
            return False  # removed from the room: banned until readmitted
        return can_view_space(user, room.space)
    if room.is_members_only:
        # Not even staff read direct conversations or invite-only rooms.
        return membership is not None
    return True


def can_manage_room(user: User, room: Room, membership: Membership | None) -> bool:
    """Invite and remove members, delete others' messages."""
    if not is_member(user):
        return False
    if room.kind == RoomKind.SPACE:
        return can_moderate_space(user, room.space)
    if room.kind == RoomKind.DIRECT:
        return False
    if membership is not None and membership.role == MembershipRole.OWNER:
        return True
    return user.is_staff


def access_room(user: User, room_id: int) -> tuple[Room, Membership | None]:
    """The room and the member's membership in it; Http404 if not visible."""
    room = Room.objects.select_related("space").filter(pk=room_id).first()
    if room is None:
        raise Http404
    membership = membership_of(user, room)
    if not can_view_room(user, room, membership):
        raise Http404
    return room, membership


def visible_room_ids(user_id: int, room_ids: list[int]) -> set[int]:
    """Which of these rooms the member may see now, by `can_view_room`, with
    the member's row read fresh (a socket's copy is as old as the socket)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return set()
    rooms = Room.objects.select_related("space").filter(pk__in=room_ids)
    memberships = {
        membership.room_id: membership
        for membership in Membership.objects.filter(user=user, room_id__in=room_ids)
    }
    return {
        room.pk for room in rooms if can_view_room(user, room, memberships.get(room.pk))
    }


def access_message(user: User, message_id: int) -> tuple[Message, Membership | None]:
    message = (
        Message.objects.select_related("room__space", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise Http404
    membership = membership_of(user, message.room)
    if not can_view_room(user, message.room, membership):
        raise Http404
    return message, membership


# What chat notifications are about (community.notification_targets).
MESSAGE_TARGET = "chat.message"


def load_message_target(message_id: int) -> Message | None:
    message = (
        Message.objects.select_related("room__space").filter(pk=message_id).first()
    )
    return None if message is None or message.is_deleted else message


def can_view_message_target(user: User, message: Message) -> bool:
    """A chat mention: whoever may see the message's room now."""
    return can_view_room(user, message.room, membership_of(user, message.room))


def can_view_message(user: User, message: Message) -> bool:
    """For reports and the review queue (moderation.registry): a message is
    seen by whoever sees its room, as long as everyone sees its text; its
    author and the room's managers also see it pending or hidden.

    Direct conversations and invite-only rooms can be reported by their
    participants. The Geschäftsstelle, who cannot read those rooms, sees a
    message of them only once it is in the review queue (reported, held or
    flagged), and then only through the queue (the message and its context).
    """
    room = message.room
    membership = membership_of(user, room)
    if not can_view_room(user, room, membership):
        if room.is_members_only and is_member(user) and user.is_staff:
            from moderation.models import ReviewItem

            return ReviewItem.objects.filter(
                target_kind="chat_message", target_id=message.pk
            ).exists()
        return False
    if message.visibility == Visibility.VISIBLE and not message.is_deleted:
        return True
    if message.author_id == user.pk:
        return True
    return can_manage_room(user, room, membership)


def check_can_post(user: User, room: Room, membership: Membership | None) -> None:
    """Write, reply and react. Visibility first: an invisible room is a 404."""
    if not can_view_room(user, room, membership):
        raise Http404
    if membership is not None and membership.muted_until is not None:
        remaining = (membership.muted_until - timezone.now()).total_seconds()
        if remaining > 0:
            raise Refused("muted", retry_after=round(remaining, 1))


def seconds_left(until: datetime | None, now: datetime) -> float:
    return max(0.0, (until - now).total_seconds()) if until is not None else 0.0


def sanction_refusal(
    muted_until: datetime | None, suspended_until: datetime | None, now: datetime
) -> Refused | None:
    """The refusal for a member's account-wide sanctions, read fresh from the
    database by the caller (a socket's user object is as old as the socket)."""
    if seconds_left(suspended_until, now) > 0:
        return Refused("suspended")
    muted = seconds_left(muted_until, now)
    if muted > 0:
        return Refused("muted", retry_after=round(muted, 1))
    return None


def check_not_sanctioned(user: User) -> None:
    """Editing and reacting: one query for the member's current sanctions."""
    row = (
        User.objects.filter(pk=user.pk)
        .values_list("chat_muted_until", "suspended_until")
        .first()
    )
    refusal = sanction_refusal(*row, timezone.now()) if row else Refused("forbidden")
    if refusal is not None:
        raise refusal


def slow_mode_wait(room: Room, last_sent: datetime | None, now: datetime) -> float:
    """Seconds until a member who last wrote at `last_sent` may write again."""
    if not room.slow_mode_seconds or last_sent is None:
        return 0.0
    return seconds_left(last_sent + timedelta(seconds=room.slow_mode_seconds), now)


def check_can_edit(user: User, message: Message) -> None:
    if message.author_id != user.pk:
        raise Refused("forbidden")
    if message.is_deleted:
        raise Refused("message_deleted")
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise Refused("edit_window_closed")


def check_can_delete(
    user: User, message: Message, membership: Membership | None
) -> None:
    if message.is_deleted:
        raise Refused("message_deleted")
    if message.author_id == user.pk:
        return
    if not can_manage_room(user, message.room, membership):
        raise Refused("forbidden")


def check_can_manage(user: User, room: Room, membership: Membership | None) -> None:
    if not can_view_room(user, room, membership):
        raise Http404
    if not can_manage_room(user, room, membership):
        raise Refused("forbidden")


def check_can_act_on(
    actor: User, room: Room, membership: Membership | None, member: User
) -> None:
    """Room tools (removal, mute) act only on members of lower standing than
    their user (community.permissions.outranks): never on staff, never on a
    moderator of the space by a fellow moderator. An ad-hoc room's owner
    stands as a space's moderator in it."""
    owner = membership is not None and membership.role == MembershipRole.OWNER
    floor = SPACE_MODERATOR if owner else MEMBER
    if not outranks(actor, member, room.space, floor=floor):
        raise Refused("forbidden")


def check_can_leave(user: User, room: Room, membership: Membership | None) -> None:
    """Space rooms follow the space; leaving them would mean nothing."""
    if membership is None or room.kind == RoomKind.SPACE:
        raise Refused("forbidden")
