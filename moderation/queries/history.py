"""A member's moderation history, reports and decisions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from moderation import registry
from moderation.models import Decision, ModeratorNote, Report, Sanction


def active_sanctions(member: User) -> QuerySet[Sanction]:
    """The member's sanctions in force now (not lifted, not run out)."""
    return Sanction.objects.filter(member=member, lifted_at__isnull=True).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
    )


@dataclass
class MemberHistory:
    member: User
    # "12 forum posts", "3 chat messages": what the apps registered.
    contributions: list[str]
    decisions: list[Decision]
    active_sanctions: list[Sanction]
    sanctions: list[Sanction]
    notes: list[ModeratorNote] | None


def member_history(member: User, *, with_notes: bool, limit: int = 20) -> MemberHistory:
    decisions = list(
        Decision.objects.filter(member=member)
        .select_related("moderator")
        .order_by("-created_at")[:limit]
    )
    sanctions = list(
        Sanction.objects.filter(member=member)
        .select_related("decision", "lifted_by")
        .order_by("-starts_at")[:limit]
    )
    active = list(active_sanctions(member).select_related("decision"))
    with_room_titles(sanctions + active)
    notes = None
    if with_notes:
        notes = list(
            ModeratorNote.objects.filter(member=member).select_related("author")[:50]
        )
    return MemberHistory(
        member=member,
        contributions=[
            contributions.describe(contributions.count(member))
            for contributions in registry.contributions()
        ],
        decisions=decisions,
        active_sanctions=active,
        sanctions=sanctions,
        notes=notes,
    )


def with_room_titles(sanctions: list[Sanction]) -> list[Sanction]:
    """Give each room mute its room's `room_title` (one query for all)."""
    room_ids = sorted({s.room_id for s in sanctions if s.room_id is not None})
    titles = registry.room_mutes().room_titles(room_ids) if room_ids else {}
    for sanction in sanctions:
        sanction.room_title = titles.get(sanction.room_id, "")
    return sanctions


def reports_of(reporter: User) -> QuerySet[Report]:
    """The reporter's reports, newest first, with their items."""
    return (
        Report.objects.filter(reporter=reporter)
        .select_related("item")
        .order_by("-created_at", "-pk")
    )


def sanction_is_active(sanction: Sanction) -> bool:
    if sanction.lifted_at is not None:
        return False
    return sanction.ends_at is None or sanction.ends_at > timezone.now()


def suspension_of(member: User) -> Sanction | None:
    """The suspension or ban that keeps `member` out now, longest first."""
    from moderation.models import SanctionKind

    candidates = list(
        active_sanctions(member)
        .filter(kind__in=[SanctionKind.SUSPENSION, SanctionKind.BAN])
        .select_related("decision")
    )
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda s: (s.ends_at is None, s.ends_at or s.starts_at),
    )
