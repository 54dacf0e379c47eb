"""Template filters for Thai output: BE years, Thai dates, fixed decimals."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from tidtam.thai.dates import be_year, thai_date, thai_datetime
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
        return thai_datetime(value, short=arg == "short")
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


_HYPHENATED = re.compile(r"(\S+-\S+)")


@register.filter(needs_autoescape=True)
def nobreak_hyphen(value: object, autoescape: bool = True) -> str:
    """Keep "O-NET" on one line: a line break after its hyphen reads back as "ONET"
    from PDF text extractors that undo end-of-line hyphenation."""
    text = conditional_escape(str(value)) if autoescape else str(value)
    return mark_safe(_HYPHENATED.sub(r'<span class="nowrap">\1</span>', str(text)))
