"""The funder's dashboard against a known data set, its CSV exports, the
staff-only rule, and the public open-data list of approved grants."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import StructuralWeaknessRecord
from grants import statistics
from grants.actions import payouts, workflow
from grants.actions.drafts import create_draft
from grants.models import Application, Vote
from tests.grants.conftest import complete_content, submit

DASHBOARD = "/foerderung/verwaltung/zahlen/"


def _through_assessment(application, signatory, assessor):
    submit(application, signatory)
    workflow.start_check(assessor, application)
    workflow.pass_check(assessor, application)
    return workflow.assess(assessor, application, vote=Vote.APPROVE, reasons="Gut.")


@pytest.fixture
def known(
    programme, approved, clerk, assessor, approver, make_municipality, make_verified
):
    """Musterau (Land 09, 4.200 inhabitants): 3.000 € approved and paid.
    Templin (Land 12, 15.000 inhabitants, structurally weak): 2.000 € approved
    and not paid, its report overdue; a second application rejected."""
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("3000.00"),
        reason="Gesamtbetrag",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    templin = make_municipality("12073572", "Templin", 15000)
    StructuralWeaknessRecord.objects.create(
        district=templin.district,
        programme="GRW",
        status="GRW-Fördergebiet",
        valid_from=date(2022, 1, 1),
        source="Koordinierungsrahmen der GRW",
    )
    mayor = make_verified(templin, name="Anja Schulz")
    today = timezone.localdate()
    first, second = (
        create_draft(
            mayor,
            programme,
            key=uuid.uuid4().hex,
            content=complete_content(
                mayor,
                today,
                requested_amount=Decimal(amount),
                own_funds=Decimal("4000.00") - Decimal(amount),
            ),
        )[0]
        for amount in ("2000.00", "1000.00")
    )
    _through_assessment(first, mayor, assessor)
    workflow.approve(approver, first, amount=Decimal("2000.00"), reasons="Ja.")
    _through_assessment(second, mayor, assessor)
    workflow.reject(approver, second, reasons="Nicht förderfähig.")
    Application.objects.filter(pk=first.pk).update(
        starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 1)
    )
    return {"musterau": approved, "templin": first, "rejected": second}


def test_the_figures_of_a_known_data_set(known, programme):
    figures = statistics.figures(programme, today=timezone.localdate())

    budget = figures.budget
    assert (budget.cap, budget.reserved, budget.paid, budget.released) == (
        Decimal("100000.00"),
        Decimal("2000.00"),
        Decimal("3000.00"),
        Decimal("0.00"),
    )
    assert budget.available == Decimal("95000.00")
    lands = {g.key: (g.submitted, g.approved, g.money) for g in figures.by_land}
    assert lands == {
        "09": (1, 1, Decimal("3000.00")),
        "12": (2, 1, Decimal("2000.00")),
    }
    purposes = {g.key: (g.submitted, g.money) for g in figures.by_purpose}
    assert purposes == {
        "consultancy": (3, Decimal("5000.00")),
        "networking": (0, Decimal("0.00")),
    }
    sizes = {g.key: (g.submitted, g.approved, g.money) for g in figures.by_size}
    assert sizes["small"] == (1, 1, Decimal("3000.00"))
    assert sizes["medium"] == (2, 1, Decimal("2000.00"))
    assert sizes["large"] == (0, 0, Decimal("0.00"))
    assert figures.weak_money_share == Decimal("40.0")
    assert figures.weak_application_share == Decimal("66.7")
    decision, payout = figures.times
    assert (decision.count, payout.count) == (3, 1)
    assert decision.median_days is not None and decision.median_days >= 0
    assert [a.pk for a in figures.overdue] == [known["templin"].pk]
    tiles = {t["key"]: t for t in figures.tiles}
    assert len(tiles) == 16
    assert tiles["09"]["fill"] == statistics.TILE_COLOURS[4]
    assert tiles["01"]["fill"] == statistics.TILE_COLOURS[0]


def test_staff_see_charts_and_tables_with_the_same_numbers(
    client, known, assessor, django_assert_max_num_queries
):
    client.force_login(assessor)
    with django_assert_max_num_queries(12):
        response = client.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("<svg") == 4  # the charts (the header has an icon too)
    assert "3.000,00 €" in html and "2.000,00 €" in html
    assert "95.000,00 €" in html
    assert "40,0 % des Geldes" in html
    assert "MF-" in html  # the overdue report links its case


def test_members_cannot_open_the_dashboard(client, known, clerk):
    client.force_login(clerk)
    response = client.get(DASHBOARD)
    assert response.status_code == 403
    assert "Nur die Geschäftsstelle" in response.content.decode()
    assert client.get(DASHBOARD + "?csv=laender").status_code == 403


@pytest.mark.parametrize(
    "table",
    [
        "budget",
        "laender",
        "zwecke",
        "groessen",
        "strukturschwach",
        "bearbeitungszeiten",
        "ueberfaellig",
    ],
)
def test_every_table_exports_as_csv(client, known, assessor, programme, table):
    client.force_login(assessor)
    response = client.get(f"{DASHBOARD}?jahr={programme.year}&csv={table}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) >= 2


def test_the_land_csv_holds_the_figures(client, known, assessor):
    client.force_login(assessor)
    rows = list(
        csv.reader(io.StringIO(client.get(DASHBOARD + "?csv=laender").content.decode()))
    )
    assert rows[1:] == [
        ["Bayern", "1", "1", "3000.00"],
        ["Brandenburg", "2", "1", "2000.00"],
    ]


def test_the_public_list_of_approved_grants_and_its_open_data_csv(client, known):
    html = client.get(reverse("grants:approved_grants")).content.decode()
    assert "Musterau" in html and "Templin" in html
    assert "3.000,00 €" in html
    response = client.get(reverse("grants:approved_grants") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 3  # header, two approved grants; the rejected one is not listed
    assert [row[1] for row in rows[1:]] == ["Musterau", "Templin"]
