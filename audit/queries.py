"""The audit log, filtered for staff, and its CSV rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditLogEntry

CSV_HEADER = ["time", "actor", "action", "target", "reason", "data"]
# Spreadsheets run cells that start with these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def audit_entries(
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditLogEntry]:
    entries = AuditLogEntry.objects.select_related("actor").order_by(
        "-created_at", "-id"
    )
    if action:
        entries = entries.filter(action__startswith=action.strip())
    if actor:
        entries = entries.filter(actor__name__icontains=actor.strip())
    if target:
        entries = entries.filter(target_repr__icontains=target.strip())
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(
            created_at__gte=datetime.combine(since, time.min, tzinfo=zone)
        )
    if until:
        entries = entries.filter(
            created_at__lte=datetime.combine(until, time.max, tzinfo=zone)
        )
    return entries


def safe_cell(value: str) -> str:
    """Neutralise CSV formula injection: prefix a leading = + - @ with '."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(entries: QuerySet[AuditLogEntry]) -> Iterator[list[str]]:
    yield CSV_HEADER
    for entry in entries.iterator(chunk_size=500):
        yield [
            safe_cell(cell)
            for cell in (
                entry.created_at.isoformat(),
                entry.actor.name if entry.actor else "",
                entry.action,
                entry.target_repr,
                entry.reason,
                json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
            )
        ]
