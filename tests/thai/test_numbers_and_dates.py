"""Thai numbers and dates: half-up rounding, Thai digits, BE and fiscal years."""

import datetime as dt
from decimal import Decimal

from tidtam.thai.dates import fiscal_year_bounds, fiscal_year_of, thai_date
from tidtam.thai.numbers import fmt_decimal, to_arabic_digits, to_thai_digits


def test_half_up_not_bankers() -> None:
    assert fmt_decimal(Decimal("2.345")) == "2.35"
    assert fmt_decimal(Decimal("2.355")) == "2.36"
    assert fmt_decimal(Decimal(46) / Decimal(12)) == "3.83"
    assert fmt_decimal(Decimal("318223938"), grouping=True) == "318,223,938.00"
    assert fmt_decimal(None) == "-"


def test_thai_digits_round_trip() -> None:
    assert to_thai_digits("2566") == "๒๕๖๖"
    assert to_arabic_digits("๓๑๘,๒๒๓,๙๓๘") == "318,223,938"


def test_fiscal_year() -> None:
    assert fiscal_year_of(dt.date(2022, 10, 1)) == 2566
    assert fiscal_year_of(dt.date(2023, 9, 30)) == 2566
    assert fiscal_year_of(dt.date(2023, 10, 1)) == 2567
    assert fiscal_year_bounds(2566) == (dt.date(2022, 10, 1), dt.date(2023, 9, 30))


def test_thai_date() -> None:
    assert thai_date(dt.date(2022, 6, 10)) == "10 มิถุนายน 2565"
    assert thai_date(dt.date(2022, 6, 10), short=True) == "10 มิ.ย. 2565"
