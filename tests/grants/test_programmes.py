"""Staff keep the programme in the admin; the ledger follows its caps."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditLogEntry
from grants.models import BudgetLedger, Programme

ADD = "/verwaltung/admin/grants/programme/add/"


@pytest.fixture
def admin_client(client, make_member):
    boss = make_member(
        name="Admina",
        email="admin@zukunftsraum.example",
        is_staff=True,
        is_superuser=True,
        municipality=None,
    )
    client.force_login(boss)
    return client


def admin_form(programme: Programme | None = None, **overrides) -> dict:
    data = {
        "title": "Mikroförderung 2030",
        "year": "2030",
        "call_text": "",
        "budget": "250000.00",
        "cap_per_municipality": "5000.00",
        "minimum_amount": "500.00",
        "opens_on": "2030-01-01",
        "closes_on": "2030-10-31",
        "allows_consultancy": "on",
        "allows_networking": "on",
        "partner_split": "lead",
        "anbest_variant": "ANBest-Gk",
        "payout_mode": "advance",
        "weight_structurally_weak": "30",
        "weight_first_application": "10",
        "weight_small": "5",
        "weight_medium": "2",
        "weight_weak_partner": "5",
    }
    if programme is not None:
        data.update(
            title=programme.title,
            year=str(programme.year),
            opens_on=programme.opens_on.isoformat(),
            closes_on=programme.closes_on.isoformat(),
            budget=str(programme.budget),
        )
    data.update(overrides)
    return data


def test_staff_create_a_programme_with_its_pot(admin_client):
    response = admin_client.post(ADD, admin_form())
    assert response.status_code == 302
    programme = Programme.objects.get(year=2030)
    assert programme.cap_per_municipality == Decimal("5000.00")
    assert programme.anbest_variant == "ANBest-Gk"
    pot = BudgetLedger.objects.get(programme=programme, municipality__isnull=True)
    assert pot.cap == Decimal("250000.00")
    entry = AuditLogEntry.objects.get(action="grants.programme.created")
    assert entry.data["budget"][1] == "250000.00"


def test_a_programme_defaults_to_5000_per_municipality_and_anbest_gk():
    programme = Programme(
        title="x",
        year=2031,
        budget=Decimal("1"),
        opens_on=date(2031, 1, 1),
        closes_on=date(2031, 1, 2),
    )
    assert programme.cap_per_municipality == Decimal("5000.00")
    assert programme.anbest_variant == "ANBest-Gk"
    assert programme.partner_split == "lead"


def test_raising_the_cap_moves_every_ledger_row(admin_client, approved, programme):
    url = f"/verwaltung/admin/grants/programme/{programme.pk}/change/"
    response = admin_client.post(
        url, admin_form(programme, cap_per_municipality="6000.00")
    )
    assert response.status_code == 302
    row = BudgetLedger.objects.get(municipality=approved.municipality)
    assert row.cap == Decimal("6000.00")
    entry = AuditLogEntry.objects.get(action="grants.programme.changed")
    assert entry.data == {"cap_per_municipality": ["5000.00", "6000.00"]}


def test_a_cap_below_what_is_committed_is_refused(admin_client, approved, programme):
    url = f"/verwaltung/admin/grants/programme/{programme.pk}/change/"
    response = admin_client.post(
        url, admin_form(programme, cap_per_municipality="2999.99", minimum_amount="500")
    )
    assert response.status_code == 200
    assert (
        "Für eine Kommune sind in diesem Programm bereits 3.000,00 € gebunden."
        in response.content.decode()
    )
    programme.refresh_from_db()
    assert programme.cap_per_municipality == Decimal("5000.00")
    assert not AuditLogEntry.objects.filter(action="grants.programme.changed").exists()


def test_a_budget_below_what_is_committed_is_refused(admin_client, approved, programme):
    url = f"/verwaltung/admin/grants/programme/{programme.pk}/change/"
    response = admin_client.post(
        url,
        admin_form(programme, budget="2999.99", cap_per_municipality="2000.00"),
    )
    assert "Vom Budget sind bereits 3.000,00 € gebunden." in response.content.decode()


def test_applications_and_the_ledger_are_read_only_in_the_admin(admin_client, approved):
    url = f"/verwaltung/admin/grants/application/{approved.pk}/change/"
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"title": "Umbenannt"})
    approved.refresh_from_db()
    assert approved.title != "Umbenannt"
    assert (
        admin_client.get("/verwaltung/admin/grants/budgetledger/add/").status_code
        == 403
    )
