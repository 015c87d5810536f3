"""Each app's part of a member's data: exported on request, erased on deletion.

DSGVO Art. 15/20 (access, portability) and Art. 17 (erasure) concern everything
the platform holds about a member, but every app knows only its own models. So
each app registers, from its `AppConfig.ready()`:

- an **exporter** `fn(member) -> JSON-able` under a name ("profile", "posts",
  "chat_messages"...): a list of flat dicts becomes one CSV file in the archive
  as well, anything else appears in `data.json` only;
- an **eraser** `fn(member) -> str | None` that removes or anonymises the
  member's personal data in that app. It runs inside the deletion's transaction,
  before the account itself is anonymised. It returns None when nothing is
  kept, or a short note (English, for the audit log) naming the records it must
  keep and why, e.g. "grant applications kept 10 years (BHO § 71)". An app that
  must not let the account go at all (say, a grant payment in progress) raises
  `ErasureRefused` with a message for the member: the whole deletion is rolled
  back and nothing is changed.

An app that keeps files the member uploaded also registers a **file
exporter** `fn(member) -> [(path, open)]`: each file lands in the archive
under `files/<name>/<path>`, read through `open()` (a binary file object),
and `data.json` lists them under "files".

Names are unique; registering a name twice replaces the function (tests, reloads).
Exporters and erasers run in the order of registration, which is the order of
INSTALLED_APPS since every app registers in its `ready()`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User

Exporter = Callable[["User"], Any]
Eraser = Callable[["User"], str | None]
FileExporter = Callable[["User"], Iterable[tuple[str, Callable[[], IO[bytes]]]]]

ARCHIVE_FORMAT = "zukunftsraum-personal-data/1"

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}
_file_exporters: dict[str, FileExporter] = {}


class ErasureRefused(Exception):
    """An app cannot let the account be deleted now; `str(exc)` tells the member."""


def register_exporter(name: str, exporter: Exporter) -> None:
    """Contribute `name` to every member's data export."""
    _exporters[name] = exporter


def register_file_exporter(name: str, exporter: FileExporter) -> None:
    """Contribute the files `exporter` names to every member's data export."""
    _file_exporters[name] = exporter


def collect_files(member: User) -> list[tuple[str, Callable[[], IO[bytes]]]]:
    """The member's uploaded files: (path in the archive, opener)."""
    return [
        (f"files/{name}/{path}", opener)
        for name, exporter in _file_exporters.items()
        for path, opener in exporter(member)
    ]


def register_eraser(name: str, eraser: Eraser) -> None:
    """Run `eraser` when a member's account is deleted (see the module docstring)."""
    _erasers[name] = eraser


def exporter_names() -> list[str]:
    return list(_exporters)


def eraser_names() -> list[str]:
    return list(_erasers)


def collect(member: User) -> dict[str, Any]:
    """Everything the registered exporters hold about `member`, by name."""
    return {
        "format": ARCHIVE_FORMAT,
        "generated_at": timezone.now(),
        "member_id": member.pk,
        "parts": {name: exporter(member) for name, exporter in _exporters.items()},
    }


def erase(member: User) -> dict[str, str]:
    """Run every eraser; returns {name: note} for the records an app kept.

    Call it inside the deletion's transaction: an eraser raising
    `ErasureRefused` must undo what the others did.
    """
    kept = {}
    for name, eraser in _erasers.items():
        note = eraser(member)
        if note:
            kept[name] = note
    return kept


def build_archive(
    data: dict[str, Any], files: list[tuple[str, Callable[[], IO[bytes]]]] = ()
) -> bytes:
    """A zip with `data.json` (all of it), `<name>.csv` for tabular parts and
    the member's uploaded `files` (see `collect_files`).

    Synchronous: the archive of one member is small today (profile, topics,
    consents). When posts and chat messages make it large, build it in the
    background and offer it for download once ready.
    """
    buffer = io.BytesIO()
    if files:
        data = {**data, "files": [path for path, _ in files]}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, opener in files:
            with opener() as source, archive.open(path, "w") as target:
                while chunk := source.read(1 << 16):
                    target.write(chunk)
        archive.writestr(
            "data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, part in data["parts"].items():
            rows = _table(part)
            if rows is not None:
                archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


def _table(part: Any) -> list[dict[str, Any]] | None:
    if isinstance(part, dict):
        return [part]
    if isinstance(part, list) and all(isinstance(row, dict) for row in part):
        return part
    return None


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    # UTF-8 with BOM and semicolons: what German spreadsheet software opens as is.
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, str | int | float | bool):
        return value
    return DjangoJSONEncoder().default(value)
