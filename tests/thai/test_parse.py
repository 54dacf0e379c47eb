"""Numbers and dates as Thai users type them (issue 3: "๑๒,๓๔๕" is valid, "12,3,4" is not)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.thai.dates import thai_date
from tidtam.thai.numbers import to_thai_digits
from tidtam.thai.parse import parse_number, parse_thai_date

# Figures an office might report: counts up to national totals, money to satang.
decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"),
    allow_nan=False, allow_infinity=False, places=4,
)


@given(decimals)
def test_grouped_decimal_round_trips(value: Decimal) -> None:
    assert parse_number(f"{value:,f}") == value


@given(decimals)
def test_grouped_thai_digits_round_trip(value: Decimal) -> None:
    assert parse_number(to_thai_digits(f"{value:,f}")) == value


@given(st.integers(min_value=0, max_value=10**15))
def test_ungrouped_integer_round_trips(value: int) -> None:
    assert parse_number(str(value)) == value


@pytest.mark.parametrize(("text", "expected"), [
    ("๑๒,๓๔๕", Decimal("12345")),
    ("12,345", Decimal("12345")),
    ("12345", Decimal("12345")),
    ("6,570,003", Decimal("6570003")),
    ("  363,524 ", Decimal("363524")),
    ("93.12%", Decimal("93.12")),
    ("93.12 %", Decimal("93.12")),
    ("๙๓.๑๒", Decimal("93.12")),
    ("-1,234.50", Decimal("-1234.50")),
    ("−7", Decimal("-7")),  # Word's typographic minus
    ("\u00a01,540\u00a0", Decimal("1540")),  # NBSP pasted with the figure
    ("0.5", Decimal("0.5")),
    ("-0", Decimal("0")),
])
def test_accepts_what_users_type(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


def test_keeps_the_decimals_as_typed() -> None:
    assert str(parse_number("1.50")) == "1.50"


@pytest.mark.parametrize(("text", "reason"), [
    ("12,3,4", "ทุกสามหลัก"),
    ("1,23", "ทุกสามหลัก"),
    ("1234,567", "ทุกสามหลัก"),
    (",123", "ทุกสามหลัก"),
    ("1.2.3", "มากกว่าหนึ่งจุด"),
    ("1.234,5", "หลังจุดทศนิยม"),
    ("1 234", "ช่องว่าง"),
    ("12a", "'a'"),
    ("5-", "เครื่องหมายลบ"),
    ("5%5", "%"),
    (".5", "หน้าจุดทศนิยม"),
    ("5.", "หลังจุดทศนิยม"),
    ("-", "ไม่มีตัวเลข"),
])
def test_refuses_with_a_thai_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_number(text)
    message = str(err.value)
    assert message.startswith(f"'{text}' ไม่ใช่ตัวเลขที่ถูกต้อง: ")
    assert reason in message


def test_empty_number_asks_for_one() -> None:
    with pytest.raises(ValueError, match="กรุณากรอกตัวเลข"):
        parse_number("   ")


@pytest.mark.parametrize("text", [
    "10 มิถุนายน 2565",
    "10 มิ.ย. 2565",
    "10 มิ.ย.2565",
    "10 มิย 2565",
    "10/6/2565",
    "10/06/2565",
    "10-6-2565",
    "๑๐ มิถุนายน ๒๕๖๕",
    "๑๐/๖/๒๕๖๕",
    "วันที่ 10 มิถุนายน พ.ศ. 2565",
    "10/6/2022",  # CE below 2400
    "2022-06-10",  # a browser's date picker
])
def test_dates_as_documents_write_them(text: str) -> None:
    assert parse_thai_date(text) == dt.date(2022, 6, 10)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), st.booleans())
def test_thai_date_round_trips(day: dt.date, short: bool) -> None:
    printed = thai_date(day, short=short)
    assert parse_thai_date(printed) == day
    assert parse_thai_date(to_thai_digits(printed)) == day


@pytest.mark.parametrize(("text", "reason"), [
    ("31 ก.พ. 2566", "ไม่มีวันที่ 31"),
    ("29/2/2566", "ไม่มีวันที่ 29"),
    ("10 มิถุนา 2565", "ไม่รู้จักชื่อเดือน 'มิถุนา'"),
    ("10/13/2565", "ไม่มีเดือนที่ 13"),
    ("10/6/65", "สี่หลัก"),
    ("เมื่อวานนี้", "วัน เดือน ปี"),
])
def test_bad_dates_are_named(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_thai_date(text)
    assert str(err.value).startswith(f"'{text}' ไม่ใช่วันที่ที่ถูกต้อง: ")
    assert reason in str(err.value)


def test_leap_day_of_a_be_year() -> None:
    assert parse_thai_date("29 ก.พ. 2567") == dt.date(2024, 2, 29)
