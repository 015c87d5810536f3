"""The funder's figures: where a programme's budget went, and how fast.

Money is what a grant still holds on the ledger, from the pot's journal:
reserved on approval, minus cancelled reservations, minus what came back
(released unused funds, repaid reclaims). A payout moves money from reserved to
paid and does not change it. A partner grant counts with its lead
municipality. Every figure here is a `Decimal` or an `int`; the charts and the
CSV exports show the same numbers as the tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import mean, median

from django.db.models import Min, Q, Sum
from django.utils.translation import gettext as _

from accounts.models import SizeClass
from grants import priority, queries
from grants.models import (
    ZERO,
    Application,
    CallOffStatus,
    EntryKind,
    LedgerEntry,
    PracticeExample,
    Programme,
    Purpose,
    State,
)
from grants.workflow import REPORT_OWED

# How each kind of journal entry on the pot changes the money a grant holds.
HOLDS = {
    EntryKind.RESERVE: 1,
    EntryKind.CANCEL: -1,
    EntryKind.PAY: 0,
    EntryKind.RELEASE: -1,
    EntryKind.RECLAIM: -1,
}
# Tiles of the Länder on a grid, roughly where they lie (column, row).
LAND_TILES = {
    "01": ("SH", 2, 0),
    "04": ("HB", 1, 1),
    "02": ("HH", 2, 1),
    "13": ("MV", 3, 1),
    "03": ("NI", 1, 2),
    "15": ("ST", 2, 2),
    "12": ("BB", 3, 2),
    "11": ("BE", 4, 2),
    "05": ("NW", 0, 3),
    "06": ("HE", 1, 3),
    "16": ("TH", 2, 3),
    "14": ("SN", 3, 3),
    "10": ("SL", 0, 4),
    "07": ("RP", 1, 4),
    "09": ("BY", 2, 4),
    "08": ("BW", 1, 5),
}


@dataclass
class Group:
    """One row of a breakdown: applications and money."""

    key: str
    label: str
    submitted: int = 0
    approved: int = 0
    money: Decimal = ZERO
    share: float = 0.0  # of the largest row, for the bar's length


@dataclass
class Times:
    label: str
    count: int
    median_days: float | None
    mean_days: float | None


@dataclass
class Figures:
    programme: Programme
    budget: queries.Budget
    by_land: list[Group]
    by_purpose: list[Group]
    by_size: list[Group]
    weak: Group
    total: Group
    times: list[Times]
    overdue: list[Application]
    tiles: list[dict] = field(default_factory=list)

    @property
    def budget_rows(self) -> list[Group]:
        """The pot as bars, each a share of the budget."""
        b = self.budget
        rows = [
            Group("reserved", _("reserved"), money=b.reserved),
            Group("paid", _("paid"), money=b.paid),
            Group("released", _("released"), money=b.released),
            Group("left", _("left"), money=b.available),
        ]
        for row in rows:
            row.share = float(row.money / b.cap) if b.cap else 0.0
        return rows

    @property
    def weak_rows(self) -> list[Group]:
        return [self.weak, self.total]

    @property
    def weak_money_share(self) -> Decimal | None:
        if not self.total.money:
            return None
        return (self.weak.money * 100 / self.total.money).quantize(Decimal("0.1"))

    @property
    def weak_application_share(self) -> Decimal | None:
        if not self.total.submitted:
            return None
        return (Decimal(self.weak.submitted) * 100 / self.total.submitted).quantize(
            Decimal("0.1")
        )


def money_by_application(programme: Programme) -> dict[int, Decimal]:
    sums = (
        LedgerEntry.objects.filter(
            ledger__programme=programme, ledger__municipality__isnull=True
        )
        .values("application_id", "kind")
        .annotate(total=Sum("amount"))
    )
    money: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for entry in sums:
        money[entry["application_id"]] += HOLDS[entry["kind"]] * entry["total"]
    return money


def _finish(groups: dict[str, Group]) -> list[Group]:
    rows = list(groups.values())
    largest = max((row.money for row in rows), default=ZERO)
    for row in rows:
        row.share = float(row.money / largest) if largest else 0.0
    return rows


def _days(pairs) -> tuple[int, float | None, float | None]:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs]
    if not days:
        return 0, None, None
    return len(days), round(median(days), 1), round(mean(days), 1)


def figures(programme: Programme, *, today: date) -> Figures:
    """Everything the dashboard shows for one programme (its year)."""
    money = money_by_application(programme)
    applications = list(
        Application.objects.filter(programme=programme, submitted_at__isnull=False)
        .select_related("municipality__district__state")
        .annotate(
            first_payout=Min(
                "call_offs__released_at",
                filter=Q(call_offs__status=CallOffStatus.PAID),
            )
        )
    )
    lands: dict[str, Group] = {}
    purposes = {p.value: Group(p.value, str(p.label)) for p in Purpose}
    sizes = {s.value: Group(s.value, str(s.label)) for s in SizeClass}
    unknown_size = Group("", _("size unknown"))
    weak = Group("weak", _("structurally weak regions"))
    total = Group("all", _("all municipalities"))
    for application in applications:
        municipality = application.municipality
        land = municipality.district.state
        approved = application.approved_amount is not None and (
            application.state != State.WITHDRAWN
        )
        is_weak = any(
            line.get("code") == priority.WEAK for line in application.priority_lines
        )
        size = municipality.size_class
        rows = [
            lands.setdefault(land.key, Group(land.key, land.name)),
            purposes[application.purpose],
            sizes[size] if size else unknown_size,
            total,
        ]
        if is_weak:
            rows.append(weak)
        for row in rows:
            row.submitted += 1
            row.approved += int(approved)
            row.money += money.get(application.pk, ZERO)
    size_rows = list(sizes.values()) + (
        [unknown_size] if unknown_size.submitted else []
    )
    by_land = sorted(_finish(lands), key=lambda g: g.label)
    decided = [
        (a.submitted_at, a.decided_at) for a in applications if a.decided_at is not None
    ]
    paid = [
        (a.decided_at, a.first_payout)
        for a in applications
        if a.decided_at is not None and a.first_payout is not None
    ]
    times = [
        Times(_("submission to decision"), *_days(decided)),
        Times(_("decision to first payout"), *_days(paid)),
    ]
    overdue = [
        a
        for a in applications
        if a.state in REPORT_OWED and a.report_due and a.report_due < today
    ]
    result = Figures(
        programme=programme,
        budget=queries.programme_budget(programme),
        by_land=by_land,
        by_purpose=_finish(purposes),
        by_size=_finish({row.key: row for row in size_rows}),
        weak=weak,
        total=total,
        times=times,
        overdue=sorted(overdue, key=lambda a: a.report_due),
    )
    result.tiles = land_tiles(by_land)
    return result


# Light to dark; the label is dark on the two lightest and white on the others.
TILE_COLOURS = ["#f1f5f9", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def land_tiles(by_land: list[Group]) -> list[dict]:
    """The 16 Länder as tiles of a map-like chart, shaded by money."""
    found = {row.key: row for row in by_land}
    largest = max((row.money for row in by_land), default=ZERO)
    tiles = []
    for key, (short, column, row_index) in LAND_TILES.items():
        group = found.get(key)
        amount = group.money if group else ZERO
        step = 0
        if largest and amount > 0:
            step = min(4, 1 + int(amount * 4 / largest) if amount < largest else 4)
        tiles.append(
            {
                "key": key,
                "short": short,
                "name": group.label if group else short,
                "money": amount,
                "x": column * 64 + 2,
                "y": row_index * 64 + 2,
                "fill": TILE_COLOURS[step],
                "dark_text": step < 2,
            }
        )
    return tiles


def public_grants(year: int | None = None):
    """Approved grants for the public list (municipality, purpose, amount, year),
    open data: what was granted and not withdrawn."""
    approved = Application.objects.filter(approved_amount__isnull=False).exclude(
        state=State.WITHDRAWN
    )
    if year is not None:
        approved = approved.filter(programme__year=year)
    return approved.select_related("municipality", "programme").order_by(
        "-programme__year", "municipality__name", "pk"
    )


def practice_examples(
    *, text: str = "", topic: str = "", size: str = "", land: str = ""
):
    """Praxisbeispiele matching the words and the tags given."""
    found = PracticeExample.objects.select_related("land")
    for word in text.split()[:8]:
        found = found.filter(Q(title__icontains=word) | Q(narrative__icontains=word))
    if topic:
        found = found.filter(topic=topic)
    if size:
        found = found.filter(size_class=size)
    if land:
        found = found.filter(land_id=land)
    return found
