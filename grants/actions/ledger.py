"""Bookings on the budget ledger, and the rule that it never exceeds a cap.

Every booking runs inside the caller's transaction (the transition that causes
it) and takes row locks in one fixed order, so that concurrent bookings queue
instead of deadlocking or overbooking:

1. the application row (taken by the transition before it books),
2. the programme's pot,
3. the municipalities' rows of that programme-year, sorted by AGS (a partner
   application split across several caps locks all of them, in that order).

Then it checks the amount against what each locked row still has available and
refuses with a German message naming that amount. The CHECK constraints of
`BudgetLedger` refuse the same at the database, should code ever skip this.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Municipality, User
from grants.models import (
    CENT,
    ZERO,
    Application,
    BudgetLedger,
    EntryKind,
    LedgerEntry,
    PartnerSplit,
    Programme,
)
from grants.models.money import format_eur
from grants.permissions import GrantRefused

# How each kind of entry moves a row's columns: (reserved, paid, released).
# Mikroförderung II books PAY, RELEASE and RECLAIM through `book` as well.
MOVEMENTS: dict[str, tuple[int, int, int]] = {
    EntryKind.RESERVE: (1, 0, 0),
    EntryKind.CANCEL: (-1, 0, 0),
    EntryKind.PAY: (-1, 1, 0),
    EntryKind.RELEASE: (0, 0, 1),
    EntryKind.RECLAIM: (0, 0, 1),
}
POT = None  # the key of the programme's pot among a booking's rows


class BudgetExceeded(GrantRefused):
    """More than a cap still allows; the message names what is available."""

    def __init__(self, message: str, *, available: Decimal) -> None:
        super().__init__(message)
        self.available = available


def shares(application: Application, amount: Decimal) -> dict[str, Decimal]:
    """How `amount` counts against the municipalities' caps, by AGS.

    Against the lead municipality only, or (if the programme says so) split
    equally across the lead and its partners, cent by cent: what does not divide
    evenly goes to the lead, so the shares always add up to the amount.
    """
    lead = application.municipality_id
    partners = sorted(p.municipality_id for p in application.partners.all())
    if application.programme.partner_split != PartnerSplit.SPLIT or not partners:
        return {lead: amount}
    everyone = sorted({lead, *partners})
    each = (amount / len(everyone)).quantize(CENT, rounding=ROUND_DOWN)
    split = dict.fromkeys(everyone, each)
    split[lead] += amount - each * len(everyone)
    return split


def _ensure_rows(programme: Programme, keys: list[str]) -> None:
    """Create missing municipality rows (taken under the pot's lock, so no two
    transactions insert the same row)."""
    BudgetLedger.objects.bulk_create(
        [
            BudgetLedger(
                programme=programme,
                municipality_id=ags,
                year=programme.year,
                cap=programme.cap_per_municipality,
            )
            for ags in keys
        ],
        ignore_conflicts=True,
    )


def ensure_pot(programme: Programme) -> None:
    BudgetLedger.objects.bulk_create(
        [
            BudgetLedger(
                programme=programme,
                municipality=None,
                year=programme.year,
                cap=programme.budget,
            )
        ],
        ignore_conflicts=True,
    )


def lock_rows(programme: Programme, keys: list[str]) -> dict[str | None, BudgetLedger]:
    """Lock the pot, then the municipalities' rows in AGS order; create what is
    missing. Returns the rows by AGS (the pot under `POT`)."""
    pot = BudgetLedger.objects.select_for_update().filter(
        programme=programme, municipality__isnull=True
    )
    locked_pot = pot.first()
    if locked_pot is None:
        ensure_pot(programme)
        locked_pot = pot.get()
    ordered = sorted(set(keys))
    _ensure_rows(programme, ordered)
    # PostgreSQL locks the rows in the order the query returns them.
    rows = (
        BudgetLedger.objects.select_for_update()
        .filter(programme=programme, year=programme.year, municipality_id__in=ordered)
        .order_by("municipality_id")
    )
    return {POT: locked_pot, **{row.municipality_id: row for row in rows}}


def _refusal(
    row: BudgetLedger, amount: Decimal, names: dict[str, str]
) -> BudgetExceeded:
    available = max(row.available, ZERO)
    if row.municipality_id is None:
        message = _(
            "Only %(available)s of the programme's budget is still available; "
            "%(amount)s exceeds it."
        ) % {"available": format_eur(available), "amount": format_eur(amount)}
    else:
        message = _(
            "Only %(available)s is still available to %(municipality)s in %(year)s "
            "(cap %(cap)s); %(amount)s exceeds it."
        ) % {
            "available": format_eur(available),
            "municipality": names.get(row.municipality_id, row.municipality_id),
            "year": row.year,
            "cap": format_eur(row.cap),
            "amount": format_eur(amount),
        }
    return BudgetExceeded(message, available=available)


def _names(keys) -> dict[str, str]:
    return dict(
        Municipality.objects.filter(ags__in=[k for k in keys if k]).values_list(
            "ags", "name"
        )
    )


def check_available(application: Application, amount: Decimal) -> None:
    """Refuse `amount` if it is more than the caps still allow now (no locks:
    at submission; `book` checks again under locks at approval)."""
    split = shares(application, amount)
    programme = application.programme
    rows = {
        row.municipality_id: row
        for row in BudgetLedger.objects.filter(programme=programme).filter(
            Q(municipality__isnull=True)
            | Q(year=programme.year, municipality_id__in=list(split))
        )
    }
    pot = rows.get(POT) or BudgetLedger(cap=programme.budget, year=programme.year)
    if amount > pot.available:
        raise _refusal(pot, amount, {})
    for ags in sorted(split):
        row = rows.get(ags) or BudgetLedger(
            municipality_id=ags, cap=programme.cap_per_municipality, year=programme.year
        )
        if split[ags] > row.available:
            raise _refusal(row, split[ags], _names([ags]))


def _move(row: BudgetLedger, kind: str, amount: Decimal, names) -> None:
    reserved, paid, released = MOVEMENTS[kind]
    if reserved > 0 and amount > row.available:
        raise _refusal(row, amount, names)
    if reserved < 0 and amount > row.reserved:
        raise GrantRefused(_("The ledger holds no such reservation."))
    if released > 0 and row.released + amount > row.paid:
        raise GrantRefused(_("More cannot come back than was paid out."))
    # Increments computed by the database, not written back from Python: even a
    # booking that somehow skipped the locks could not overwrite another one,
    # and the CHECK constraints judge the row's real sum.
    # Rounded to cents: SQLite (the embedded default) adds decimals as binary
    # floats, and 1999.96 - 1999.96 must be 0, not -2e-13, for the CHECKs.
    BudgetLedger.objects.filter(pk=row.pk).update(
        reserved=Round(F("reserved") + reserved * amount, 2),
        paid=Round(F("paid") + paid * amount, 2),
        released=Round(F("released") + released * amount, 2),
        updated_at=timezone.now(),
    )
    row.reserved += reserved * amount
    row.paid += paid * amount
    row.released += released * amount


def book(
    actor: User | None,
    application: Application,
    kind: str,
    amounts: dict[str | None, Decimal],
) -> list[LedgerEntry]:
    """Book one movement of `application` on the pot and municipality rows.

    `amounts` maps AGS (and `POT`) to the amount for that row. Must run inside
    the transaction of the transition that causes it, after that transition
    locked the application row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Ledger bookings run inside the transition's transaction.")
    programme = application.programme
    rows = lock_rows(programme, [key for key in amounts if key is not POT])
    names = _names(amounts)
    entries = []
    for key in [POT, *sorted(k for k in amounts if k is not POT)]:
        amount = amounts.get(key)
        if not amount:
            continue
        _move(rows[key], kind, amount, names)
        entries.append(
            LedgerEntry(
                ledger=rows[key],
                application=application,
                kind=kind,
                amount=amount,
                actor=actor,
            )
        )
    return LedgerEntry.objects.bulk_create(entries)


def reserve(actor: User, application: Application, amount: Decimal) -> None:
    """Approval: reserve `amount` on the pot and the caps it counts against."""
    book(
        actor,
        application,
        EntryKind.RESERVE,
        {POT: amount, **shares(application, amount)},
    )


def outstanding(application: Application) -> dict[str | None, Decimal]:
    """What `application` still has reserved (not paid, not cancelled), per row."""
    totals: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    sums = (
        LedgerEntry.objects.filter(application=application)
        .values("ledger__municipality_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for entry in sums:
        sign = MOVEMENTS[entry["kind"]][0]
        totals[entry["ledger__municipality_id"]] += sign * entry["total"]
    return {key: value for key, value in totals.items() if value > 0}


def cancel_reservation(actor: User, application: Application) -> Decimal:
    """Withdrawal after approval: give the reservation back to every cap."""
    amounts = outstanding(application)
    if amounts:
        book(actor, application, EntryKind.CANCEL, amounts)
    return amounts.get(POT, ZERO)


def _in_proportion(
    application: Application, amount: Decimal, rows: dict[str, Decimal]
) -> dict[str, Decimal]:
    """`amount` divided over `rows` in proportion to their values, cent by cent
    (what does not divide goes to the lead first), never more than a row holds."""
    total = sum(rows.values(), ZERO)
    split = {
        key: min(value, (amount * value / total).quantize(CENT, rounding=ROUND_DOWN))
        for key, value in rows.items()
    }
    rest = amount - sum(split.values(), ZERO)
    lead = application.municipality_id
    for key in sorted(rows, key=lambda k: (k != lead, k)):
        step = min(rest, rows[key] - split[key])
        split[key] += step
        rest -= step
    return {key: value for key, value in split.items() if value > 0}


def payment_shares(application: Application, amount: Decimal) -> dict[str, Decimal]:
    """How a payout of `amount` moves the caps the application reserved on.

    In proportion to what each row still has reserved for the application, so
    that a series of partial payouts ends exactly on the reservation of every
    row, whatever the rounding on the way.
    """
    rows = {k: v for k, v in outstanding(application).items() if k is not POT}
    total = sum(rows.values(), ZERO)
    if amount > total:
        raise GrantRefused(
            _("Only %(reserved)s is still reserved for this grant.")
            % {"reserved": format_eur(total)}
        )
    return _in_proportion(application, amount, rows)


def paid_net(application: Application) -> dict[str | None, Decimal]:
    """What was paid to the application and has not come back, per row."""
    totals: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    sums = (
        LedgerEntry.objects.filter(application=application)
        .values("ledger__municipality_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for entry in sums:
        _reserved, paid, released = MOVEMENTS[entry["kind"]]
        totals[entry["ledger__municipality_id"]] += (paid - released) * entry["total"]
    return {key: value for key, value in totals.items() if value > 0}


def reclaimable(application: Application) -> Decimal:
    """What was paid out and has not come back yet: the most a reclaim can ask."""
    return paid_net(application).get(POT, ZERO)


def book_repayment(actor: User, application: Application, amount: Decimal) -> None:
    """A reclaimed amount came back: released on the pot and the caps, in
    proportion to what each row paid."""
    net = paid_net(application)
    if amount > net.get(POT, ZERO):
        raise GrantRefused(_("More cannot come back than was paid out."))
    rows = {k: v for k, v in net.items() if k is not POT}
    book(
        actor,
        application,
        EntryKind.RECLAIM,
        {POT: amount, **_in_proportion(application, amount, rows)},
    )


def pay(actor: User, application: Application, amount: Decimal) -> None:
    """Payout: move `amount` from reserved to paid on the pot and the caps."""
    book(
        actor,
        application,
        EntryKind.PAY,
        {POT: amount, **payment_shares(application, amount)},
    )


def paid_total(application: Application) -> Decimal:
    """What has been paid out to the application so far (the pot's entries)."""
    return (
        LedgerEntry.objects.filter(
            application=application,
            kind=EntryKind.PAY,
            ledger__municipality__isnull=True,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
