"""The priority score of an application, as lines that explain themselves.

Computed once, at submission, from the programme's weights and the dated
structural-weakness records staff keep (accounts); the application keeps the
snapshot, so a later change of the records or weights does not reorder
decisions already in the queue. Staff and the applicant see the same lines:
"+30 GRW-Fördergebiet", "+10 Erstantrag", "+5 unter 5.000 Einwohner…".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import SizeClass
from accounts.queries import structural_weakness_record
from grants.models import Application, Purpose

WEAK = "weak"
FIRST = "first"
SIZE = "size"
WEAK_PARTNER = "weak_partner"


def priority_lines(application: Application, *, on: date) -> list[dict[str, Any]]:
    """The lines of the score as of `on`; lines worth zero points are left out."""
    programme = application.programme
    municipality = application.municipality
    lines: list[dict[str, Any]] = []

    record = structural_weakness_record(municipality, on=on)
    if record is not None and record.is_structurally_weak:
        lines.append(
            {
                "code": WEAK,
                "points": programme.weight_structurally_weak,
                "status": record.status,
                "source": record.programme,
            }
        )
    earlier = (
        Application.objects.filter(
            municipality=municipality, submitted_at__isnull=False
        )
        .exclude(pk=application.pk)
        .exists()
    )
    if not earlier:
        lines.append({"code": FIRST, "points": programme.weight_first_application})
    size = municipality.size_class
    size_points = {
        SizeClass.SMALL: programme.weight_small,
        SizeClass.MEDIUM: programme.weight_medium,
    }.get(size, 0)
    if size_points:
        lines.append({"code": SIZE, "points": size_points, "size": size})
    if application.purpose == Purpose.NETWORKING:
        for partner in application.partners.all():
            record = structural_weakness_record(partner.municipality, on=on)
            if record is not None and record.is_structurally_weak:
                lines.append(
                    {
                        "code": WEAK_PARTNER,
                        "points": programme.weight_weak_partner,
                        "partner": partner.municipality.name,
                        "status": record.status,
                    }
                )
    return [line for line in lines if line["points"]]


def score(lines: list[dict[str, Any]]) -> int:
    return sum(line["points"] for line in lines)


def line_label(line: dict[str, Any]) -> str:
    """What a line means, in the reader's language."""
    code = line.get("code")
    if code == WEAK:
        return line.get("status") or _("structurally weak region")
    if code == FIRST:
        return _("first application")
    if code == SIZE:
        return str(SizeClass(line["size"]).label)
    if code == WEAK_PARTNER:
        return _(
            "partner from a structurally weak region: %(partner)s (%(status)s)"
        ) % {
            "partner": line.get("partner", ""),
            "status": line.get("status", ""),
        }
    return str(code)


def explained(lines: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(points, label) for each line, for templates."""
    return [(line["points"], line_label(line)) for line in lines]
