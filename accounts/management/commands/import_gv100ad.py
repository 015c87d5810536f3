from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import gv100ad
from accounts.models import District, Municipality, State, validate_ags


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Import Länder, Kreise and all Gemeinden from the Destatis GV100AD file "
        "(Gemeindeverzeichnis, fixed-width text). Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report, but write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            text = gv100ad.decode(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            records = list(gv100ad.parse(text.splitlines()))
        except gv100ad.GV100ADError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        states = [r for r in records if isinstance(r, gv100ad.StateRecord)]
        districts = [r for r in records if isinstance(r, gv100ad.DistrictRecord)]
        municipalities = [
            r for r in records if isinstance(r, gv100ad.MunicipalityRecord)
        ]
        for record in municipalities:
            try:
                validate_ags(record.ags)
            except ValidationError as error:
                raise CommandError(
                    f"{file}: invalid AGS {record.ags!r} ({record.name}). "
                    "Nothing was imported."
                ) from error
        try:
            with transaction.atomic():
                self._store(states, districts, municipalities)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        verb = "would be imported (dry run)" if dry_run else "imported"
        self.stdout.write(
            f"{len(states)} states, {len(districts)} districts, "
            f"{len(municipalities)} municipalities {verb}."
        )

    def _store(self, states, districts, municipalities) -> None:
        State.objects.bulk_create(
            [State(key=r.key, name=r.name) for r in states],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["name"],
        )
        District.objects.bulk_create(
            [
                District(
                    key=r.key,
                    state_id=r.key[:2],
                    name=r.name,
                    kind=r.kind,
                    data_date=r.data_date,
                )
                for r in districts
            ],
            update_conflicts=True,
            unique_fields=["key"],
            # Population and area of Kreise are not in GV100AD: keep what is known.
            update_fields=["name", "kind", "data_date"],
        )
        known_districts = set(District.objects.values_list("key", flat=True))
        missing = {r.ags[:5] for r in municipalities} - known_districts
        if missing:
            raise CommandError(
                f"Gemeinden refer to unknown Kreise {sorted(missing)}. "
                "Nothing was imported."
            )
        Municipality.objects.bulk_create(
            [
                Municipality(
                    ags=r.ags,
                    district_id=r.ags[:5],
                    name=r.name,
                    kind=r.kind,
                    population=r.population,
                    area_km2=r.area_km2,
                    postal_code=r.postal_code,
                    data_date=r.data_date,
                )
                for r in municipalities
            ],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["ags"],
            update_fields=[
                "district",
                "name",
                "kind",
                "population",
                "area_km2",
                "postal_code",
                "data_date",
            ],
        )
