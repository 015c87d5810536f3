"""Accepted usage reports become Praxisbeispiele with the municipality's
consent, tagged with topic, size class and region, and can be searched."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.actions import payouts
from grants.actions import reports as report_actions
from grants.actions.reports import ReceiptData, ReportContent
from grants.models import Application, PracticeExample

PAGE = "/foerderung/praxisbeispiele/"


def accept(application, clerk, assessor) -> None:
    made = payouts.request_call_off(
        clerk,
        application,
        amount=Decimal("3000.00"),
        reason="Gesamtbetrag",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    fees, workshop = application.cost_lines.all()
    today = timezone.localdate()
    report_actions.save_report(
        clerk,
        application,
        content=ReportContent(
            narrative="Der Dorfgasthof wird ein Treffpunkt mit Mittagstisch.",
            own_funds=Decimal("1000.00"),
            other_funding=Decimal("0.00"),
            spent={fees.pk: Decimal("3500.00"), workshop.pk: Decimal("500.00")},
            receipts=[
                ReceiptData(fees.pk, today, "Büro", "Beratung", Decimal("3500.00")),
                ReceiptData(workshop.pk, today, "Linde", "Saal", Decimal("500.00")),
            ],
        ),
    )
    report_actions.submit_report(clerk, application)
    report_actions.accept_report(assessor, application)


def test_an_accepted_report_becomes_a_tagged_practice_example(
    approved, clerk, assessor
):
    accept(approved, clerk, assessor)
    example = PracticeExample.objects.get()
    assert example.title == approved.title
    assert "Mittagstisch" in example.narrative
    assert (example.topic, example.size_class, example.land_id) == (
        "local-services",
        "small",
        "09",
    )
    assert example.municipality_name == "Musterau"


def test_without_consent_nothing_is_published(approved, clerk, assessor):
    Application.objects.filter(pk=approved.pk).update(consents_to_publication=False)
    approved.refresh_from_db()
    accept(approved, clerk, assessor)
    assert not PracticeExample.objects.exists()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", True),
        ("?q=Mittagstisch", True),
        ("?q=Hafen", False),
        ("?groesse=small&land=09", True),
        ("?groesse=city", False),
        ("?thema=local-services", True),
        ("?thema=mobility", False),
    ],
)
def test_members_search_the_practice_examples(
    client, approved, clerk, assessor, make_member, query, found
):
    accept(approved, clerk, assessor)
    client.force_login(make_member())
    html = client.get(PAGE + query).content.decode()
    assert ("Mittagstisch" in html) is found


def test_the_page_needs_a_signed_in_member(client):
    response = client.get(reverse("grants:practice_examples"))
    assert response.status_code == 302


def test_practice_examples_are_found_in_the_wissenssammlung_beside_the_articles(
    client, approved, clerk, assessor, make_member
):
    accept(approved, clerk, assessor)
    example = PracticeExample.objects.get()
    client.force_login(make_member())

    found = client.get("/wissen/", {"q": "Dorfgasthof Mittagstisch"}).content.decode()
    browsed = client.get("/wissen/").content.decode()
    missed = client.get("/wissen/", {"q": "Bürgerbus"}).content.decode()

    link = f"/foerderung/praxisbeispiele/#praxisbeispiel-{example.pk}"
    assert link in found and "Praxisbeispiel" in found
    assert link in browsed
    assert link not in missed
