"""The usage report through the real pages: written and submitted by the
municipality, deviations shown before submitting and to staff, checked by the
Geschäftsstelle; refusals in German with nothing changed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.actions import payouts
from grants.models import BudgetLedger, State, UsageReport


def page(response) -> str:
    return response.content.decode()


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


def report_data(application, consultancy="3.500,00", events="500,00", **extra):
    fees, workshop = application.cost_lines.all()
    today = timezone.localdate().isoformat()
    data = {
        "narrative": "Ein Nutzungskonzept liegt vor.",
        "own_funds": "1.000,00",
        "other_funding": "0,00",
        f"spent_{fees.pk}": consultancy,
        f"spent_{workshop.pk}": events,
        "receipt-TOTAL_FORMS": "3",
        "receipt-INITIAL_FORMS": "0",
        "receipt-0-cost_line": str(fees.pk),
        "receipt-0-paid_on": today,
        "receipt-0-payee": "Büro Weitblick",
        "receipt-0-purpose": "Beratung",
        "receipt-0-amount": consultancy,
        "receipt-1-cost_line": str(workshop.pk),
        "receipt-1-paid_on": today,
        "receipt-1-payee": "Gasthof Linde",
        "receipt-1-purpose": "Saalmiete",
        "receipt-1-amount": events,
    }
    data.update(extra)
    return data


def url(application) -> str:
    return reverse("grants:report", args=[application.pk])


def test_the_municipality_writes_saves_and_submits_its_report(client, clerk, paid_out):
    client.force_login(clerk)
    html = page(client.get(reverse("grants:detail", args=[paid_out.pk])))
    assert "Verwendungsnachweis schreiben" in html
    assert "Sachbericht" in page(client.get(url(paid_out)))

    response = client.post(url(paid_out), report_data(paid_out), follow=True)
    assert "Der Verwendungsnachweis wurde gespeichert." in page(response)
    response = client.post(
        url(paid_out), {**report_data(paid_out), "submit": ""}, follow=True
    )
    assert "Der Verwendungsnachweis wurde eingereicht." in page(response)
    paid_out.refresh_from_db()
    assert paid_out.state == State.REPORT_SUBMITTED
    assert UsageReport.objects.get().receipts.count() == 2


def test_a_deviation_above_20_percent_is_shown_before_submitting(
    client, clerk, paid_out
):
    client.force_login(clerk)
    client.post(url(paid_out), report_data(paid_out, consultancy="4.300,00"))
    html = page(client.get(url(paid_out)))
    assert "Abweichung: mehr als 20 % über dem Plan" in html


def test_figures_that_do_not_add_up_are_refused_on_the_page(client, clerk, paid_out):
    client.force_login(clerk)
    data = report_data(paid_out, **{"receipt-0-amount": "3.000,00", "submit": ""})
    response = client.post(url(paid_out), data)
    assert response.status_code == 400
    assert "Die Belege ergeben 3.000,00 €, im Nachweis stehen 3.500,00 €." in page(
        response
    )
    paid_out.refresh_from_db()
    assert paid_out.state == State.PAID_OUT


def test_an_incomplete_receipt_is_refused_with_the_field_named(client, clerk, paid_out):
    client.force_login(clerk)
    data = report_data(paid_out, **{"receipt-1-payee": ""})
    response = client.post(url(paid_out), data)
    assert response.status_code == 400
    assert "Bitte füllen Sie dieses Feld des Belegs aus." in page(response)
    assert not UsageReport.objects.exists()


def test_another_municipality_cannot_open_the_report(
    client, paid_out, make_verified, make_municipality
):
    client.force_login(make_verified(make_municipality("09187118", "Abach", 900)))
    assert client.get(url(paid_out)).status_code == 403


def test_staff_see_the_flags_and_accept_the_report(
    client, clerk, assessor, paid_out, django_assert_max_num_queries
):
    client.force_login(clerk)
    client.post(
        url(paid_out),
        {**report_data(paid_out, consultancy="3.000,00"), "submit": ""},
    )
    client.force_login(assessor)
    detail = reverse("grants:detail", args=[paid_out.pk])
    with django_assert_max_num_queries(40):
        html = page(client.get(detail))
    assert "Verwendungsnachweis anerkennen" in html
    assert "Belegliste" in html
    response = client.post(
        reverse("grants:step", args=[paid_out.pk, "accept_report"]),
        {"accept-note": "Geprüft, in Ordnung."},
        follow=True,
    )
    html = page(response)
    assert "Nachweis anerkannt, Rückzahlung fällig" in html
    assert "500,00 €" in html
    budget = BudgetLedger.objects.get(municipality=paid_out.municipality)
    assert budget.paid == Decimal("3000.00")


def test_staff_ask_for_a_sample_of_receipts(client, clerk, assessor, paid_out):
    client.force_login(clerk)
    client.post(url(paid_out), {**report_data(paid_out), "submit": ""})
    client.force_login(assessor)
    deadline = (timezone.localdate() + timedelta(days=14)).isoformat()
    client.post(
        reverse("grants:step", args=[paid_out.pk, "query_report"]),
        {
            "report_query-question": "Bitte die Rechnung des Büros als Kopie.",
            "report_query-deadline": deadline,
            "report_query-sample": "on",
        },
    )
    paid_out.refresh_from_db()
    assert paid_out.state == State.REPORT_QUERY
    client.force_login(clerk)
    html = page(client.get(url(paid_out)))
    assert "Bitte die Rechnung des Büros als Kopie." in html
