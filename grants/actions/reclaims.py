"""Revocation (four eyes), the reclaim it creates, and the repayment.

One member of the Geschäftsstelle proposes the revocation (full or partial,
legal basis, reasons, amount, due date); another decides it. The decision ends
the grant's payouts (what is still reserved goes back to the caps) and makes
the amount due. Recording the repayment computes the interest to that day and
releases the amount on the ledger.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from grants import interest as interest_rules
from grants.actions import ledger, notices
from grants.actions.workflow import begin_transition, finish_transition
from grants.models import (
    ZERO,
    Application,
    BaseRate,
    CallOff,
    CallOffStatus,
    HistoryEntry,
    LegalBasis,
    Reclaim,
    ReclaimStatus,
    RevocationScope,
)
from grants.models.money import format_eur
from grants.permissions import GrantRefused, check_staff
from grants.workflow import REVOCABLE

OPEN = (ReclaimStatus.PROPOSED, ReclaimStatus.DUE)


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "municipality")
        .get(pk=application.pk)
    )


@transaction.atomic
def propose_revocation(
    actor: User,
    application: Application,
    *,
    scope: str,
    legal_basis: str,
    reasons: str,
    due_on: date,
    amount: Decimal | None = None,
) -> Reclaim:
    """The first pair of eyes: the revocation as proposed, not yet in force."""
    locked = _lock(application)
    check_staff(actor, locked)
    if locked.state not in REVOCABLE:
        raise GrantRefused(
            _("Only a grant that was paid out can be revoked and reclaimed.")
        )
    if locked.reclaims.filter(status__in=OPEN).exists():
        raise GrantRefused(_("A revocation of this grant is pending already."))
    if scope not in RevocationScope.values:
        raise GrantRefused(_("Please choose a full or a partial revocation."))
    if legal_basis not in LegalBasis.values:
        raise GrantRefused(_("Please name the legal basis."))
    reasons = reasons.strip()
    if not reasons:
        raise GrantRefused(_("Please give the statement of reasons."))
    if due_on <= timezone.localdate():
        raise GrantRefused(_("The due date must be in the future."))
    paid = ledger.reclaimable(locked)
    if scope == RevocationScope.FULL:
        amount = paid
    if amount is None or amount <= 0:
        raise GrantRefused(_("Please enter the amount to reclaim."))
    if amount > paid:
        raise GrantRefused(
            _(
                "At most %(paid)s can be reclaimed: that is what was paid out and "
                "has not come back."
            )
            % {"paid": format_eur(paid)}
        )
    reclaim = Reclaim.objects.create(
        application=locked,
        scope=scope,
        legal_basis=legal_basis,
        reasons=reasons,
        amount=amount,
        due_on=due_on,
        proposed_by=actor,
    )
    HistoryEntry.objects.create(
        application=locked,
        name="revocation_proposed",
        from_state=locked.state,
        to_state=locked.state,
        actor=actor,
        note=format_eur(amount),
    )
    log_action(
        actor,
        "grants.reclaim.proposed",
        target=locked,
        reason=reasons,
        data={
            "reclaim": reclaim.pk,
            "scope": scope,
            "legal_basis": legal_basis,
            "amount": str(amount),
            "due_on": due_on.isoformat(),
        },
    )
    notices.tell_staff(actor, locked, lambda: _("revocation proposed"))
    return reclaim


def _lock_reclaim(application: Application, reclaim: Reclaim, status: str) -> Reclaim:
    locked = Reclaim.objects.select_for_update().get(pk=reclaim.pk)
    if locked.application_id != application.pk or locked.status != status:
        raise GrantRefused(
            _("This step is not possible while the reclaim is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def decide_revocation(actor: User, reclaim: Reclaim) -> Reclaim:
    """The second pair of eyes puts the revocation in force."""
    application, transition = begin_transition(actor, reclaim.application, "revoke")
    locked = _lock_reclaim(application, reclaim, ReclaimStatus.PROPOSED)
    if locked.proposed_by_id == actor.pk:
        raise GrantRefused(
            _(
                "You proposed this revocation. Another person decides on it "
                "(four-eyes principle)."
            )
        )
    if locked.amount > ledger.reclaimable(application):
        raise GrantRefused(_("More cannot come back than was paid out."))
    locked.status = ReclaimStatus.DUE
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    # No more payouts: what is still reserved goes back to the caps, and
    # open call-offs lapse.
    cancelled = ledger.cancel_reservation(actor, application)
    application.call_offs.filter(status=CallOffStatus.REQUESTED).update(
        status=CallOffStatus.REFUSED,
        refused_by=actor,
        refusal_reason=_("The grant was revoked."),
    )
    finish_transition(
        actor,
        application,
        transition,
        fields=[],
        reason=locked.reasons,
        note=locked.reasons,
        data={
            "reclaim": locked.pk,
            "scope": locked.scope,
            "legal_basis": locked.legal_basis,
            "amount": str(locked.amount),
            "due_on": locked.due_on.isoformat(),
            "proposed_by": locked.proposed_by_id,
            "cancelled_reservation": str(cancelled),
        },
    )
    return locked


def payouts_reclaimed(reclaim: Reclaim) -> list[tuple[date, Decimal]]:
    """The payouts the reclaimed amount is taken from, latest first: interest
    runs from the latest payouts, the reading kindest to the municipality."""
    left = reclaim.amount
    taken = []
    paid = CallOff.objects.filter(
        application=reclaim.application_id, status=CallOffStatus.PAID
    ).order_by("-paid_on", "-pk")
    for call_off in paid:
        if left <= 0:
            break
        portion = min(left, call_off.amount)
        taken.append((call_off.paid_on, portion))
        left -= portion
    return taken


def interest_due(reclaim: Reclaim, repaid_on: date) -> Decimal:
    """Interest on the reclaim if it is repaid on `repaid_on`."""
    rates = list(BaseRate.objects.values_list("valid_from", "rate"))
    return sum(
        (
            interest_rules.interest(portion, paid_on, repaid_on, rates)
            for paid_on, portion in payouts_reclaimed(reclaim)
        ),
        ZERO,
    )


@transaction.atomic
def record_repayment(actor: User, reclaim: Reclaim, *, repaid_on: date) -> Reclaim:
    """The amount came back on `repaid_on`: fix the interest to that day,
    release the amount on the ledger and close the case."""
    application, transition = begin_transition(
        actor, reclaim.application, "record_repayment"
    )
    locked = _lock_reclaim(application, reclaim, ReclaimStatus.DUE)
    if repaid_on > timezone.localdate():
        raise GrantRefused(_("The repayment date cannot be in the future."))
    owed_interest = interest_due(locked, repaid_on)
    ledger.book_repayment(actor, application, locked.amount)
    locked.status = ReclaimStatus.REPAID
    locked.repaid_on = repaid_on
    locked.interest = owed_interest
    locked.repayment_recorded_by = actor
    locked.save(
        update_fields=["status", "repaid_on", "interest", "repayment_recorded_by"]
    )
    finish_transition(
        actor,
        application,
        transition,
        fields=[],
        note=format_eur(locked.amount),
        data={
            "reclaim": locked.pk,
            "amount": str(locked.amount),
            "interest": str(owed_interest),
            "repaid_on": repaid_on.isoformat(),
        },
    )
    return locked
