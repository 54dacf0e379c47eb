"""Turning what a reporter typed into the value of a measure.

The store keeps the text as typed (so nothing is lost on an error) beside the
value this returns, which is what documents print and rules read;
``ValueError`` carries the Thai message to show beside the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tidtam.measures.models import ValueType
from tidtam.thai.parse import parse_number, parse_thai_date


def parse_value(value_type: str, text: str) -> Decimal | dt.date | list[str] | str | None:
    """Parse input for an element of ``value_type`` (a ``ValueType`` value).

    Blank input is "not answered" (None), except for a list, where blank means
    "nothing listed": an office with no quality schools lists none, and a rule
    comparing the list with a stated count must still see that.
    """
    if value_type == ValueType.LIST:
        return [line.strip() for line in text.splitlines() if line.strip()]
    if not text.strip():
        return None
    if value_type == ValueType.TEXT:
        return text.strip()
    if value_type == ValueType.DATE:
        return parse_thai_date(text)
    number = parse_number(text)
    if value_type == ValueType.PERCENT and not 0 <= number <= 100:
        raise ValueError(f"ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 แต่พบ {text.strip()}")
    if value_type in (ValueType.INTEGER, ValueType.MONEY) and number < 0:
        raise ValueError(f"'{text.strip()}' ต้องไม่ติดลบ")
    if value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueError(f"'{text.strip()}' ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม")
    if value_type == ValueType.INTEGER:
        return number.quantize(Decimal(1))
    exponent = number.as_tuple().exponent
    if value_type == ValueType.MONEY and isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"'{text.strip()}' จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (สตางค์)")
    if value_type not in ValueType.values:
        raise ValueError(f"ไม่รู้จักประเภทข้อมูล '{value_type}'")
    return number
