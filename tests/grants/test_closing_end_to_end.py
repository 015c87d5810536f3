"""From the approval to the closed case, only through the real views: the
municipality calls off, a second person pays out, the municipality reports,
staff accept it, a revocation for money not used is proposed and decided by
two people, the repayment is recorded, and the letters and the ledger show it
all."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from grants.models import BaseRate, BudgetLedger, CallOff, Reclaim, State


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_an_approved_grant_is_paid_reported_reclaimed_and_closed_through_the_pages(
    approved, clerk, assessor, approver
):
    BaseRate.objects.create(valid_from=date(2020, 1, 1), rate=Decimal("2.27"))
    karl, paula, bernd = as_user(clerk), as_user(assessor), as_user(approver)
    detail = reverse("grants:detail", args=[approved.pk])
    today = timezone.localdate().isoformat()

    # Karl calls off the whole grant.
    karl.post(
        reverse("grants:call_off", args=[approved.pk]),
        {"amount": "3.000,00", "reason": "Beratungsbüro", "needed_on": today},
    )
    call_off = CallOff.objects.get()
    # Bernd approved it, so he cannot pay it out; Paula can.
    bernd.post(
        reverse("grants:release_payout", args=[approved.pk, call_off.pk]),
        {f"payout-{call_off.pk}-paid_on": today},
    )
    call_off.refresh_from_db()
    assert call_off.status == "requested"
    paula.post(
        reverse("grants:release_payout", args=[approved.pk, call_off.pk]),
        {f"payout-{call_off.pk}-paid_on": today},
    )
    row = BudgetLedger.objects.get(municipality=approved.municipality)
    assert (row.reserved, row.paid) == (Decimal("0.00"), Decimal("3000.00"))

    # Karl reports: the workshop cost 300 € less, the consultancy as planned.
    fees, workshop = approved.cost_lines.all()
    karl.post(
        reverse("grants:report", args=[approved.pk]),
        {
            "narrative": "Das Nutzungskonzept liegt vor.",
            "own_funds": "1.000,00",
            "other_funding": "0,00",
            f"spent_{fees.pk}": "3.500,00",
            f"spent_{workshop.pk}": "200,00",
            "receipt-TOTAL_FORMS": "2",
            "receipt-INITIAL_FORMS": "0",
            "receipt-0-cost_line": str(fees.pk),
            "receipt-0-paid_on": today,
            "receipt-0-payee": "Büro Weitblick",
            "receipt-0-purpose": "Beratung",
            "receipt-0-amount": "3.500,00",
            "receipt-1-cost_line": str(workshop.pk),
            "receipt-1-paid_on": today,
            "receipt-1-payee": "Gasthof Linde",
            "receipt-1-purpose": "Saalmiete",
            "receipt-1-amount": "200,00",
            "submit": "",
        },
    )
    approved.refresh_from_db()
    assert approved.state == State.REPORT_SUBMITTED

    # Paula accepts: 2.700 € used of 3.000 € paid, 300 € to be repaid.
    paula.post(
        reverse("grants:step", args=[approved.pk, "accept_report"]),
        {"accept-note": "Belege geprüft."},
    )
    approved.refresh_from_db()
    assert approved.state == State.REPAYMENT_DUE
    assert "Ausgezahlt, aber nicht verwendet" in text(paula.get(detail))

    # Paula proposes the partial revocation, Bernd decides it.
    paula.post(
        reverse("grants:propose_revocation", args=[approved.pk]),
        {
            "revoke-scope": "partial",
            "revoke-amount": "300,00",
            "revoke-legal_basis": "49_3_1",
            "revoke-reasons": "300 € wurden nicht verwendet.",
            "revoke-due_on": (timezone.localdate().replace(year=2100)).isoformat(),
        },
    )
    reclaim = Reclaim.objects.get()
    paula.post(reverse("grants:decide_revocation", args=[approved.pk, reclaim.pk]))
    reclaim.refresh_from_db()
    assert reclaim.status == "proposed"
    bernd.post(reverse("grants:decide_revocation", args=[approved.pk, reclaim.pk]))
    approved.refresh_from_db()
    assert approved.state == State.RECLAIM

    # The money comes back the same day: no interest; the case is closed.
    bernd.post(
        reverse("grants:record_repayment", args=[approved.pk, reclaim.pk]),
        {"repaid-repaid_on": today},
    )
    approved.refresh_from_db()
    assert approved.state == State.CLOSED
    row.refresh_from_db()
    assert (row.paid, row.released, row.available) == (
        Decimal("3000.00"),
        Decimal("300.00"),
        Decimal("2300.00"),
    )

    # Karl reads the letters.
    letter = karl.get(reverse("grants:decision_letter", args=[approved.pk]))
    assert "3.000,00 €" in PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    notice = karl.get(reverse("grants:reclaim_notice", args=[approved.pk, reclaim.pk]))
    assert "300,00 €" in PdfReader(io.BytesIO(notice.content)).pages[0].extract_text()
    html = text(karl.get(detail))
    assert "Abgeschlossen" in html
    assert "Rückzahlung eingegangen, Vorgang abgeschlossen" in html
