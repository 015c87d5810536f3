"""Interest of a reclaim (§ 49a (3) VwVfG), against cases computed by hand:
5 points above the base rate per year, the payout day not counted, the
repayment day counted, each day 1/365 or 1/366 of its year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from grants.interest import interest
from grants.permissions import GrantRefused

# The base rates the Bundesbank published for these dates.
RATES = [
    (date(2023, 7, 1), Decimal("3.12")),
    (date(2024, 1, 1), Decimal("3.62")),
    (date(2024, 7, 1), Decimal("3.37")),
    (date(2025, 1, 1), Decimal("2.27")),
    (date(2025, 7, 1), Decimal("1.27")),
]


@pytest.mark.parametrize(
    ("principal", "paid_on", "repaid_on", "expected"),
    [
        # The common year 2025, whose base rate changed on 1 July:
        # 181 days at 7,27 % and 184 days at 6,27 %, both /365:
        # 10.000 * (0,0727 * 181 + 0,0627 * 184) / 365
        # = 10.000 * (13,1587 + 11,5368) / 365 = 10.000 * 0,0676589… = 676,59
        ("10000.00", date(2024, 12, 31), date(2025, 12, 31), "676.59"),
        # A leap-year half: 2 Jan .. 30 Jun 2024 = 181 days at 8,62 %, and
        # 1 Jul 2024 = 1 day at 8,37 %, both /366:
        # 1.000 * (0,0862 * 181 + 0,0837 * 1) / 366 = 1.000 * 15,6859 / 366
        # = 42,857… = 42,86
        ("1000.00", date(2024, 1, 1), date(2024, 7, 1), "42.86"),
        # Across the turn of the year: 2..31 Dec 2024 = 30 days at 8,37 % /366,
        # 1..31 Jan 2025 = 31 days at 7,27 % /365:
        # 5.000 * (2,511 / 366 + 2,2537 / 365) = 5.000 * 0,0130351…
        # = 65,175… = 65,18
        ("5000.00", date(2024, 12, 1), date(2025, 1, 31), "65.18"),
        # One day: 3.000 * 0,0627 / 365 = 0,5153… = 0,52
        ("3000.00", date(2025, 8, 4), date(2025, 8, 5), "0.52"),
        # Repaid on the day of the payout: no day counts.
        ("3000.00", date(2025, 8, 5), date(2025, 8, 5), "0.00"),
    ],
)
def test_interest_matches_the_hand_computed_cases(
    principal, paid_on, repaid_on, expected
):
    assert interest(Decimal(principal), paid_on, repaid_on, RATES) == Decimal(expected)


def test_the_result_is_a_decimal_in_cents_never_a_float():
    result = interest(Decimal("1234.56"), date(2024, 3, 1), date(2024, 9, 1), RATES)
    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


def test_a_negative_base_rate_lowers_the_rate_below_five_percent():
    # 2016-2022 the base rate was -0,88 %: 10.000 * 4,12 % * 365/365 = 412,00.
    rates = [(date(2016, 7, 1), Decimal("-0.88"))]
    assert interest(
        Decimal("10000.00"), date(2018, 12, 31), date(2019, 12, 31), rates
    ) == Decimal("412.00")


def test_interest_for_a_negative_period_is_refused():
    with translation.override("de"), pytest.raises(GrantRefused) as refused:
        interest(Decimal("100.00"), date(2025, 3, 2), date(2025, 3, 1), RATES)
    assert "negativen Zeitraum" in refused.value.message


def test_a_day_without_a_recorded_base_rate_is_refused():
    with translation.override("de"), pytest.raises(GrantRefused) as refused:
        interest(Decimal("100.00"), date(2023, 6, 1), date(2023, 7, 2), RATES)
    assert "Basiszinssatz" in refused.value.message
