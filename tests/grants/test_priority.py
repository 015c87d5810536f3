"""The priority score explains itself, from the programme's weights and the
dated structural-weakness records, snapshotted at submission."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import District, StructuralWeaknessRecord
from grants.actions.drafts import confirm_partner, create_draft
from grants.models import Purpose
from grants.priority import explained
from tests.grants.conftest import complete_content, submit


@pytest.fixture
def grw(musterau) -> StructuralWeaknessRecord:
    return StructuralWeaknessRecord.objects.create(
        district=musterau.district,
        programme="GRW",
        status="GRW-Fördergebiet",
        valid_from=date(2022, 1, 1),
        source="Koordinierungsrahmen der GRW",
    )


def lines(application) -> list[tuple[int, str]]:
    with translation.override("de"):
        return explained(application.priority_lines)


def test_weak_first_and_small_each_count_as_a_visible_line(grw, draft, mayor):
    application = submit(draft, mayor)
    assert application.priority_score == 45
    assert lines(application) == [
        (30, "GRW-Fördergebiet"),
        (10, "Erstantrag"),
        (5, "unter 5.000 Einwohnerinnen und Einwohner"),
    ]


def test_weights_are_settings_of_the_programme(
    grw, make_programme, clerk, mayor, today
):
    programme = make_programme(
        weight_structurally_weak=50, weight_first_application=0, weight_small=1
    )
    draft, _ = create_draft(
        clerk, programme, key="w", content=complete_content(mayor, today)
    )
    application = submit(draft, mayor)
    assert application.priority_score == 51
    assert lines(application) == [
        (50, "GRW-Fördergebiet"),
        (1, "unter 5.000 Einwohnerinnen und Einwohner"),
    ]


def test_only_the_first_application_of_a_municipality_gets_the_bonus(make_draft, mayor):
    submit(make_draft(), mayor)
    second = submit(
        make_draft(requested_amount=Decimal("1000.00"), own_funds=Decimal("3000.00")),
        mayor,
    )
    assert "first" not in [line["code"] for line in second.priority_lines]


def test_a_record_that_expired_or_starts_later_does_not_count(musterau, draft, mayor):
    today = draft.starts_on - timedelta(days=30)
    StructuralWeaknessRecord.objects.create(
        district=musterau.district,
        programme="GRW",
        status="GRW-Fördergebiet",
        valid_from=date(2014, 1, 1),
        valid_until=today - timedelta(days=1),
        source="alt",
    )
    StructuralWeaknessRecord.objects.create(
        municipality=musterau,
        programme="Land",
        status="Landesförderkulisse",
        valid_from=today + timedelta(days=1),
        source="neu",
    )
    application = submit(draft, mayor)
    assert "weak" not in [line["code"] for line in application.priority_lines]


def test_the_snapshot_stays_when_the_records_change_later(grw, draft, mayor):
    application = submit(draft, mayor)
    grw.delete()
    application.refresh_from_db()
    assert application.priority_score == 45
    assert lines(application)[0] == (30, "GRW-Fördergebiet")


def test_partners_from_weak_regions_add_their_lines(
    make_municipality, make_verified, programme, clerk, mayor, today
):
    abach = make_municipality("16061001", "Abach", 12000)
    StructuralWeaknessRecord.objects.create(
        district=District.objects.get(key="16061"),
        programme="GRW",
        status="C-Fördergebiet",
        valid_from=date(2022, 1, 1),
        source="GRW",
    )
    draft, _ = create_draft(
        clerk,
        programme,
        key="partner",
        content=complete_content(
            mayor, today, purpose=Purpose.NETWORKING, partners=[abach]
        ),
    )
    confirm_partner(
        make_verified(abach, name="Paul Partner"), draft, draft.partners.get()
    )
    application = submit(draft, mayor)
    assert (
        5,
        "Partnerkommune aus strukturschwacher Region: Abach (C-Fördergebiet)",
    ) in (lines(application))
