"""A moderator decides a review item: the effect, the statement of reasons,
sanctions, one audit row, notifications and the live queue event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.actions import log_action
from audit.models import AuditLogEntry
from community.actions.notifications import notify
from community.models import NotificationKind
from moderation.actions.review import queue_event
from moderation.actions.sanctions import impose_mute, impose_suspension
from moderation.models import (
    Decision,
    DecisionAction,
    ItemStatus,
    Report,
    ReviewItem,
    Rule,
)
from moderation.permissions import MEMBER_ACTIONS, check_can_decide, is_global_moderator
from moderation.registry import target_type
from realtime import groups
from realtime.publish import publish_on_commit

# The past tense of each action: audit names, report outcomes, messages.
PAST = {
    DecisionAction.DISMISS: "dismissed",
    DecisionAction.APPROVE: "approved",
    DecisionAction.HIDE: "hidden",
    DecisionAction.RESTORE: "restored",
    DecisionAction.DELETE: "deleted",
    DecisionAction.EDIT: "edited",
    DecisionAction.WARN: "warned",
    DecisionAction.MUTE: "muted",
    DecisionAction.SUSPEND: "suspended",
    DecisionAction.BAN: "banned",
}
OUTCOME_LABELS = {
    "dismissed": gettext_lazy("no violation found, nothing changed"),
    "approved": gettext_lazy("approved"),
    "hidden": gettext_lazy("hidden"),
    "restored": gettext_lazy("shown again"),
    "deleted": gettext_lazy("removed"),
    "edited": gettext_lazy("edited by the moderation team"),
    "warned": gettext_lazy("the author was warned"),
    "muted": gettext_lazy("the author was muted in chat"),
    "suspended": gettext_lazy("the author was suspended"),
    "banned": gettext_lazy("the author was banned"),
}
# Decisions that do not tell the author anything.
SILENT = {DecisionAction.DISMISS, DecisionAction.APPROVE}
MAX_DURATION = timedelta(days=365)


class DecisionRefused(Exception):
    """A decision that cannot be taken as asked, with a message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


def _validate(action: str, rule: str, reason: str, duration, source) -> None:
    if action not in DecisionAction.values:
        raise DecisionRefused(_("Unknown action."))
    if action not in SILENT:
        if rule not in Rule.values:
            raise DecisionRefused(_("Please choose the rule the decision is based on."))
        if not reason.strip():
            raise DecisionRefused(_("Please give a reason: the member receives it."))
    if action in (DecisionAction.MUTE, DecisionAction.SUSPEND) and (
        duration is None or duration <= timedelta(0) or duration > MAX_DURATION
    ):
        raise DecisionRefused(_("Please choose a duration."))
    if action == DecisionAction.EDIT and not (source or "").strip():
        raise DecisionRefused(_("Please enter the new text."))


@transaction.atomic
def decide(
    moderator: User,
    item: ReviewItem,
    *,
    action: str,
    rule: str,
    reason: str,
    duration: timedelta | None = None,
    source: str | None = None,
    note: str = "",
) -> Decision:
    """Decide an open item (not an objection: see `appeals.decide_appeal`).

    Raises PermissionDenied/Http404 (not allowed) or DecisionRefused (closed
    item, missing rule/reason/duration) before anything is written.
    """
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if item.target_kind == "decision":
        raise DecisionRefused(_("Objections are decided with uphold or revoke."))
    spec = target_type(item.target_kind)
    target = spec.load(item.target_id)
    check_can_decide(moderator, item, spec, target, action)
    if item.status != ItemStatus.OPEN:
        raise DecisionRefused(_("This case has already been decided."))
    _validate(action, rule, reason, duration, source)

    member: User | None = spec.author_of(target) if target is not None else None
    if member is not None:
        member = User.objects.select_for_update().get(pk=member.pk)
    now = timezone.now()
    ends_at = now + duration if duration is not None else None
    before = spec.excerpt(target) if target is not None else item.excerpt
    data: dict[str, Any] = {"item": item.pk, "kind": item.target_kind}
    changed = _apply(spec, moderator, target, action, source=source, note=note)
    if action == DecisionAction.EDIT:
        data.update(before=before, after=spec.excerpt(target), note=note)
    elif action in (DecisionAction.HIDE, DecisionAction.DELETE):
        data["changed"] = changed
    elif action == DecisionAction.DISMISS and _auto_hidden(item, target):
        # Hidden by reports "until a moderator decides": nothing was wrong.
        data["restored"] = spec.restore(moderator, target) if spec.restore else False

    decision = Decision.objects.create(
        item=item,
        moderator=moderator,
        member=member,
        action=action,
        rule=rule if rule in Rule.values else "",
        reason=reason.strip(),
        target_kind=item.target_kind,
        target_id=item.target_id,
        target_repr=(str(target) if target is not None else item.excerpt)[:300],
        ends_at=ends_at if action != DecisionAction.BAN else None,
        created_at=now,
    )
    data["decision"] = decision.pk
    if action == DecisionAction.MUTE:
        space = None if is_global_moderator(moderator) else spec.space_of(target)
        sanction = impose_mute(member, decision, until=ends_at, space=space)
        data.update(until=ends_at.isoformat(), room=sanction.room_id)
    elif action == DecisionAction.SUSPEND:
        impose_suspension(member, decision, until=ends_at)
        data["until"] = ends_at.isoformat()
    elif action == DecisionAction.BAN:
        impose_suspension(member, decision, until=None)
        data["until"] = None

    past = PAST[action]
    if action in MEMBER_ACTIONS:
        audit_name, audit_target = f"moderation.member.{past}", member
        data["content"] = {"kind": item.target_kind, "id": item.target_id}
    else:
        audit_name = f"moderation.{item.target_kind}.{past}"
        audit_target = target if target is not None else decision
    if rule:
        data["rule"] = rule
    log_action(moderator, audit_name, target=audit_target, reason=reason, data=data)

    close_item(moderator, item, outcome=past, now=now)
    if member is not None and action not in SILENT:
        notify(
            [member],
            kind=NotificationKind.MODERATION,
            actor=None,
            title=_("Moderation decision: %(outcome)s. Reasons and objection")
            % {"outcome": outcome_label(past)},
            url=reverse("moderation:decision", args=[decision.pk]),
        )
    elif member is not None and action == DecisionAction.APPROVE and changed:
        # Held content the member waited for: say it is out (no statement of
        # reasons, nothing to object to), with its text.
        notify(
            [member],
            kind=NotificationKind.MODERATION,
            actor=None,
            title=_("Approved: your post is now visible to everyone."),
            url=spec.url(target),
            excerpt=spec.excerpt(target),
        )
    return decision


def _auto_hidden(item: ReviewItem, target: Any) -> bool:
    if target is None:
        return False
    return AuditLogEntry.objects.filter(
        action=f"moderation.{item.target_kind}.auto_hidden",
        target_id=str(target.pk),
        created_at__gte=item.opened_at,
    ).exists()


def _apply(spec, moderator, target, action: str, *, source, note) -> bool:
    """The content's own effect, for the actions on content."""
    if target is None:
        return False
    if action == DecisionAction.EDIT:
        return spec.edit(moderator, target, source=source, note=note)
    if action in (
        DecisionAction.APPROVE,
        DecisionAction.HIDE,
        DecisionAction.RESTORE,
        DecisionAction.DELETE,
    ):
        return getattr(spec, action)(moderator, target)
    return False


def close_item(moderator: User, item: ReviewItem, *, outcome: str, now=None) -> None:
    """Close the item, tell its reporters the outcome, update the queues."""
    now = now or timezone.now()
    item.status = ItemStatus.CLOSED
    item.closed_at = now
    item.closed_by = moderator
    item.save(update_fields=["status", "closed_at", "closed_by"])
    Report.objects.filter(item=item).update(outcome=outcome)
    reporters = User.objects.filter(reports__item=item).distinct()
    if reporters:
        notify(
            reporters,
            kind=NotificationKind.REPORT,
            actor=None,
            title=_("Your report was reviewed: %(outcome)s")
            % {"outcome": outcome_label(outcome)},
            url=reverse("moderation:my_reports"),
        )
    publish_on_commit(queue_event(item, op="closed"), to=[groups.moderators()])
