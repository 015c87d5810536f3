"""Revocation with four eyes, the reclaim it creates, interest to the day of
repayment, and the repayment releasing the ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditLogEntry
from grants.actions import payouts, reclaims
from grants.interest import interest
from grants.models import (
    BaseRate,
    BudgetLedger,
    CallOff,
    CallOffStatus,
    LegalBasis,
    Reclaim,
    ReclaimStatus,
    RevocationScope,
    State,
)
from grants.permissions import GrantRefused


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture
def base_rate(db):
    return BaseRate.objects.create(valid_from=date(2020, 1, 1), rate=Decimal("2.27"))


def row(application) -> BudgetLedger:
    return BudgetLedger.objects.get(
        programme=application.programme, municipality=application.municipality
    )


@pytest.fixture
def paid_out(approved, clerk, assessor):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("3000.00"),
        reason="Gesamtbetrag",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    approved.refresh_from_db()
    return approved


def propose(staff, application, scope=RevocationScope.PARTIAL, amount="1000.00"):
    return reclaims.propose_revocation(
        staff,
        application,
        scope=scope,
        legal_basis=LegalBasis.NOT_USED,
        reasons="Die Bürgerwerkstatt fand nicht statt.",
        due_on=timezone.localdate() + timedelta(days=30),
        amount=Decimal(amount) if amount else None,
    )


def test_a_revocation_takes_two_people(paid_out, assessor, approver):
    proposal = propose(assessor, paid_out)
    assert proposal.status == ReclaimStatus.PROPOSED
    paid_out.refresh_from_db()
    assert paid_out.state == State.PAID_OUT
    with pytest.raises(GrantRefused, match="Vier-Augen-Prinzip"):
        reclaims.decide_revocation(assessor, proposal)
    decided = reclaims.decide_revocation(approver, proposal)
    assert (decided.status, decided.decided_by) == (ReclaimStatus.DUE, approver)
    paid_out.refresh_from_db()
    assert paid_out.state == State.RECLAIM
    entry = AuditLogEntry.objects.get(action="grants.application.revoke")
    assert entry.data["legal_basis"] == LegalBasis.NOT_USED
    assert entry.reason == "Die Bürgerwerkstatt fand nicht statt."


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_revocation_decided_by_its_proposer(paid_out, assessor):
    proposal = propose(assessor, paid_out)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reclaim.objects.filter(pk=proposal.pk).update(
            decided_by=assessor, decided_at=timezone.now(), status=ReclaimStatus.DUE
        )


def test_a_reclaim_above_what_was_paid_is_refused(approved, clerk, assessor):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    with pytest.raises(GrantRefused, match=r"Höchstens 1\.000,00 €"):
        propose(assessor, approved, amount="1000.01")
    assert not Reclaim.objects.exists()


def test_nothing_paid_nothing_to_reclaim(approved, assessor):
    with pytest.raises(GrantRefused, match="ausgezahlt"):
        propose(assessor, approved)


def test_members_cannot_propose_a_revocation(paid_out, clerk):
    with pytest.raises(GrantRefused):
        propose(clerk, paid_out)


def test_a_full_revocation_reclaims_everything_paid_and_ends_the_payouts(
    approved, clerk, assessor, approver
):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("2000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    waiting = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    proposal = propose(assessor, approved, scope=RevocationScope.FULL, amount=None)
    assert proposal.amount == Decimal("2000.00")
    reclaims.decide_revocation(approver, proposal)
    budget = row(approved)
    assert (budget.reserved, budget.paid) == (Decimal("0.00"), Decimal("2000.00"))
    waiting.refresh_from_db()
    assert waiting.status == CallOffStatus.REFUSED


def test_the_repayment_fixes_the_interest_and_releases_the_ledger(
    paid_out, assessor, approver, base_rate
):
    proposal = propose(assessor, paid_out)
    reclaims.decide_revocation(approver, proposal)
    paid_on = CallOff.objects.get().paid_on
    repaid = reclaims.record_repayment(approver, proposal, repaid_on=paid_on)
    assert repaid.interest == Decimal("0.00")
    budget = row(paid_out)
    assert (budget.paid, budget.released) == (Decimal("3000.00"), Decimal("1000.00"))
    assert budget.available == Decimal("3000.00")
    paid_out.refresh_from_db()
    assert paid_out.state == State.CLOSED
    entry = AuditLogEntry.objects.get(action="grants.application.record_repayment")
    assert entry.data["interest"] == "0.00"


def test_interest_runs_from_the_latest_payouts_first(
    approved, clerk, assessor, approver, base_rate
):
    """1.000 paid 100 days and 2.000 paid 10 days before the repayment; a
    reclaim of 2.500 takes the 2.000 of the latest payout and 500 of the first."""
    today = timezone.localdate()
    for amount, days in [("1000.00", 100), ("2000.00", 10)]:
        made = payouts.request_call_off(
            clerk,
            approved,
            amount=Decimal(amount),
            reason="Rate",
            needed_on=today,
        )
        payouts.release_payout(assessor, made, paid_on=today)
        CallOff.objects.filter(pk=made.pk).update(paid_on=today - timedelta(days=days))
    proposal = propose(assessor, approved, amount="2500.00")
    reclaims.decide_revocation(approver, proposal)
    rates = [(base_rate.valid_from, base_rate.rate)]
    expected = interest(
        Decimal("2000.00"), today - timedelta(days=10), today, rates
    ) + interest(Decimal("500.00"), today - timedelta(days=100), today, rates)
    repaid = reclaims.record_repayment(approver, proposal, repaid_on=today)
    assert repaid.interest == expected > 0


def test_a_repayment_before_the_payout_is_refused_as_a_negative_period(
    paid_out, assessor, approver, base_rate
):
    proposal = propose(assessor, paid_out)
    reclaims.decide_revocation(approver, proposal)
    with pytest.raises(GrantRefused, match="negativen Zeitraum"):
        reclaims.record_repayment(
            approver, proposal, repaid_on=timezone.localdate() - timedelta(days=1)
        )
    assert row(paid_out).released == Decimal("0.00")


def test_staff_revoke_and_record_the_repayment_through_the_page(
    client, paid_out, assessor, approver, clerk, base_rate
):
    client.force_login(assessor)
    detail = reverse("grants:detail", args=[paid_out.pk])
    response = client.post(
        reverse("grants:propose_revocation", args=[paid_out.pk]),
        {
            "revoke-scope": "partial",
            "revoke-amount": "500,00",
            "revoke-legal_basis": LegalBasis.CONDITION,
            "revoke-reasons": "Auflage nicht erfüllt.",
            "revoke-due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        follow=True,
    )
    assert "eine zweite Person entscheidet darüber" in response.content.decode()
    proposal = Reclaim.objects.get()
    client.force_login(approver)
    client.post(reverse("grants:decide_revocation", args=[paid_out.pk, proposal.pk]))
    client.force_login(clerk)
    html = client.get(detail).content.decode()
    assert "500,00 €" in html
    assert "Auflage nicht erfüllt." in html
    client.force_login(approver)
    client.post(
        reverse("grants:record_repayment", args=[paid_out.pk, proposal.pk]),
        {"repaid-repaid_on": timezone.localdate().isoformat()},
    )
    proposal.refresh_from_db()
    assert proposal.status == ReclaimStatus.REPAID
