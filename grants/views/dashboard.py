"""The funder's dashboard (staff) and the public list of approved grants."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import SizeClass, State, Topic
from audit.queries import safe_cell
from grants import statistics
from grants.models import Programme
from grants.permissions import check_sees_figures
from grants.views import refusals_as_page


def _csv(name: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(str(cell)) for cell in row])
    return response


def _groups(figures: statistics.Figures, name: str):
    return {
        "laender": figures.by_land,
        "zwecke": figures.by_purpose,
        "groessen": figures.by_size,
    }.get(name)


def _table_csv(figures: statistics.Figures, name: str) -> HttpResponse:
    year = figures.programme.year
    groups = _groups(figures, name)
    if groups is not None:
        return _csv(
            f"mikrofoerderung-{year}-{name}",
            [_("group"), _("applications"), _("approved"), _("money (EUR)")],
            [[g.label, g.submitted, g.approved, g.money] for g in groups],
        )
    if name == "budget":
        b = figures.budget
        return _csv(
            f"mikrofoerderung-{year}-budget",
            [_("budget"), _("reserved"), _("paid"), _("released"), _("left")],
            [[b.cap, b.reserved, b.paid, b.released, b.available]],
        )
    if name == "strukturschwach":
        return _csv(
            f"mikrofoerderung-{year}-strukturschwach",
            [_("group"), _("applications"), _("approved"), _("money (EUR)")],
            [
                [g.label, g.submitted, g.approved, g.money]
                for g in (figures.weak, figures.total)
            ],
        )
    if name == "bearbeitungszeiten":
        return _csv(
            f"mikrofoerderung-{year}-bearbeitungszeiten",
            [_("step"), _("cases"), _("median (days)"), _("mean (days)")],
            [[t.label, t.count, t.median_days, t.mean_days] for t in figures.times],
        )
    if name == "ueberfaellig":
        return _csv(
            f"mikrofoerderung-{year}-ueberfaellige-nachweise",
            [_("file number"), _("municipality"), _("due on")],
            [
                [a.reference, a.municipality.name, a.report_due.isoformat()]
                for a in figures.overdue
            ],
        )
    raise Http404


@login_required
@require_GET
@refusals_as_page
def dashboard(request: HttpRequest) -> HttpResponse:
    check_sees_figures(request.user)
    programmes = list(Programme.objects.order_by("-year"))
    if not programmes:
        raise Http404
    year = request.GET.get("jahr", "")
    programme = next((p for p in programmes if str(p.year) == year), None) or next(
        (p for p in programmes if p.year == timezone.localdate().year), programmes[0]
    )
    figures = statistics.figures(programme, today=timezone.localdate())
    table = request.GET.get("csv")
    if table:
        return _table_csv(figures, table)
    return render(
        request,
        "grants/programme_dashboard.html",
        {"figures": figures, "programme": programme, "programmes": programmes},
    )


@require_GET
def approved_grants(request: HttpRequest) -> HttpResponse:
    """Public: who received how much public money, for what, in which year."""
    grants = statistics.public_grants()
    if request.GET.get("format") == "csv":
        return _csv(
            "mikrofoerderung-bewilligungen",
            [_("year"), _("municipality"), _("AGS"), _("purpose"), _("amount (EUR)")],
            [
                [
                    g.programme.year,
                    g.municipality.name,
                    g.municipality_id,
                    g.get_purpose_display(),
                    g.approved_amount,
                ]
                for g in grants
            ],
        )
    return render(request, "grants/grant_public_list.html", {"grants": grants})


@login_required
@require_GET
def practice_examples(request: HttpRequest) -> HttpResponse:
    """Praxisbeispiele from accepted usage reports, searchable by words and tags."""
    text = request.GET.get("q", "").strip()[:200]
    topic = request.GET.get("thema", "")
    size = request.GET.get("groesse", "")
    land = request.GET.get("land", "")
    found = statistics.practice_examples(text=text, topic=topic, size=size, land=land)
    return render(
        request,
        "grants/practice_example_list.html",
        {
            "examples": found[:50],
            "q": text,
            "topic": topic,
            "size": size,
            "land": land,
            "topics": Topic.choices,
            "sizes": SizeClass.choices,
            "lands": State.objects.order_by("name"),
        },
    )
