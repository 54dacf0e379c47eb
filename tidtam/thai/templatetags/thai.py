"""Template filters for Thai output: BE years, Thai dates, fixed decimals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from tidtam.thai.dates import be_year, thai_date
from tidtam.thai.numbers import fmt_decimal, to_thai_digits

register = template.Library()


@register.filter
def be(value: dt.date | dt.datetime | int | None) -> str:
    """The Buddhist-era year of a date, or of a CE year number."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(be_year(value))
    return str(be_year(value.year))


@register.filter
def thaidate(value: dt.date | dt.datetime | None, arg: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{thai_date(value.date(), short=arg == 'short')} {value:%H:%M} น."
    return thai_date(value, short=arg == "short")


@register.filter
def dec(value: Decimal | int | None, places: int = 2) -> str:
    return fmt_decimal(value, int(places))


@register.filter
def thaidigits(value: object) -> str:
    return to_thai_digits(str(value))


@register.filter
def get_item(mapping: dict | None, key: object) -> object:
    """``{{ answers|get_item:code }}``: dictionary lookup with a variable key."""
    if not mapping:
        return None
    return mapping.get(key)
