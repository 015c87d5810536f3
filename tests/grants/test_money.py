"""Money is read as members type it and shown as "4.250,00 €"; always Decimal."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from grants.forms import MoneyField, parse_amount
from grants.models.money import format_eur


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("4.250,00", "4250.00"),
        ("4250", "4250"),
        ("4250,5", "4250.5"),
        ("4.250", "4250"),
        ("4250.50", "4250.50"),
        ("1.000.000", "1000000"),
        ("4 250,00 €", "4250.00"),
        ("4.250,00 EUR", "4250.00"),
        ("-12,00", "-12.00"),
    ],
)
def test_amounts_are_read_as_germans_write_them(typed, amount):
    with translation.override("de"):
        assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["", "abc", "1.2.3", "1,2.3", "1e5", "NaN", "--5"])
def test_what_is_no_amount_is_refused(typed):
    with translation.override("de"), pytest.raises(ValueError):
        parse_amount(typed)


def test_english_reads_the_comma_as_thousands():
    with translation.override("en"):
        assert parse_amount("4,250.00") == Decimal("4250.00")
        assert parse_amount("4,250") == Decimal("4250")


def test_the_form_field_gives_decimal_never_float():
    field = MoneyField()
    with translation.override("de"):
        value = field.clean("1.234,56")
    assert isinstance(value, Decimal)
    assert value == Decimal("1234.56")


def test_money_is_shown_in_german_format():
    with translation.override("de"):
        assert format_eur(Decimal("4250")) == "4.250,00 €"
        assert format_eur(Decimal("750.5")) == "750,50 €"
        assert format_eur(Decimal("1000000.00")) == "1.000.000,00 €"
        rendered = Template("{% load grants %}{{ amount|eur }}").render(
            Context({"amount": Decimal("4250.00")})
        )
    assert rendered == "4.250,00 €"
