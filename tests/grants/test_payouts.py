"""Call-offs and payouts: only what was approved, only after the approval,
released by a person other than the approver (in the action and by the
database), moving the ledger from reserved to paid."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from audit.models import AuditLogEntry
from grants.actions import ledger, payouts, workflow
from grants.actions.drafts import confirm_partner, create_draft
from grants.models import (
    Application,
    AttachmentKind,
    BudgetLedger,
    CallOff,
    CallOffStatus,
    PartnerSplit,
    PayoutMode,
    Purpose,
    State,
    Vote,
)
from grants.periods import add_months
from grants.permissions import GrantRefused
from grants.rules import call_off_too_early
from tests.grants.conftest import complete_content, quote, submit


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def row(application, municipality_id="09187117") -> BudgetLedger:
    return BudgetLedger.objects.get(
        programme=application.programme, municipality_id=municipality_id
    )


def call_off(clerk, application, amount="1000.00", days=14) -> CallOff:
    return payouts.request_call_off(
        clerk,
        application,
        amount=Decimal(amount),
        reason="Erste Rate an das Beratungsbüro",
        needed_on=timezone.localdate() + timedelta(days=days),
    )


# --- Call-off -------------------------------------------------------------------------


def test_a_call_off_before_the_approval_is_refused(assessed, clerk):
    with pytest.raises(GrantRefused, match="erst nach der Bewilligung"):
        call_off(clerk, assessed)
    assert not CallOff.objects.exists()


def test_a_call_off_above_the_approved_amount_is_refused_naming_what_is_left(
    approved, clerk
):
    call_off(clerk, approved, "2000.00")
    with pytest.raises(GrantRefused) as refused:
        call_off(clerk, approved, "1000.01")
    assert "Höchstens 1.000,00 €" in refused.value.message
    assert CallOff.objects.count() == 1


def test_a_refused_call_off_frees_its_amount_to_be_called_off_again(
    approved, clerk, assessor
):
    first = call_off(clerk, approved, "3000.00")
    payouts.refuse_call_off(assessor, first, reason="Zu früh abgerufen.")
    assert call_off(clerk, approved, "3000.00").status == CallOffStatus.REQUESTED
    assert AuditLogEntry.objects.filter(action="grants.call_off.refused").exists()


def test_a_call_off_needs_a_reason_and_a_date_not_in_the_past(approved, clerk):
    with pytest.raises(GrantRefused, match="wofür"):
        payouts.request_call_off(
            clerk,
            approved,
            amount=Decimal("100.00"),
            reason=" ",
            needed_on=timezone.localdate(),
        )
    with pytest.raises(GrantRefused, match="Vergangenheit"):
        call_off(clerk, approved, days=-1)


def test_only_verified_members_of_the_municipality_call_off(
    approved, make_verified, make_municipality
):
    other = make_verified(make_municipality("09187118", "Abach", 900))
    with pytest.raises(GrantRefused):
        call_off(other, approved)
    assert not CallOff.objects.exists()


def test_a_call_off_more_than_two_months_ahead_is_flagged_in_the_audit(approved, clerk):
    made = call_off(clerk, approved, days=70)
    entry = AuditLogEntry.objects.get(action="grants.call_off.requested")
    assert entry.data["more_than_two_months_ahead"] is True
    assert made.approved_by_id == approved.decided_by_id


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2026, 12, 31), (2027, 2, 28)),
        ((2027, 12, 31), (2028, 2, 29)),
        ((2026, 5, 15), (2026, 7, 15)),
        ((2026, 11, 30), (2027, 1, 30)),
    ],
)
def test_two_months_ahead_ends_on_the_last_day_of_a_shorter_month(day, expected):
    from datetime import date

    assert add_months(date(*day), 2) == date(*expected)
    assert not call_off_too_early(date(*expected), today=date(*day))
    assert call_off_too_early(date(*expected) + timedelta(days=1), today=date(*day))


# --- Payout ---------------------------------------------------------------------------


def test_a_payout_moves_the_amount_from_reserved_to_paid_and_the_state_to_paid_out(
    approved, clerk, assessor
):
    first = call_off(clerk, approved, "1000.00")
    payouts.release_payout(assessor, first, paid_on=timezone.localdate())

    budget, pot = row(approved), row(approved, None)
    assert (budget.reserved, budget.paid) == (Decimal("2000.00"), Decimal("1000.00"))
    assert (pot.reserved, pot.paid) == (Decimal("2000.00"), Decimal("1000.00"))
    approved.refresh_from_db()
    assert approved.state == State.PAID_OUT
    first.refresh_from_db()
    assert (first.status, first.released_by, first.paid_on) == (
        CallOffStatus.PAID,
        assessor,
        timezone.localdate(),
    )
    entry = AuditLogEntry.objects.get(action="grants.application.paid_out")
    assert entry.data["amount"] == "1000.00"

    second = call_off(clerk, approved, "2000.00")
    payouts.release_payout(assessor, second, paid_on=timezone.localdate())
    budget.refresh_from_db()
    assert (budget.reserved, budget.paid) == (Decimal("0.00"), Decimal("3000.00"))
    assert ledger.paid_total(approved) == Decimal("3000.00")


def test_the_approver_cannot_release_the_payout(approved, clerk, approver):
    made = call_off(clerk, approved)
    with pytest.raises(GrantRefused, match="Funktionstrennung"):
        payouts.release_payout(approver, made, paid_on=timezone.localdate())
    made.refresh_from_db()
    assert made.status == CallOffStatus.REQUESTED
    assert row(approved).paid == Decimal("0.00")


def test_not_even_a_superuser_who_approved_can_release_the_payout(
    assessed, clerk, make_member
):
    boss = make_member(
        name="Chefin", is_staff=True, is_superuser=True, municipality=None
    )
    workflow.approve(boss, assessed, amount=Decimal("3000.00"), reasons="Gut.")
    with pytest.raises(GrantRefused):
        payouts.release_payout(
            boss, call_off(clerk, assessed), paid_on=timezone.localdate()
        )


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_payout_released_by_the_approver(
    approved, clerk, approver
):
    made = call_off(clerk, approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        CallOff.objects.filter(pk=made.pk).update(
            released_by=approver,
            released_at=timezone.now(),
            paid_on=timezone.localdate(),
            status=CallOffStatus.PAID,
        )


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_paid_call_off_without_payer_and_date(approved, clerk):
    made = call_off(clerk, approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        CallOff.objects.filter(pk=made.pk).update(status=CallOffStatus.PAID)


def test_a_payment_date_in_the_future_or_before_the_approval_is_refused(
    approved, clerk, assessor
):
    made = call_off(clerk, approved)
    with pytest.raises(GrantRefused, match="Zukunft"):
        payouts.release_payout(
            assessor, made, paid_on=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(GrantRefused, match="vor der Bewilligung"):
        payouts.release_payout(
            assessor, made, paid_on=timezone.localdate() - timedelta(days=1)
        )
    assert row(approved).paid == Decimal("0.00")


def test_a_call_off_is_paid_out_only_once(approved, clerk, assessor):
    made = call_off(clerk, approved)
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    with pytest.raises(GrantRefused, match="bereits bearbeitet"):
        payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    assert row(approved).paid == Decimal("1000.00")


def test_after_a_payout_the_application_can_no_longer_be_withdrawn(
    approved, clerk, assessor
):
    payouts.release_payout(
        assessor, call_off(clerk, approved), paid_on=timezone.localdate()
    )
    with pytest.raises(GrantRefused):
        workflow.withdraw(clerk, approved, reason="Doch nicht.")
    assert Application.objects.get(pk=approved.pk).state == State.PAID_OUT


# --- Payout modes ---------------------------------------------------------------------


def test_reimbursement_needs_invoices_and_attaches_them_to_the_call_off(
    programme, draft, mayor, assessor, approver, clerk
):
    programme.payout_mode = PayoutMode.REIMBURSEMENT
    programme.save(update_fields=["payout_mode"])
    application = submit(draft, mayor)
    workflow.start_check(assessor, application)
    workflow.pass_check(assessor, application)
    workflow.assess(assessor, application, vote=Vote.APPROVE, reasons="Gut.")
    workflow.approve(approver, application, amount=Decimal("3000.00"), reasons="Ja.")
    with pytest.raises(GrantRefused, match="Rechnungen"):
        payouts.request_call_off(
            clerk, application, amount=Decimal("500.00"), reason="Rechnung Büro"
        )
    made = payouts.request_call_off(
        clerk,
        application,
        amount=Decimal("500.00"),
        reason="Rechnung Büro",
        invoices=[quote("rechnung.pdf")],
    )
    assert made.needed_on == timezone.localdate()
    assert [(i.kind, i.original_name) for i in made.invoices.all()] == [
        (AttachmentKind.INVOICE, "rechnung.pdf")
    ]


def test_partial_payouts_of_a_split_partner_grant_end_exactly_on_each_reservation(
    make_programme, make_municipality, make_verified, clerk, mayor, assessor, approver
):
    programme = make_programme(partner_split=PartnerSplit.SPLIT)
    towns = [
        make_municipality("09187118", "Abach", 900),
        make_municipality("09187119", "Zell", 2000),
    ]
    draft, _ = create_draft(
        clerk,
        programme,
        key=uuid.uuid4().hex,
        content=complete_content(
            mayor, timezone.localdate(), purpose=Purpose.NETWORKING, partners=towns
        ),
    )
    for partner in draft.partners.all():
        confirm_partner(make_verified(partner.municipality), draft, partner)
    application = submit(draft, mayor)
    workflow.start_check(assessor, application)
    workflow.pass_check(assessor, application)
    workflow.assess(assessor, application, vote=Vote.APPROVE, reasons="Gut.")
    workflow.approve(approver, application, amount=Decimal("2999.99"), reasons="Ja.")
    reserved = {
        ags: row(application, ags).reserved
        for ags in ledger.shares(application, Decimal("2999.99"))
    }
    for amount in ["0.01", "0.02", "1000.00", "1999.96"]:
        made = call_off(clerk, application, amount)
        payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    for ags, amount in reserved.items():
        budget = row(application, ags)
        assert (budget.reserved, budget.paid) == (Decimal("0.00"), amount)
    assert row(application, None).paid == Decimal("2999.99")


def test_withdrawing_before_any_payout_lets_waiting_call_offs_lapse(approved, clerk):
    made = call_off(clerk, approved)
    workflow.withdraw(clerk, approved, reason="Das Büro hat abgesagt.")
    made.refresh_from_db()
    assert made.status == CallOffStatus.REFUSED
    assert row(approved).reserved == Decimal("0.00")
