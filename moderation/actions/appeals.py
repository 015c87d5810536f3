"""Objections (appeals): the affected member objects, a moderator decides.

The objection puts the decision back into the queue as an item of kind
"decision" (source "appeal"). Whoever decided first does not decide the
objection while another moderator of the same scope exists
(`moderation.permissions.check_can_decide_appeal`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from community.actions.notifications import notify
from community.models import NotificationKind
from moderation.actions.decisions import DecisionRefused, close_item
from moderation.actions.review import open_review
from moderation.actions.sanctions import end_sanction
from moderation.models import (
    Appeal,
    AppealStatus,
    Decision,
    DecisionAction,
    ItemSource,
    ItemStatus,
    ReviewItem,
)
from moderation.permissions import check_can_decide_appeal, check_can_object
from moderation.registry import kinds, target_type

MAX_OBJECTION_LENGTH = 4000


@transaction.atomic
def object_to(member: User, decision: Decision, *, text: str) -> Appeal:
    """The affected member's one objection to `decision`."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    check_can_object(member, decision)
    text = text.strip()
    if not text:
        raise DecisionRefused(_("Please explain why you object."))
    appeal = Appeal.objects.create(
        decision=decision, member=member, text=text[:MAX_OBJECTION_LENGTH]
    )
    item = open_review("decision", decision, source=ItemSource.APPEAL)
    log_action(
        member,
        "moderation.appeal.submitted",
        target=decision,
        data={"appeal": appeal.pk, "item": item.pk},
    )
    return appeal


def open_appeal_item(appeal: Appeal) -> ReviewItem | None:
    return ReviewItem.objects.filter(
        target_kind="decision",
        target_id=appeal.decision_id,
        status=ItemStatus.OPEN,
    ).first()


@transaction.atomic
def decide_appeal(
    moderator: User, appeal: Appeal, *, uphold: bool, answer: str
) -> Appeal:
    """Uphold the decision or revoke it (content restored, sanctions lifted)."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("decision__item__space", "decision__member")
        .get(pk=appeal.pk)
    )
    check_can_decide_appeal(moderator, appeal)
    if appeal.status != AppealStatus.OPEN:
        raise DecisionRefused(_("This objection has already been decided."))
    answer = answer.strip()
    if not answer:
        raise DecisionRefused(_("Please give a reason: the member receives it."))
    decision = appeal.decision
    undone: dict[str, Any] = {}
    if not uphold:
        undone = _undo(moderator, decision)
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.REVOKED
    appeal.decided_by = moderator
    appeal.decided_at = timezone.now()
    appeal.answer = answer[:2000]
    appeal.save(update_fields=["status", "decided_by", "decided_at", "answer"])
    outcome = "upheld" if uphold else "revoked"
    log_action(
        moderator,
        f"moderation.appeal.{outcome}",
        target=decision,
        reason=answer,
        data={
            "appeal": appeal.pk,
            "decision": decision.pk,
            "action": decision.action,
            "decided_by": decision.moderator_id,
            **undone,
        },
    )
    item = open_appeal_item(appeal)
    if item is not None:
        close_item(moderator, item, outcome=outcome)
    if decision.member is not None:
        notify(
            [decision.member],
            kind=NotificationKind.MODERATION,
            actor=None,
            title=_("Your objection was decided: the decision was upheld")
            if uphold
            else _("Your objection was decided: the decision was revoked"),
            url=reverse("moderation:decision", args=[decision.pk]),
        )
    return appeal


def _undo(moderator: User, decision: Decision) -> dict[str, Any]:
    """Take back what the decision did, as far as it can be."""
    undone: dict[str, Any] = {}
    content_action = decision.action in (DecisionAction.HIDE, DecisionAction.DELETE)
    if content_action and decision.target_kind in kinds():
        spec = target_type(decision.target_kind)
        target = spec.load(decision.target_id)
        if target is not None and spec.restore is not None:
            undone["restored"] = spec.restore(moderator, target)
    lifted = []
    for sanction in decision.sanctions.select_for_update():
        if end_sanction(moderator, sanction):
            lifted.append(sanction.pk)
    if lifted:
        undone["lifted"] = lifted
    return undone
