"""Rooms and who is in them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.actions import log_action
from chat.events import membership_event, room_event
from chat.models import MAX_DIRECT_MEMBERS, Membership, MembershipRole, Room, RoomKind
from chat.permissions import (
    Refused,
    check_can_act_on,
    check_can_leave,
    check_can_manage,
    is_member,
    membership_of,
)
from community.models import Space
from realtime import groups
from realtime.publish import publish_many_on_commit, publish_on_commit

# Slow mode can be at most an hour between two messages.
MAX_SLOW_MODE_SECONDS = 3600


@transaction.atomic
def ensure_space_room(space: Space) -> Room:
    """The chat room of `space`, created with it (idempotent); it keeps the
    space's title."""
    room, created = Room.objects.get_or_create(
        space=space, defaults={"kind": RoomKind.SPACE, "title": space.title}
    )
    if not created and room.title != space.title:
        room.title = space.title
        room.save(update_fields=["title"])
    return room


def open_missing_space_rooms() -> int:
    """Give every space that has none its chat room (one query when all have
    one, which is nearly always); returns how many were opened."""
    missing = list(Space.objects.filter(chat_room__isnull=True))
    for space in missing:
        ensure_space_room(space)
    return len(missing)


@transaction.atomic
def ensure_owned_room(*, owner_key: str, title: str) -> Room:
    """A members-only room belonging to another module (idempotent).

    The seminars module calls this with `owner_key="seminars.event:<id>"` and
    adds the participants with `add_members`.
    """
    room, created = Room.objects.get_or_create(
        owner_key=owner_key, defaults={"kind": RoomKind.SEMINAR, "title": title}
    )
    if not created and room.title != title:
        room.title = title
        room.save(update_fields=["title"])
    return room


@transaction.atomic
def create_room(creator: User, *, title: str, is_invite_only: bool) -> Room:
    """An ad-hoc room; its creator owns it (invites, removes, moderates)."""
    if not is_member(creator):
        raise Refused("forbidden")
    room = Room.objects.create(
        kind=RoomKind.ADHOC,
        title=title.strip(),
        is_invite_only=is_invite_only,
        created_by=creator,
    )
    Membership.objects.create(room=room, user=creator, role=MembershipRole.OWNER)
    return room


def direct_key(user_ids: Iterable[int]) -> str:
    return ",".join(str(pk) for pk in sorted(set(user_ids)))


@transaction.atomic
def start_direct(starter: User, others: Iterable[User]) -> Room:
    """A direct conversation of 2 to 10 members; the same people get the same
    conversation back."""
    if not is_member(starter):
        raise Refused("forbidden")
    people = {user.pk: user for user in others if user.is_active}
    people[starter.pk] = starter
    if not 2 <= len(people) <= MAX_DIRECT_MEMBERS:
        raise Refused("bad_member_count")
    key = direct_key(people)
    room, created = Room.objects.get_or_create(
        direct_key=key,
        defaults={"kind": RoomKind.DIRECT, "created_by": starter},
    )
    if created:
        Membership.objects.bulk_create(
            Membership(room=room, user_id=pk) for pk in sorted(people)
        )
        _announce(room, "added", [pk for pk in people if pk != starter.pk])
    return room


@transaction.atomic
def add_members(actor: User, room: Room, users: Iterable[User]) -> int:
    """Invite members into a room; returns how many were new."""
    check_can_manage(actor, room, membership_of(actor, room))
    present = set(room.members.values_list("user_id", flat=True))
    new = [user for user in users if user.is_active and user.pk not in present]
    Membership.objects.bulk_create(Membership(room=room, user=user) for user in new)
    _announce(room, "added", [user.pk for user in new])
    return len(new)


@transaction.atomic
def remove_member(actor: User, room: Room, member: User, *, reason: str = "") -> bool:
    """Take a member out of a room; their open sockets stop receiving it.

    Other rooms lose the membership. A space room is open to everyone who sees
    the space, so there removal is a ban: the membership stays, marked
    removed, and the room is closed to the member (not the space) until a
    room manager readmits them (`readmit_member`).
    """
    managing = membership_of(actor, room)
    check_can_manage(actor, room, managing)
    if member.pk == actor.pk:
        raise Refused("forbidden")
    check_can_act_on(actor, room, managing, member)
    if room.kind == RoomKind.SPACE:
        membership, _ = Membership.objects.get_or_create(room=room, user=member)
        if membership.removed_at is not None:
            return False
        membership.removed_at = timezone.now()
        membership.save(update_fields=["removed_at"])
    else:
        deleted, _ = Membership.objects.filter(room=room, user=member).delete()
        if not deleted:
            return False
    log_action(
        actor,
        "chat.member.removed",
        target=room,
        reason=reason,
        data={"member": member.pk},
    )
    _announce(room, "removed", [member.pk])
    return True


@transaction.atomic
def readmit_member(actor: User, room: Room, member: User, *, reason: str = "") -> bool:
    """Lift a removal from a space room."""
    check_can_manage(actor, room, membership_of(actor, room))
    changed = Membership.objects.filter(
        room=room, user=member, removed_at__isnull=False
    ).update(removed_at=None)
    if not changed:
        return False
    log_action(
        actor,
        "chat.member.readmitted",
        target=room,
        reason=reason,
        data={"member": member.pk},
    )
    _announce(room, "added", [member.pk])
    return True


@transaction.atomic
def set_slow_mode(actor: User, room: Room, *, seconds: int, reason: str = "") -> bool:
    """Let each member write once per `seconds` in the room (0 switches it
    off); room managers are exempt. Who set it is recorded on the room."""
    check_can_manage(actor, room, membership_of(actor, room))
    if seconds < 0 or seconds > MAX_SLOW_MODE_SECONDS:
        raise Refused("bad_field")
    room = Room.objects.select_for_update().get(pk=room.pk)
    before = room.slow_mode_seconds
    if before == seconds:
        return False
    room.slow_mode_seconds = seconds
    room.slow_mode_set_by = actor if seconds else None
    room.save(update_fields=["slow_mode_seconds", "slow_mode_set_by"])
    log_action(
        actor,
        "chat.room.slow_mode_set",
        target=room,
        reason=reason,
        data={"seconds": seconds, "before": before},
    )
    publish_on_commit(room_event(room), to=[groups.chat_room(room.pk)])
    return True


@transaction.atomic
def leave_room(member: User, room: Room) -> bool:
    membership = membership_of(member, room)
    check_can_leave(member, room, membership)
    membership.delete()
    _announce(room, "removed", [member.pk])
    return True


@transaction.atomic
def mute_member(
    actor: User, room: Room, member: User, *, until: datetime | None, reason: str
) -> bool:
    """Keep a member from writing in a room until `until` (None lifts it)."""
    managing = membership_of(actor, room)
    check_can_manage(actor, room, managing)
    check_can_act_on(actor, room, managing, member)
    if not set_room_mute(room, member, until=until):
        return False
    log_action(
        actor,
        "chat.member.muted" if until else "chat.member.unmuted",
        target=room,
        reason=reason,
        data={"member": member.pk, "until": until.isoformat() if until else None},
    )
    return True


def set_room_mute(room: Room, member: User, *, until: datetime | None) -> bool:
    """Mute (or, with None, unmute) without checks or audit row: for decisions
    that check and audit themselves (moderation.actions)."""
    membership, _ = Membership.objects.get_or_create(room=room, user=member)
    if membership.muted_until == until:
        return False
    membership.muted_until = until
    membership.save(update_fields=["muted_until"])
    return True


def mute_in_space(space: Space, member: User, until: datetime) -> int:
    """A space moderator's mute decision (moderation.registry.RoomMutes): mute
    in the space's room; returns the room's id for the sanction record."""
    room = ensure_space_room(space)
    set_room_mute(room, member, until=until)
    return room.pk


def set_room_mute_by_id(room_id: int, member: User, until: datetime | None) -> None:
    """What is left of a member's mutes in a room after one was lifted."""
    room = Room.objects.filter(pk=room_id).first()
    if room is not None:
        set_room_mute(room, member, until=until)


def _announce(room: Room, op: str, user_ids: Iterable[int]) -> None:
    event = membership_event(room, op)
    publish_many_on_commit((event, [groups.user(pk)]) for pk in user_ids)


def admit_to_owned_room(room: Room, users: Iterable[User]) -> int:
    """Add members to a room another module owns (`ensure_owned_room`), without
    a manager's check: the owner decided who belongs (the seminars module: an
    event's participants, speakers and staff). Returns how many were new."""
    present = set(room.members.values_list("user_id", flat=True))
    new = {user.pk: user for user in users if user.is_active and user.pk not in present}
    Membership.objects.bulk_create(Membership(room=room, user_id=pk) for pk in new)
    _announce(room, "added", list(new))
    return len(new)


def dismiss_from_owned_room(room: Room, users: Iterable[User]) -> int:
    """Take members out of a room another module owns (a cancelled
    registration); their open sockets stop receiving it."""
    ids = [user.pk for user in users]
    gone = list(
        Membership.objects.filter(room=room, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    Membership.objects.filter(room=room, user_id__in=gone).delete()
    _announce(room, "removed", gone)
    return len(gone)
