"""The GV100AD importer, on sample files written in the Destatis record layout."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import District, Municipality, State

STAND = "20251231"


def record(record_type: str, key: str, name: str, **fields) -> str:
    """One GV100AD line: 0-based columns as in Destatis' record description."""
    line = [" "] * 220

    def put(start: int, value: str) -> None:
        line[start : start + len(value)] = value

    put(0, record_type)
    put(2, STAND)
    put(10, key)
    put(18, fields.get("association", ""))
    put(22, name.ljust(50))
    put(72, fields.get("seat", ""))
    put(122, fields.get("kind", ""))
    if record_type == "60":
        put(128, str(fields.get("hectares", "")).rjust(11))
        put(139, str(fields.get("population", "")).rjust(11))
        put(150, str(fields.get("male", "")).rjust(11))
        put(165, fields.get("postal_code", ""))
    return "".join(line).rstrip()


def sample_lines(flensburg_population: int = 92550) -> list[str]:
    return [
        record("10", "01", "Schleswig-Holstein", seat="Kiel"),
        record("40", "01001", "Flensburg, Stadt", kind="41"),
        record(
            "60",
            "01001000",
            "Flensburg, Stadt",
            kind="61",
            hectares=5673,
            population=flensburg_population,
            male=45000,
            postal_code="24937",
        ),
        record("10", "09", "Bayern", seat="München"),
        record("20", "091", "Oberbayern"),
        record("40", "09187", "Rosenheim", kind="44"),
        record("50", "09187", "Bad Aibling, St", association="5111"),
        record(
            "60",
            "09187117",
            "Bad Aibling, St",
            association="5111",
            kind="63",
            hectares=4147,
            population=19400,
            male=9300,
            postal_code="83043",
        ),
        record(
            "60",
            "09187125",
            "Bad Feilnbach",
            association="5125",
            kind="64",
            hectares=5430,
            population=8200,
            male=4000,
            postal_code="83075",
        ),
        record("60", "09187451", "Unbewohntes Forstgebiet", kind="66", hectares=800),
    ]


def write(tmp_path, lines, encoding="utf-8"):
    path = tmp_path / "GV100AD_31122025.txt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_import_creates_municipalities_with_their_districts(db, tmp_path):
    call_command("import_gv100ad", write(tmp_path, sample_lines()))

    flensburg = Municipality.objects.get(ags="01001000")
    assert flensburg.name == "Flensburg, Stadt"
    assert flensburg.kind == "Kreisfreie Stadt"
    assert flensburg.population == 92550
    assert flensburg.area_km2 == Decimal("56.73")
    assert flensburg.postal_code == "24937"
    assert flensburg.district_id == "01001"
    assert str(flensburg.data_date) == "2025-12-31"
    aibling = Municipality.objects.get(ags="09187117")
    assert aibling.kind == "Stadt"
    assert aibling.district.name == "Rosenheim"
    assert aibling.district.kind == "Landkreis"
    assert State.objects.get(key="09").name == "Bayern"


def test_uninhabited_areas_are_not_imported(db, tmp_path):
    call_command("import_gv100ad", write(tmp_path, sample_lines()))
    assert not Municipality.objects.filter(ags="09187451").exists()
    assert Municipality.objects.count() == 3


def test_import_keeps_the_shipped_district_population(db, tmp_path):
    call_command("import_gv100ad", write(tmp_path, sample_lines()))
    assert District.objects.get(key="09187").population == 260983


def test_importing_twice_updates_instead_of_duplicating(db, tmp_path):
    call_command("import_gv100ad", write(tmp_path, sample_lines()))
    call_command(
        "import_gv100ad", write(tmp_path, sample_lines(flensburg_population=93000))
    )
    assert Municipality.objects.count() == 3
    assert Municipality.objects.get(ags="01001000").population == 93000


def test_latin1_files_are_read_with_their_umlauts(db, tmp_path):
    lines = sample_lines()
    lines.append(
        record("60", "09187130", "Brannenburg-Übersee", kind="64", population=6000)
    )
    call_command("import_gv100ad", write(tmp_path, lines, encoding="latin-1"))
    assert Municipality.objects.get(ags="09187130").name == "Brannenburg-Übersee"


def test_dry_run_writes_nothing(db, tmp_path, capsys):
    call_command("import_gv100ad", write(tmp_path, sample_lines()), "--dry-run")
    assert not Municipality.objects.exists()
    assert "3 municipalities would be imported" in capsys.readouterr().out


def test_malformed_line_is_reported_with_its_number_and_nothing_imported(db, tmp_path):
    lines = sample_lines()
    lines[2] = lines[2][:139] + "zweitausend" + lines[2][150:]
    with pytest.raises(CommandError, match="line 3: population 'zweitausend'"):
        call_command("import_gv100ad", write(tmp_path, lines))
    assert not Municipality.objects.exists()


def test_invalid_ags_is_refused(db, tmp_path):
    lines = [*sample_lines(), record("60", "00000001", "Nirgendwo", kind="64")]
    with pytest.raises(CommandError, match="invalid AGS '00000001'"):
        call_command("import_gv100ad", write(tmp_path, lines))
    assert not Municipality.objects.exists()


def test_municipality_in_unknown_district_is_refused(db, tmp_path):
    lines = [*sample_lines(), record("60", "09999001", "Phantasia", kind="64")]
    with pytest.raises(CommandError, match="unknown Kreise"):
        call_command("import_gv100ad", write(tmp_path, lines))
    assert not Municipality.objects.exists()
