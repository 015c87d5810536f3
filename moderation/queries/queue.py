"""The review queue, its items and the header's count."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from community.models import Space
from moderation.models import ItemStatus, Report, ReviewItem
from moderation.permissions import is_moderator, moderated_space_ids
from moderation.registry import TargetType, kinds, target_type


def scoped_items(user: User) -> QuerySet[ReviewItem]:
    """Items of the spaces `user` moderates (all for global moderators)."""
    space_ids = moderated_space_ids(user)
    items = ReviewItem.objects.all()
    if space_ids is None:
        return items
    return items.filter(space_id__in=space_ids)


def open_queue(
    user: User, *, space_id: int | None = None, reason: str = ""
) -> QuerySet[ReviewItem]:
    """Open items for `user`, most reporters first, then oldest first."""
    items = scoped_items(user).filter(status=ItemStatus.OPEN)
    if space_id:
        items = items.filter(space_id=space_id)
    if reason:
        items = items.filter(reports__reason=reason).distinct()
    return (
        items.select_related("space", "author")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("reporter").order_by(
                    "created_at"
                ),
            )
        )
        .order_by("-reporter_count", "opened_at", "pk")
    )


@dataclass
class QueueEntry:
    item: ReviewItem
    label: Any
    reporters: list[User] = field(default_factory=list)
    reasons: list[tuple[str, int]] = field(default_factory=list)


def queue_entries(items) -> list[QueueEntry]:
    """Display rows for a page of items (reports already prefetched)."""
    entries = []
    registered = set(kinds())
    for item in items:
        reports = list(item.reports.all())
        counts = Counter(report.get_reason_display() for report in reports)
        label = (
            target_type(item.target_kind).label
            if item.target_kind in registered
            else item.target_kind
        )
        entries.append(
            QueueEntry(
                item=item,
                label=label,
                reporters=[report.reporter for report in reports],
                reasons=sorted(counts.items(), key=lambda pair: -pair[1]),
            )
        )
    return entries


def queue_spaces(user: User) -> list[Space]:
    """The spaces the queue's space filter offers `user`."""
    space_ids = moderated_space_ids(user)
    spaces = Space.objects.order_by("title")
    if space_ids is not None:
        spaces = spaces.filter(pk__in=space_ids)
    return list(spaces)


def open_item_count(user: User) -> int | None:
    """Open items for the header link; None for members who moderate nothing.

    Members pay no query once the cache knows them; moderators one.
    """
    if not is_moderator(user):
        return None
    items = ReviewItem.objects.filter(status=ItemStatus.OPEN)
    if not user.is_staff:
        items = items.filter(space__moderators=user)
    return items.count()


@dataclass
class TargetView:
    """What the item page shows about the target."""

    spec: TargetType | None
    target: Any
    template: str
    context: dict[str, Any]
    url: str


def target_view(item: ReviewItem) -> TargetView:
    spec = target_type(item.target_kind) if item.target_kind in kinds() else None
    target = spec.load(item.target_id) if spec is not None else None
    url = spec.url(target) if spec is not None and target is not None else ""
    template, context = "moderation/partials/target_generic.html", {}
    if spec is not None and target is not None and spec.context is not None:
        template, context = spec.context(target)
    return TargetView(
        spec=spec, target=target, template=template, context=context, url=url
    )
