"""Parser for Destatis' Gemeindeverzeichnis GV100AD (fixed-width text).

Layout (Destatis, "Datensatzbeschreibung GV100AD"; 0-based slices):
  [0:2]   Satzart: 10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis,
          50 Gemeindeverband, 60 Gemeinde
  [2:10]  Gebietsstand, JJJJMMTT
  [10:12] Land  [12:13] Regierungsbezirk  [13:15] Kreis  [15:18] Gemeinde
  [18:22] Gemeindeverband
  [22:72] name
  [72:122] seat of the administration (10, 40, 50)
  [122:124] Textkennzeichen (40 and 60: the kind, see KINDS)
  60 only: [128:139] area in ha, [139:150] population, [150:161] of it male,
           [165:170] postal code
Only Länder, Kreise and Gemeinden are needed here; the other record types are
read and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

DISTRICT_KINDS = {
    "41": "Kreisfreie Stadt",
    "42": "Stadtkreis",
    "43": "Kreis",
    "44": "Landkreis",
    "45": "Regionalverband",
}
MUNICIPALITY_KINDS = {
    "60": "Markt",
    "61": "Kreisfreie Stadt",
    "62": "Stadtkreis",
    "63": "Stadt",
    "64": "Gemeinde",
    "65": "Gemeindefreies Gebiet",
    "66": "Gemeindefreies Gebiet, unbewohnt",
    "67": "Große Kreisstadt",
    "68": "Kreisangehörige Stadt",
}
# Uninhabited unincorporated areas (forests, lakes) have no one to represent them.
UNINHABITED = "66"
LINE_LENGTH = 220
KNOWN_RECORD_TYPES = {"10", "20", "30", "40", "50", "60"}
_DIGITS = re.compile(r"^\d+$")


class GV100ADError(ValueError):
    def __init__(self, line_number: int, message: str) -> None:
        super().__init__(f"line {line_number}: {message}")
        self.line_number = line_number


@dataclass(frozen=True)
class StateRecord:
    key: str
    name: str
    data_date: date


@dataclass(frozen=True)
class DistrictRecord:
    key: str
    name: str
    kind: str
    data_date: date


@dataclass(frozen=True)
class MunicipalityRecord:
    ags: str
    name: str
    kind: str
    area_km2: Decimal | None
    population: int | None
    postal_code: str
    data_date: date


Record = StateRecord | DistrictRecord | MunicipalityRecord


def decode(raw: bytes) -> str:
    """Recent files are UTF-8; older ones ISO-8859-1 (Windows-1252 in practice)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse(lines: Iterable[str]) -> Iterator[Record]:
    """Yield the Länder, Kreise and Gemeinden of a GV100AD file, in file order."""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        record = _parse_line(number, line)
        if record is not None:
            yield record


def _parse_line(number: int, line: str) -> Record | None:
    record_type = line[0:2]
    if record_type not in KNOWN_RECORD_TYPES:
        raise GV100ADError(number, f"unknown record type {record_type!r}")
    if len(line) < 23:
        raise GV100ADError(number, f"too short ({len(line)} characters)")
    # Trailing blanks may have been trimmed; the columns stay where they are.
    line = line.ljust(LINE_LENGTH)
    data_date = _date(number, line[2:10])
    name = line[22:72].strip()
    if not name:
        raise GV100ADError(number, "name is empty")
    if record_type == "10":
        return StateRecord(_key(number, line[10:12]), name, data_date)
    if record_type == "40":
        kind = DISTRICT_KINDS.get(line[122:124].strip(), "")
        return DistrictRecord(_key(number, line[10:15]), name, kind, data_date)
    if record_type == "60":
        kind_code = line[122:124].strip()
        if kind_code == UNINHABITED:
            return None
        return MunicipalityRecord(
            ags=_key(number, line[10:18]),
            name=name,
            kind=MUNICIPALITY_KINDS.get(kind_code, ""),
            area_km2=_area_km2(number, line[128:139]),
            population=_number(number, line[139:150], "population"),
            postal_code=line[165:170].strip(),
            data_date=data_date,
        )
    return None


def _key(number: int, value: str) -> str:
    if not _DIGITS.match(value):
        raise GV100ADError(number, f"key {value!r} is not all digits")
    return value


def _date(number: int, value: str) -> date:
    try:
        return date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise GV100ADError(number, f"bad date {value!r}") from None


def _number(number: int, value: str, what: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not _DIGITS.match(value):
        raise GV100ADError(number, f"{what} {value!r} is not a number")
    return int(value)


def _area_km2(number: int, value: str) -> Decimal | None:
    hectares = _number(number, value, "area")
    return None if hectares is None else Decimal(hectares) / 100
