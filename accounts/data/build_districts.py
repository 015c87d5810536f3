"""Rebuild districts.json from the npm package `landkreise-deutschland`.

Not used at run time. To refresh the data:

    npm pack landkreise-deutschland@3.0.0 && tar xzf landkreise-deutschland-3.0.0.tgz
    python accounts/data/build_districts.py package/data/districts.json

The package lists every Kreis with its key; some keys are JSON numbers there
(1001 for "01001"), so keys are normalised to 5-character strings here.
"""

import json
import re
import sys
from pathlib import Path

STATES = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}
META = {
    "source": "Statistisches Bundesamt (Destatis), Kreisfreie Städte und Landkreise "
    "nach Fläche, Bevölkerung und Bevölkerungsdichte, via the npm package "
    "landkreise-deutschland 3.0.0 by Alexander Wunschik",
    "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
    "attribution": "Statistisches Bundesamt (Destatis) via landkreise-deutschland "
    "by Alexander Wunschik",
    "data_date": "2018-12-31",
}
DISTRICT_KEY = re.compile(r"^(0[1-9]|1[0-6])\d{3}$")


def build(source: Path) -> dict:
    districts = []
    for row in json.loads(source.read_text(encoding="utf-8")):
        key = str(row["AGS"]).zfill(5)
        if not DISTRICT_KEY.match(key):
            raise ValueError(f"unexpected district key {row['AGS']!r}")
        districts.append(
            {
                "key": key,
                "name": row["name"],
                "kind": row["type"],
                "population": row["population"],
                "area_km2": row["area_km2"],
            }
        )
    districts.sort(key=lambda d: d["key"])
    states = [{"key": key, "name": name} for key, name in STATES.items()]
    return {"meta": META, "states": states, "districts": districts}


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    target = Path(__file__).with_name("districts.json")
    target.write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(data['states'])} states, {len(data['districts'])} districts")
