"""Rooms and who is in them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from accounts.models import User
from chat.events import membership_event
from chat.models import MAX_DIRECT_MEMBERS, Membership, MembershipRole, Room, RoomKind
from chat.permissions import (
    Refused,
    check_can_leave,
    check_can_manage,
    is_member,
    membership_of,
)
from forum.models import Space
from moderation.actions import log_action
from realtime import groups
from realtime.publish import publish_many_on_commit


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
    """Take a member out of a room; their open sockets stop receiving it."""
    check_can_manage(actor, room, membership_of(actor, room))
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
    check_can_manage(actor, room, membership_of(actor, room))
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


def _announce(room: Room, op: str, user_ids: Iterable[int]) -> None:
    event = membership_event(room, op)
    publish_many_on_commit((event, [groups.user(pk)]) for pk in user_ids)
