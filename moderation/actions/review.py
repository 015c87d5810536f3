"""Putting content into the review queue.

The forum and the chat call `open_review` when the screening holds or flags
what a member wrote; `moderation.actions.reports` calls it for reports. An
open item per target collects everything that happens to it until a moderator
decides.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from moderation.models import ItemSource, ItemStatus, ReviewItem
from moderation.registry import target_type
from realtime import groups
from realtime.publish import publish_on_commit

EXCERPT_LENGTH = 300


def queue_event(item: ReviewItem, *, op: str) -> dict[str, Any]:
    """The live event moderators' sockets receive: ids only, the queue reloads
    the item from the page (so nobody's socket carries content they may not
    moderate). `space` lets the consumer pass it only to that space's
    moderators."""
    return {
        "type": "moderation.queue",
        "op": op,
        "item": item.pk,
        "space": item.space_id,
        "source": item.source,
        "reporters": item.reporter_count,
    }


@transaction.atomic
def open_review(
    target_kind: str,
    target: Any,
    *,
    source: str,
    findings: list[str] | None = None,
    announce: bool = True,
) -> ReviewItem:
    """The open item for `target`, created if needed; `findings` are added.

    `announce=False` leaves the queue event to the caller (a report publishes
    it once the item's reporter count is up to date).

    A held item stays "held" even if it is reported later: approval is the
    decision still owed.
    """
    spec = target_type(target_kind)
    item = (
        ReviewItem.objects.select_for_update()
        .filter(target_kind=target_kind, target_id=target.pk, status=ItemStatus.OPEN)
        .first()
    )
    created = item is None
    if created:
        author: User | None = spec.author_of(target)
        space = spec.space_of(target)
        item = ReviewItem.objects.create(
            target_kind=target_kind,
            target_id=target.pk,
            space=space,
            author=author,
            source=source,
            excerpt=spec.excerpt(target)[:EXCERPT_LENGTH],
            findings=list(findings or []),
        )
    elif findings:
        item.findings = [*item.findings, *findings]
        if source == ItemSource.HELD:
            item.source = ItemSource.HELD
        item.save(update_fields=["findings", "source"])
    if announce:
        publish_on_commit(
            queue_event(item, op="opened" if created else "updated"),
            to=[groups.moderators()],
        )
    return item
