"""Typed input per element type: what the form stores and the rules read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tidtam.measures.values import parse_value


@pytest.mark.parametrize(("value_type", "text", "expected"), [
    ("integer", "๑๒,๓๔๕", Decimal(12345)),
    ("integer", "1,540.00", Decimal(1540)),
    ("decimal", "312.923", Decimal("312.923")),
    ("percent", "93.12%", Decimal("93.12")),
    ("money", "348,445.50", Decimal("348445.50")),
    ("date", "10 มิ.ย. 2566", dt.date(2023, 6, 10)),
    ("text", "  ข้อความ  ", "ข้อความ"),
    ("list", "โรงเรียน ก\n\n โรงเรียน ข \n", ["โรงเรียน ก", "โรงเรียน ข"]),
    ("list", "", []),  # nothing listed is an answer
    ("integer", "   ", None),  # not answered
    ("date", "", None),
])
def test_parse_value(value_type: str, text: str, expected: object) -> None:
    assert parse_value(value_type, text) == expected


@pytest.mark.parametrize(("value_type", "text", "reason"), [
    ("integer", "12,3,4", "ไม่ใช่ตัวเลขที่ถูกต้อง"),
    ("integer", "12.5", "ต้องเป็นจำนวนเต็ม"),
    ("money", "10.505", "ไม่เกิน 2 ตำแหน่ง"),
    ("date", "31 ก.พ. 2566", "ไม่มีวันที่ 31"),
    ("colour", "1", "ไม่รู้จักประเภทข้อมูล"),
])
def test_bad_input_gets_a_thai_message(value_type: str, text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_value(value_type, text)
