from datetime import date

import pytest

from accounts.models import District, StructuralWeaknessRecord
from accounts.queries import is_structurally_weak, resolve_area, search_areas


@pytest.fixture
def aibling(make_municipality):
    return make_municipality(ags="09187117", name="Bad Aibling", population=19400)


def test_search_by_name_finds_municipalities_and_districts(db, aibling):
    matches = search_areas("rosen")
    kinds = {(m.kind, m.key) for m in matches}
    assert ("district", "09187") in kinds
    assert ("district", "09163") in kinds  # Rosenheim, Stadt


def test_search_puts_names_starting_with_the_query_first(
    db, aibling, make_municipality
):
    make_municipality(ags="09187118", name="Abad", population=100)
    names = [m.name for m in search_areas("bad")]
    assert names.index("Bad Aibling") < names.index("Abad")


def test_search_by_key_prefix(db, aibling):
    matches = search_areas("0918711")
    assert [m.key for m in matches] == ["09187117"]
    assert matches[0].label == "Bad Aibling (Landkreis Rosenheim, Bayern) – 09187117"


def test_resolve_accepts_ags_district_key_and_label(db, aibling):
    assert resolve_area("09187117") == aibling
    assert resolve_area("09187") == District.objects.get(key="09187")
    assert resolve_area(search_areas("Bad Aibling")[0].label) == aibling
    assert resolve_area("bad aibling") == aibling


def test_resolve_refuses_unknown_and_ambiguous_names(db, aibling):
    assert resolve_area("Atlantis") is None
    assert resolve_area("99999999") is None
    # "Rosenheim" is both a Landkreis and a kreisfreie Stadt.
    assert resolve_area("Rosenheim") is None


def record(**fields):
    fields.setdefault("programme", "GRW-Fördergebiete 2022–2027")
    fields.setdefault("status", "C-Fördergebiet")
    fields.setdefault("source", "BMWK, Fördergebietskarte")
    return StructuralWeaknessRecord.objects.create(**fields)


def test_structural_weakness_follows_the_dated_district_record(db, aibling):
    record(
        district=aibling.district,
        valid_from=date(2022, 1, 1),
        valid_until=date(2027, 12, 31),
    )
    assert is_structurally_weak(aibling, on=date(2022, 1, 1))
    assert is_structurally_weak(aibling, on=date(2027, 12, 31))
    assert not is_structurally_weak(aibling, on=date(2021, 12, 31))
    assert not is_structurally_weak(aibling, on=date(2028, 1, 1))
    assert is_structurally_weak(aibling.district, on=date(2025, 6, 1))


def test_municipality_record_overrides_its_district(db, aibling):
    record(district=aibling.district, valid_from=date(2022, 1, 1))
    record(
        municipality=aibling,
        valid_from=date(2024, 1, 1),
        is_structurally_weak=False,
        status="kein Fördergebiet",
    )
    assert not is_structurally_weak(aibling, on=date(2025, 1, 1))
    assert is_structurally_weak(aibling, on=date(2023, 1, 1))


def test_no_record_means_not_structurally_weak(db, aibling):
    assert not is_structurally_weak(aibling)
