"""Mutes, suspensions and bans: the records and the member's effective ends.

A ban is a suspension without end. It is stored as `User.suspended_until =
BAN_UNTIL` (a far-future sentinel, so that `User.is_suspended` and every
check that compares the end with now need no special case) and as a Sanction
of kind "ban" with `ends_at` None; pages say "unbefristet" for it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.actions import log_action
from community.models import Space
from moderation.models import Decision, Sanction, SanctionKind
from moderation.permissions import check_is_global_moderator
from moderation.queries.history import active_sanctions
from moderation.registry import room_mutes
from realtime import groups
from realtime.publish import publish_on_commit

BAN_UNTIL = datetime(9999, 12, 31, tzinfo=UTC)


def is_ban_end(until: datetime | None) -> bool:
    return until is not None and until >= BAN_UNTIL


def impose_mute(
    member: User, decision: Decision, *, until: datetime, space: Space | None
) -> Sanction:
    """A space moderator's mute covers the space's room; a global one all chat."""
    room_id: int | None = None
    if space is not None:
        room_id = room_mutes().mute_in_space(space, member, until)
    else:
        member.chat_muted_until = _later(member.chat_muted_until, until)
        member.save(update_fields=["chat_muted_until"])
    return Sanction.objects.create(
        member=member,
        kind=SanctionKind.MUTE,
        room_id=room_id,
        decision=decision,
        ends_at=until,
    )


def impose_suspension(
    member: User, decision: Decision, *, until: datetime | None
) -> Sanction:
    """Suspend until `until`, or ban (None). Open sockets close on commit."""
    effective = BAN_UNTIL if until is None else until
    member.suspended_until = _later(member.suspended_until, effective)
    member.save(update_fields=["suspended_until"])
    sanction = Sanction.objects.create(
        member=member,
        kind=SanctionKind.BAN if until is None else SanctionKind.SUSPENSION,
        decision=decision,
        ends_at=until,
    )
    publish_on_commit(
        {"type": "session.ended", "reason": "suspended"},
        to=[groups.user(member.pk)],
    )
    return sanction


def _later(current: datetime | None, until: datetime) -> datetime:
    if current is not None and current > until:
        return current
    return until


def end_sanction(actor: User, sanction: Sanction) -> bool:
    """Lift without checks or audit (the caller does both): the record is
    marked, the member's effective end recomputed from what is left."""
    if sanction.lifted_at is not None:
        return False
    sanction.lifted_at = timezone.now()
    sanction.lifted_by = actor
    sanction.save(update_fields=["lifted_at", "lifted_by"])
    member = User.objects.select_for_update().get(pk=sanction.member_id)
    remaining = list(active_sanctions(member).exclude(pk=sanction.pk))
    if sanction.kind == SanctionKind.MUTE and sanction.room_id is not None:
        same_room = [s.ends_at for s in remaining if s.room_id == sanction.room_id]
        room_mutes().set_room_mute(
            sanction.room_id, member, max(same_room, default=None)
        )
    elif sanction.kind == SanctionKind.MUTE:
        ends = [
            s.ends_at
            for s in remaining
            if s.kind == SanctionKind.MUTE and not s.room_id
        ]
        member.chat_muted_until = max(ends, default=None)
        member.save(update_fields=["chat_muted_until"])
    else:
        ends = [
            BAN_UNTIL if s.kind == SanctionKind.BAN else s.ends_at
            for s in remaining
            if s.kind in (SanctionKind.SUSPENSION, SanctionKind.BAN)
        ]
        member.suspended_until = max(ends, default=None)
        member.save(update_fields=["suspended_until"])
    return True


LIFTED_ACTIONS = {
    SanctionKind.MUTE: "moderation.member.unmuted",
    SanctionKind.SUSPENSION: "moderation.member.unsuspended",
    SanctionKind.BAN: "moderation.member.unbanned",
}


@transaction.atomic
def lift_sanction(moderator: User, sanction: Sanction, *, reason: str) -> bool:
    """End a sanction early (global moderators), with an audit row."""
    check_is_global_moderator(moderator)
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if not end_sanction(moderator, sanction):
        return False
    log_action(
        moderator,
        LIFTED_ACTIONS[sanction.kind],
        target=sanction.member,
        reason=reason,
        data={
            "sanction": sanction.pk,
            "decision": sanction.decision_id,
            "room": sanction.room_id,
            "ends_at": sanction.ends_at.isoformat() if sanction.ends_at else None,
        },
    )
    return True
