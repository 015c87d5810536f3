"""Call-offs and payouts of an approved grant.

The municipality calls off money (a reason and the date it is needed, or the
invoices to reimburse); a member of the Geschäftsstelle who did not approve
the grant releases each payout with its payment date, which moves the amount
from reserved to paid on the ledger. The first payout moves the application
to "paid out"; from then on it can no longer be withdrawn.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from grants import rules
from grants.actions import ledger, notices
from grants.actions.drafts import add_attachments
from grants.actions.workflow import begin_transition, finish_transition
from grants.models import (
    ZERO,
    Application,
    AttachmentKind,
    CallOff,
    CallOffStatus,
    HistoryEntry,
    PayoutMode,
)
from grants.models.money import format_eur
from grants.permissions import GrantRefused, check_applicant, check_staff
from grants.workflow import CALL_OFF_OPEN


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def called_off(application: Application) -> Decimal:
    """What the municipality has called off and was not refused: open or paid."""
    return (
        application.call_offs.exclude(status=CallOffStatus.REFUSED).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )


def _history(actor: User, application: Application, name: str, note: str) -> None:
    HistoryEntry.objects.create(
        application=application,
        name=name,
        from_state=application.state,
        to_state=application.state,
        actor=actor,
        note=note,
    )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "municipality")
        .get(pk=application.pk)
    )


@transaction.atomic
def request_call_off(
    actor: User,
    application: Application,
    *,
    amount: Decimal,
    reason: str,
    needed_on: date | None = None,
    invoices: list[UploadedFile] = (),  # type: ignore[assignment]
) -> CallOff:
    """The municipality calls off approved money.

    Advance payment: with the date it is needed (a date more than two months
    ahead is allowed but flagged, see `rules.call_off_too_early`).
    Reimbursement: with the invoices it reimburses; the money is due now.
    Never more than the approved amount minus what was called off already.
    """
    locked = _lock(application)
    check_applicant(actor, locked)
    if locked.state not in CALL_OFF_OPEN:
        if locked.approved_amount is None:
            raise GrantRefused(_("Money can be called off only after the approval."))
        raise GrantRefused(
            _("No more money can be called off while the application is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    problem = rules.amount_problem(amount)
    if problem:
        raise GrantRefused(problem)
    left = locked.approved_amount - called_off(locked)
    if amount > left:
        raise GrantRefused(
            _(
                "At most %(left)s can still be called off: %(approved)s were "
                "approved, %(called)s of them called off already."
            )
            % {
                "left": format_eur(max(left, ZERO)),
                "approved": format_eur(locked.approved_amount),
                "called": format_eur(locked.approved_amount - left),
            }
        )
    reason = reason.strip()
    if not reason:
        raise GrantRefused(_("Please say what the money is needed for."))
    today = timezone.localdate()
    if locked.programme.payout_mode == PayoutMode.REIMBURSEMENT:
        if not invoices:
            raise GrantRefused(
                _("This programme reimburses against invoices: please attach them.")
            )
        needed_on = today
    elif needed_on is None:
        raise GrantRefused(_("Please enter the date the money is needed."))
    elif needed_on < today:
        raise GrantRefused(_("The date the money is needed cannot be in the past."))
    call_off = CallOff.objects.create(
        application=locked,
        amount=amount,
        reason=reason,
        needed_on=needed_on,
        requested_by=actor,
        approved_by_id=locked.decided_by_id,
    )
    for attachment in add_attachments(
        actor, locked, [(AttachmentKind.INVOICE, f) for f in invoices]
    ):
        attachment.call_off = call_off
        attachment.save(update_fields=["call_off"])
    too_early = rules.call_off_too_early(needed_on, today=today)
    _history(actor, locked, "call_off", format_eur(amount))
    log_action(
        actor,
        "grants.call_off.requested",
        target=locked,
        reason=reason,
        data={
            "call_off": call_off.pk,
            "amount": str(amount),
            "needed_on": needed_on.isoformat(),
            "more_than_two_months_ahead": too_early,
        },
    )
    notices.tell_staff(
        actor,
        locked,
        lambda: _("%(amount)s called off") % {"amount": format_eur(amount)},
    )
    return call_off


def _lock_call_off(application: Application, call_off: CallOff) -> CallOff:
    locked = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if locked.application_id != application.pk:
        raise GrantRefused(_("This call-off belongs to another application."))
    if not locked.is_open:
        raise GrantRefused(
            _("This call-off has been dealt with already (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def release_payout(actor: User, call_off: CallOff, *, paid_on: date) -> CallOff:
    """Release the payout of a call-off and record the payment date.

    By a member of the Geschäftsstelle who did not approve the grant (checked
    here and by the database). Moves the amount from reserved to paid on the
    pot and on the caps the approval reserved on.
    """
    application, transition = begin_transition(actor, call_off.application, "pay_out")
    locked = _lock_call_off(application, call_off)
    if paid_on > timezone.localdate():
        raise GrantRefused(_("The payment date cannot be in the future."))
    if paid_on < timezone.localdate(application.decided_at):
        raise GrantRefused(
            _("The payment date cannot be before the approval on %(date)s.")
            % {"date": _date(timezone.localdate(application.decided_at))}
        )
    ledger.pay(actor, application, locked.amount)
    locked.status = CallOffStatus.PAID
    locked.released_by = actor
    locked.released_at = timezone.now()
    locked.paid_on = paid_on
    locked.save(update_fields=["status", "released_by", "released_at", "paid_on"])
    finish_transition(
        actor,
        application,
        transition,
        fields=[],
        note=format_eur(locked.amount),
        data={
            "call_off": locked.pk,
            "amount": str(locked.amount),
            "paid_on": paid_on.isoformat(),
            "approved_by": locked.approved_by_id,
        },
    )
    return locked


@transaction.atomic
def refuse_call_off(actor: User, call_off: CallOff, *, reason: str) -> CallOff:
    """Refuse a call-off (too early, not covered by the purpose); the money
    stays reserved and can be called off again."""
    application = _lock(call_off.application)
    check_staff(actor, application)
    locked = _lock_call_off(application, call_off)
    reason = reason.strip()
    if not reason:
        raise GrantRefused(_("Please give a reason."))
    locked.status = CallOffStatus.REFUSED
    locked.refused_by = actor
    locked.refusal_reason = reason
    locked.save(update_fields=["status", "refused_by", "refusal_reason"])
    _history(actor, application, "call_off_refused", reason)
    log_action(
        actor,
        "grants.call_off.refused",
        target=application,
        reason=reason,
        data={"call_off": locked.pk, "amount": str(locked.amount)},
    )
    notices.tell_applicant(
        actor,
        application,
        lambda: (
            _("call-off of %(amount)s refused") % {"amount": format_eur(locked.amount)}
        ),
    )
    return locked
