"""Buddhist-era years, fiscal years and Thai dates."""

from __future__ import annotations

import datetime as dt

BE_OFFSET = 543

MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """The Thai fiscal year (BE) a date falls in: it starts on 1 October."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year: FY2566 is 1 Oct 2022 – 30 Sep 2023."""
    end_ce = ce_year(fiscal_year_be)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def thai_date(day: dt.date, *, short: bool = False) -> str:
    """"10 มิถุนายน 2565" or, short, "10 มิ.ย. 2565"."""
    months = MONTHS_SHORT if short else MONTHS
    return f"{day.day} {months[day.month - 1]} {be_year(day.year)}"


def thai_datetime(value: dt.datetime, *, short: bool = False) -> str:
    """"10 มิ.ย. 2565 14:05 น." in the site's time zone (Asia/Bangkok), not UTC."""
    from django.utils import timezone

    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai_date(value.date(), short=short)} {value:%H:%M} น."
