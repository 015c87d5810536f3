"""The demo micro-grants: a programme of this year and applications in several
states, made through the real actions, created once."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditLogEntry
from demo.grants import APPLICATIONS, GRANT_MEMBERS
from grants.models import Application, BudgetLedger, Programme, State


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.DEBUG = True
    settings.GRANTS_FILES_ROOT = tmp_path / "private"
    call_command("seed_demo")


def test_the_demo_has_a_programme_of_this_year_and_every_kind_of_application(
    seeded, client
):
    programme = Programme.objects.get()
    assert programme.year == timezone.localdate().year
    assert programme.is_open(timezone.localdate())
    assert set(Application.objects.values_list("state", flat=True)) == {
        State.DRAFT,
        State.QUERY,
        State.ASSESSED,
        State.APPROVED,
        State.PAID_OUT,
        State.REJECTED,
    }
    templin = BudgetLedger.objects.get(municipality_id="12073572")
    assert templin.available == Decimal("750.00")
    assert (
        AuditLogEntry.objects.filter(action="grants.application.approved").count() == 2
    )

    client.post(
        "/konto/login/",
        {"login": GRANT_MEMBERS[1][1], "password": "zukunftsraum-mitglied"},
    )
    html = client.get("/foerderung/").content.decode()
    assert f"Noch verfügbar {programme.year}: 750,00 €" in html


def test_seeding_twice_creates_nothing_new(seeded):
    call_command("seed_demo")
    assert Application.objects.count() == len(APPLICATIONS)
    assert Programme.objects.count() == 1
