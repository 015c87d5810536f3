"""Members report content; reports gather in the target's open review item."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from moderation.actions.review import open_review, queue_event
from moderation.models import ItemSource, ItemStatus, Report, ReportReason, ReviewItem
from moderation.permissions import check_can_report
from moderation.registry import TargetType, kinds, target_type
from realtime import groups
from realtime.publish import publish_on_commit

# Objections are not reported; they are decided. Every other registered kind
# ("post", "thread", "chat_message", "profile", ...) can be.
NOT_REPORTABLE = ("decision",)
RATE_WINDOW_SECONDS = 3600


class ReportRefused(Exception):
    """A report that is not taken, with the German message for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def reportable_type(kind: str) -> TargetType:
    """The target type of a reportable kind; Http404 for anything else."""
    if kind in NOT_REPORTABLE or kind not in kinds():
        raise Http404
    return target_type(kind)


def access_report_target(reporter: User, kind: str, target_id: int) -> Any:
    """The content `reporter` wants to report, after the permission check."""
    spec = reportable_type(kind)
    target = spec.load(target_id)
    if target is None:
        raise Http404
    check_can_report(reporter, spec, target)
    return target


def _rate_key(reporter: User) -> str:
    return f"moderation.reports:{reporter.pk}"


def reports_left(reporter: User) -> int:
    used = cache.get(_rate_key(reporter), 0)
    return max(0, settings.MODERATION_REPORTS_PER_HOUR - used)


def already_reported(reporter: User, kind: str, target_id: int) -> bool:
    return Report.objects.filter(
        reporter=reporter,
        item__target_kind=kind,
        item__target_id=target_id,
        item__status=ItemStatus.OPEN,
    ).exists()


@transaction.atomic
def report(
    reporter: User, kind: str, target_id: int, *, reason: str, text: str = ""
) -> Report:
    """File `reporter`'s report on the content and queue it for moderators.

    Refused (Http404/PermissionDenied from the permission check, ReportRefused
    with a message) without writing anything: own content, invisible content,
    a second report on the same open item, too many reports in an hour.
    """
    spec = reportable_type(kind)
    target = access_report_target(reporter, kind, target_id)
    if reason not in ReportReason.values:
        raise ReportRefused(_("Please choose a reason for your report."))
    if already_reported(reporter, kind, target.pk):
        raise ReportRefused(
            _(
                "You have already reported this. The moderation team will "
                "review it; you can follow the status under “My reports”."
            )
        )
    if reports_left(reporter) <= 0:
        raise ReportRefused(
            _("You have sent many reports in the last hour. Please try again later.")
        )
    existed = ReviewItem.objects.filter(
        target_kind=kind, target_id=target.pk, status=ItemStatus.OPEN
    ).exists()
    item = open_review(kind, target, source=ItemSource.REPORTED, announce=False)
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    created = Report.objects.create(
        item=item, reporter=reporter, reason=reason, text=text.strip()[:2000]
    )
    item.reporter_count = item.reports.count()
    item.save(update_fields=["reporter_count"])
    publish_on_commit(
        queue_event(item, op="updated" if existed else "opened"),
        to=[groups.moderators()],
    )
    _auto_hide(spec, item, target)
    _count_report(reporter)
    return created


def _auto_hide(spec: TargetType, item: ReviewItem, target: Any) -> bool:
    """Hide the content once enough verified members reported it."""
    if spec.hide is None:
        return False
    verified = item.reports.filter(
        reporter__affiliation_verified_at__isnull=False
    ).count()
    if verified < settings.MODERATION_AUTO_HIDE_REPORTS:
        return False
    if not spec.hide(None, target):
        return False
    log_action(
        None,
        f"moderation.{item.target_kind}.auto_hidden",
        target=target,
        data={"item": item.pk, "verified_reporters": verified},
    )
    return True


def _count_report(reporter: User) -> None:
    key = _rate_key(reporter)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        # Expired between add and incr: this report starts a new window.
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
