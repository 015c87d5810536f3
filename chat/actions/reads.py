"""Read positions: how far a member has read in a room."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from accounts.models import User
from chat.models import Membership, Room
from community.actions.notifications import mark_read_at
from realtime import groups
from realtime.publish import publish_on_commit


@transaction.atomic
def mark_read(
    member: User, room: Room, membership: Membership | None, *, seq: int
) -> bool:
    """Move the member's read position forward to `seq` (never back, never
    past the room's last message); the member's other tabs hear of it. Read to
    its end, the room's notifications (direct messages, mentions) are read too.

    The caller has checked that the member may see the room.
    """
    seq = min(seq, room.last_seq)
    if membership is None:
        membership, _ = Membership.objects.get_or_create(room=room, user=member)
    if seq >= room.last_seq:
        mark_read_at(member, reverse("chat:room", args=[room.pk]))
    if seq <= membership.last_read_seq:
        return False
    # Another tab may have moved it further meanwhile: only ever forward.
    Membership.objects.filter(pk=membership.pk, last_read_seq__lt=seq).update(
        last_read_seq=seq
    )
    membership.last_read_seq = seq
    publish_on_commit(
        {"type": "chat.read", "room": room.pk, "seq": seq}, to=[groups.user(member.pk)]
    )
    return True
