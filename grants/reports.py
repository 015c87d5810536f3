"""The rules of the usage report: what must be in it, what adds up, which
deviations from the approved cost plan are flagged, and the grant used.

ANBest-Gk/-K Nr. 1.2: the financing plan is binding in total; a single line may
be exceeded by up to 20 % when the excess is offset by savings on other lines.
So a line is flagged when it exceeds its plan by more than 20 %, or exceeds it
at all while the total exceeds the plan (nothing offsets it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from grants.models import ZERO, Application, CostLine, UsageReport
from grants.models.money import format_eur

TOLERANCE = Decimal("0.20")


@dataclass(frozen=True)
class LineFigures:
    cost_line: CostLine
    spent: Decimal
    receipts: Decimal
    flag: str = ""

    @property
    def planned(self) -> Decimal:
        return self.cost_line.amount

    @property
    def difference(self) -> Decimal:
        return self.spent - self.planned

    @property
    def percent(self) -> Decimal:
        return (self.difference * 100 / self.planned).quantize(Decimal("0.1"))


def line_figures(
    application: Application,
    spent: dict[int, Decimal],
    receipts: dict[int, Decimal],
) -> list[LineFigures]:
    """The statement line by line, with its flag (empty when in order)."""
    lines = list(application.cost_lines.all())
    planned_total = sum((line.amount for line in lines), ZERO)
    spent_total = sum((spent.get(line.pk, ZERO) for line in lines), ZERO)
    figures = []
    for line in lines:
        amount = spent.get(line.pk, ZERO)
        flag = ""
        if amount - line.amount > line.amount * TOLERANCE:
            flag = _("more than 20 % above the plan")
        elif amount > line.amount and spent_total > planned_total:
            flag = _("above the plan and not offset by savings on other lines")
        figures.append(
            LineFigures(line, amount, receipts.get(line.pk, ZERO), flag=flag)
        )
    return figures


def figures_of(report: UsageReport) -> list[LineFigures]:
    spent = {line.cost_line_id: line.spent for line in report.lines.all()}
    receipts: dict[int, Decimal] = {}
    for receipt in report.receipts.all():
        receipts[receipt.cost_line_id] = (
            receipts.get(receipt.cost_line_id, ZERO) + receipt.amount
        )
    return line_figures(report.application, spent, receipts)


def problems(report: UsageReport) -> list[str]:
    """What keeps the report from being submitted (figures that do not add up,
    missing parts). Flags of deviations do not: they are for the check."""
    found = []
    if not report.narrative.strip():
        found.append(_("Please write the narrative report (Sachbericht)."))
    figures = figures_of(report)
    if not any(f.spent for f in figures):
        found.append(_("Please enter what was spent on the lines of the cost plan."))
    if not report.simple:
        if not report.receipts.all():
            found.append(_("Please list the receipts."))
        for f in figures:
            if f.receipts != f.spent:
                found.append(
                    _(
                        "“%(line)s”: the receipts add up to %(receipts)s, the "
                        "statement says %(spent)s."
                    )
                    % {
                        "line": f.cost_line.description,
                        "receipts": format_eur(f.receipts),
                        "spent": format_eur(f.spent),
                    }
                )
    return found


def grant_used(report: UsageReport) -> Decimal:
    """The grant the spending justifies: what the costs left uncovered by own
    funds and other funding, never more than was approved."""
    application = report.application
    gap = report.total_spent - report.own_funds - report.other_funding
    return min(application.approved_amount or ZERO, max(gap, ZERO))
