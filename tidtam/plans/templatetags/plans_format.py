"""``money``: baht with thousands separators and satang, half-up (12,500.50)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tidtam.thai.numbers import fmt_decimal

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    return fmt_decimal(value, 2, grouping=True)
