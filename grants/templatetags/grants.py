"""Money and priority in grant templates."""

from __future__ import annotations

from decimal import Decimal

from django import template

from grants import priority
from grants.models.money import format_eur

register = template.Library()


@register.filter
def eur(amount: Decimal | None) -> str:
    """{{ amount|eur }} -> "4.250,00 €" (German), "4,250.00 €" (English)."""
    return format_eur(amount)


@register.filter
def priority_lines(lines: list[dict]) -> list[tuple[int, str]]:
    """{% for points, label in application.priority_lines|priority_lines %}"""
    return priority.explained(lines or [])
