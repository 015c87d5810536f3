"""Call-offs and payouts through the real pages: the municipality calls off,
a staff member other than the approver releases, and every refusal says why
in German and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from grants.actions import payouts
from grants.models import BudgetLedger, CallOff, CallOffStatus


def page(response) -> str:
    return response.content.decode()


def detail(application) -> str:
    return reverse("grants:detail", args=[application.pk])


def call_off(client, application, **data):
    values = {
        "amount": "1.000,00",
        "reason": "Erste Rate Beratungsbüro",
        "needed_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        **data,
    }
    return client.post(
        reverse("grants:call_off", args=[application.pk]), values, follow=True
    )


def test_the_municipality_calls_off_money_on_the_application_page(
    client, clerk, approved
):
    client.force_login(clerk)
    html = page(client.get(detail(approved)))
    assert "Mittel abrufen" in html
    assert "3.000,00 €" in html

    html = page(call_off(client, approved))
    assert "Der Mittelabruf wurde an die Geschäftsstelle gesendet." in html
    assert "wartet auf Auszahlung" in html
    assert CallOff.objects.get().amount == Decimal("1000.00")


def test_a_call_off_far_ahead_is_accepted_with_a_warning(client, clerk, approved):
    client.force_login(clerk)
    needed = timezone.localdate() + timedelta(days=90)
    html = page(call_off(client, approved, needed_on=needed.isoformat()))
    assert "mehr als zwei Monate nach heute" in html
    assert formats.date_format(needed, "SHORT_DATE_FORMAT") in html


def test_a_call_off_above_what_is_left_is_refused_on_the_page(client, clerk, approved):
    client.force_login(clerk)
    response = call_off(client, approved, amount="3.000,01")
    assert response.status_code == 400
    assert "Höchstens 3.000,00 € können noch abgerufen werden" in page(response)
    assert not CallOff.objects.exists()


def test_a_call_off_without_a_date_is_refused_with_the_field_named(
    client, clerk, approved
):
    client.force_login(clerk)
    response = call_off(client, approved, needed_on="")
    assert response.status_code == 400
    assert "Bitte geben Sie an, wann das Geld benötigt wird." in page(response)


def test_a_member_of_another_municipality_cannot_call_off(
    client, approved, make_verified, make_municipality
):
    client.force_login(make_verified(make_municipality("09187118", "Abach", 900)))
    response = call_off(client, approved)
    assert response.status_code == 403
    assert "gehört zu einer anderen Kommune" in page(response)
    assert not CallOff.objects.exists()


def test_the_approver_sees_why_someone_else_releases_the_payout(
    client, clerk, approver, approved
):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    client.force_login(approver)
    html = page(client.get(detail(approved)))
    assert "Eine andere Person gibt die Auszahlungen frei" in html
    assert "Auszahlung von 1.000,00 € freigeben" not in html
    response = client.post(
        reverse("grants:release_payout", args=[approved.pk, made.pk]),
        {f"payout-{made.pk}-paid_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Funktionstrennung" in page(response)
    made.refresh_from_db()
    assert made.status == CallOffStatus.REQUESTED


def test_another_staff_member_releases_the_payout_and_the_ledger_shows_it_paid(
    client, clerk, assessor, approved, django_assert_max_num_queries
):
    """And the page's queries stay the same however many call-offs there are."""
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    client.force_login(assessor)
    assert "Auszahlung von 1.000,00 € freigeben" in page(client.get(detail(approved)))
    response = client.post(
        reverse("grants:release_payout", args=[approved.pk, made.pk]),
        {f"payout-{made.pk}-paid_on": timezone.localdate().isoformat()},
        follow=True,
    )
    html = page(response)
    assert "Auszahlung freigegeben" in html
    assert "Ausgezahlt" in html
    row = BudgetLedger.objects.get(municipality=approved.municipality)
    assert (row.reserved, row.paid) == (Decimal("2000.00"), Decimal("1000.00"))
    with django_assert_max_num_queries(40) as before:
        client.get(detail(approved))
    queries_for_one = len(before.captured_queries)  # the next request resets the log
    for _ in range(3):
        payouts.request_call_off(
            clerk,
            approved,
            amount=Decimal("100.00"),
            reason="Rate",
            needed_on=timezone.localdate(),
        )
    client.get(detail(approved))  # the header's unread count, renewed by the news
    with django_assert_max_num_queries(queries_for_one):
        client.get(detail(approved))


def test_staff_refuse_a_call_off_with_a_reason(client, clerk, assessor, approved):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate() + timedelta(days=80),
    )
    client.force_login(assessor)
    response = client.post(
        reverse("grants:refuse_call_off", args=[approved.pk, made.pk]),
        {f"refuse-{made.pk}-reason": "Bitte erst im Frühjahr abrufen."},
        follow=True,
    )
    assert "Bitte erst im Frühjahr abrufen." in page(response)
    made.refresh_from_db()
    assert made.status == CallOffStatus.REFUSED


@pytest.mark.parametrize("name", ["release_payout", "refuse_call_off"])
def test_members_cannot_release_or_refuse(client, clerk, approved, name):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("1000.00"),
        reason="Rate",
        needed_on=timezone.localdate(),
    )
    client.force_login(clerk)
    response = client.post(reverse(f"grants:{name}", args=[approved.pk, made.pk]), {})
    assert response.status_code == 403
    made.refresh_from_db()
    assert made.status == CallOffStatus.REQUESTED
