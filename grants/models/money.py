"""Money in the grants app: euros with cents, as `Decimal`, never float.

Amounts are `DecimalField(max_digits=12, decimal_places=2)` in the database;
sums come back as `Decimal` too (see `grants.queries`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# No single amount of an application (a cost line, the request) may exceed this:
# a micro-grant programme never sees such sums, so they are typing errors.
MAX_AMOUNT = Decimal("1000000.00")


def money_field(verbose_name, **options) -> models.DecimalField:
    """A euro amount with cents."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


def format_eur(amount: Decimal | None) -> str:
    """An amount as members read it: "4.250,00 €" in German, "4,250.00 €" in English."""
    from django.utils.formats import number_format

    if amount is None:
        return "–"
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)} €"
