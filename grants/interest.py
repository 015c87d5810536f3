"""Interest on a reclaimed grant, date-exact, in `Decimal`.

§ 49a (3) VwVfG: 5 percentage points above the base rate (§ 247 BGB) per year.
The period runs from the payout to the repayment; as with every period of the
BGB (§ 187), the day of the payout is not counted and the day of the repayment
is. Each day bears the rate valid on it and counts as 1/365 or, in a leap year,
1/366 of a year (actual/actual). The sum is rounded to the cent once, at the
end (half up).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from grants.models import CENT
from grants.permissions import GrantRefused

POINTS_ABOVE_BASE = Decimal("5")


def _rate_on(day: date, rates: Sequence[tuple[date, Decimal]]) -> Decimal:
    """The base rate valid on `day`; `rates` sorted by date, newest first."""
    for valid_from, rate in rates:
        if valid_from <= day:
            return rate
    raise GrantRefused(
        _("No base rate is recorded for %(date)s. Please add it in the admin.")
        % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}
    )


def _year_length(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def interest(
    principal: Decimal,
    paid_on: date,
    repaid_on: date,
    rates: Sequence[tuple[date, Decimal]],
) -> Decimal:
    """Interest on `principal` from `paid_on` to `repaid_on`, in euros and cents."""
    if repaid_on < paid_on:
        raise GrantRefused(
            _(
                "Interest cannot be computed for a negative period: the repayment "
                "on %(repaid)s lies before the payout on %(paid)s."
            )
            % {
                "repaid": formats.date_format(repaid_on, "SHORT_DATE_FORMAT"),
                "paid": formats.date_format(paid_on, "SHORT_DATE_FORMAT"),
            }
        )
    newest_first = sorted(rates, key=lambda r: r[0], reverse=True)
    # Days by (rate, length of their year): a few groups however long the period.
    days: Counter[tuple[Decimal, int]] = Counter()
    day = paid_on + timedelta(days=1)
    while day <= repaid_on:
        days[(_rate_on(day, newest_first), _year_length(day.year))] += 1
        day += timedelta(days=1)
    total = sum(
        (
            principal * (base + POINTS_ABOVE_BASE) / 100 * count / length
            for (base, length), count in days.items()
        ),
        Decimal(0),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
