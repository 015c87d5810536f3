"""The Länder and Kreise shipped with the platform (accounts/data/districts.json)."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "districts.json"


def read_reference_data(path: Path = DISTRICTS_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_reference_data(state_model=None, district_model=None) -> tuple[int, int]:
    """Insert or update every Land and Kreis from the data file; idempotent.

    Migrations pass their historical models; everyone else gets the current ones.
    Returns the number of states and districts in the file.
    """
    if state_model is None or district_model is None:
        from accounts.models import District, State

        state_model, district_model = State, District
    data = read_reference_data()
    data_date = date.fromisoformat(data["meta"]["data_date"])
    for row in data["states"]:
        state_model.objects.update_or_create(
            key=row["key"], defaults={"name": row["name"]}
        )
    for row in data["districts"]:
        district_model.objects.update_or_create(
            key=row["key"],
            defaults={
                "state_id": row["key"][:2],
                "name": row["name"],
                "kind": row["kind"],
                "population": row["population"],
                "area_km2": row["area_km2"],
                "data_date": data_date,
            },
        )
    return len(data["states"]), len(data["districts"])
