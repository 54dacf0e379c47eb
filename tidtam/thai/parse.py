"""Reading numbers and dates the way Thai users type them.

Offices copy figures out of their own Word and Excel documents, which print
numbers with thousands separators, in Arabic or Thai digits, sometimes with a
trailing "%", and dates as "10 มิถุนายน 2565", "10 มิ.ย. 2565" or
"10/6/2565". These parsers accept exactly that and nothing looser: a
misplaced separator ("12,3,4") is how a mistyped figure shows itself, so it is
refused with a Thai message that says what is wrong, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from tidtam.thai.dates import BE_OFFSET, MONTHS, MONTHS_SHORT
from tidtam.thai.numbers import to_arabic_digits

# Users paste from documents: NBSP and thin spaces come along with the figure.
_SPACES = "\u00a0\u2007\u202f\u200b"
# Word turns "-" into a typographic minus or dash.
_MINUS = "\u2212\u2013\u2014"

_NUMBER = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?", re.ASCII)

# A year from 2400 up is Buddhist Era: no date this system handles is in CE
# 2400, and no BE year is below it (BE 2400 = CE 1857).
BE_THRESHOLD = 2400


def _clean(text: str) -> str:
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return to_arabic_digits(text).strip()


def _invalid_number(original: str, reason: str) -> ValueError:
    return ValueError(f"'{original}' ไม่ใช่ตัวเลขที่ถูกต้อง: {reason}")


def parse_number(text: str) -> Decimal:
    """The number a user typed: "๑๒,๓๔๕" → 12345, "-1,234.50" → -1234.50, "93.12%" → 93.12.

    The percent sign is only tolerated (percent elements store the percentage
    itself, so "93.12%" and "93.12" mean the same). Separators must fall every
    three digits from the right of the integer part; the decimal part has none.
    The result keeps the decimals as typed ("1.50" stays Decimal("1.50")).
    """
    original = text.strip()
    s = _clean(text)
    if not s:
        raise ValueError("กรุณากรอกตัวเลข")
    if s.endswith("%"):
        s = s[:-1].rstrip()
    negative = False
    if s[:1] in ("-", *_MINUS):
        negative = True
        s = s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    if not s:
        raise _invalid_number(original, "ไม่มีตัวเลข")
    match = _NUMBER.fullmatch(s)
    if match is None:
        raise _invalid_number(original, _why_not_a_number(s))
    digits = match["int"].replace(",", "")
    if match["frac"] is not None:
        digits += "." + match["frac"]
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise _invalid_number(original, "อ่านค่าไม่ได้") from None
    # "-0" is zero: a sign on zero would print as "-0" later.
    return -value if negative and value != 0 else value


def _why_not_a_number(s: str) -> str:
    """Name the first problem a reporter can fix, in the order they'd notice it."""
    if " " in s:
        return "มีช่องว่างอยู่ระหว่างตัวเลข"
    if s.count(".") > 1:
        return "มีจุดทศนิยมมากกว่าหนึ่งจุด"
    bad = next((ch for ch in s if ch not in "0123456789,."), None)
    if bad is not None:
        if bad in "-+" + _MINUS:
            return "เครื่องหมายลบต้องอยู่หน้าตัวเลขเท่านั้น"
        if bad == "%":
            return "เครื่องหมาย % ต้องอยู่ท้ายตัวเลขเท่านั้น"
        return f"มีอักขระ '{bad}' ที่ไม่ใช่ตัวเลข"
    integer, _, frac = s.partition(".")
    if "," in frac:
        return "หลังจุดทศนิยมต้องไม่มีเครื่องหมายจุลภาค (,)"
    if not integer:
        return "ต้องมีตัวเลขหน้าจุดทศนิยม เช่น 0.5"
    if "." in s and not frac:
        return "ต้องมีตัวเลขหลังจุดทศนิยม"
    return "เครื่องหมายจุลภาค (,) ต้องคั่นทุกสามหลักนับจากขวา เช่น 12,345 หรือ 1,234,567"


def _month_key(name: str) -> str:
    # "มิ.ย.", "มิ.ย", "มิย" and "มิ. ย." are the same month to a reader.
    return name.replace(".", "").replace(" ", "")


_MONTHS_BY_NAME: dict[str, int] = {}
for _number, (_full, _short) in enumerate(zip(MONTHS, MONTHS_SHORT, strict=True), start=1):
    _MONTHS_BY_NAME[_month_key(_full)] = _number
    _MONTHS_BY_NAME[_month_key(_short)] = _number

_NAMED_DATE = re.compile(
    r"(?P<day>\d{1,2})\s*(?P<month>[^\d\s][^\d]*?)\s*(?P<year>\d+)", re.ASCII
)
_NUMERIC_DATE = re.compile(
    r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d+)", re.ASCII
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_BE_PREFIX = re.compile(r"\s*(?:พ\.\s*ศ\.|พศ\.?)\s*")


def _invalid_date(original: str, reason: str) -> ValueError:
    return ValueError(f"'{original}' ไม่ใช่วันที่ที่ถูกต้อง: {reason}")


def parse_thai_date(text: str) -> dt.date:
    """A date as Thai documents write it: "10 มิถุนายน 2565", "10 มิ.ย. 2565", "10/6/2565".

    Thai digits are fine, and "พ.ศ." before the year is ignored. A year ≥ 2400
    is Buddhist Era, anything below is Christian Era ("10/6/2022"). The ISO
    form "2022-06-10" (what a browser's date picker sends) is accepted too,
    with the same rule for the year.
    """
    original = text.strip()
    s = _clean(text)
    if not s:
        raise ValueError("กรุณากรอกวันที่")
    s = _BE_PREFIX.sub(" ", s).strip()
    s = re.sub(r"^วันที่\s*", "", s)
    if (m := _ISO_DATE.fullmatch(s)) or (m := _NUMERIC_DATE.fullmatch(s)):
        day, month, year_text = int(m["day"]), int(m["month"]), m["year"]
    elif m := _NAMED_DATE.fullmatch(s):
        day, year_text = int(m["day"]), m["year"]
        name = m["month"].strip()
        found = _MONTHS_BY_NAME.get(_month_key(name))
        if found is None:
            raise _invalid_date(
                original, f"ไม่รู้จักชื่อเดือน '{name}' (เช่น มิถุนายน หรือ มิ.ย.)"
            )
        month = found
    else:
        raise _invalid_date(
            original, "ต้องเขียนเป็น วัน เดือน ปี เช่น 10 มิถุนายน 2565, 10 มิ.ย. 2565 หรือ 10/6/2565"
        )
    if len(year_text) != 4:
        raise _invalid_date(original, "ต้องระบุปีเป็นตัวเลขสี่หลัก เช่น 2565")
    year = int(year_text)
    ce = year - BE_OFFSET if year >= BE_THRESHOLD else year
    if not 1 <= month <= 12:
        raise _invalid_date(original, f"ไม่มีเดือนที่ {month} (เดือนต้องอยู่ระหว่าง 1 ถึง 12)")
    try:
        return dt.date(ce, month, day)
    except ValueError:
        be = ce + BE_OFFSET
        raise _invalid_date(
            original, f"เดือน{MONTHS[month - 1]} พ.ศ. {be} ไม่มีวันที่ {day}"
        ) from None
