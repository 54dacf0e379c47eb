"""Cells of the spreadsheets tidtam writes (CSV and XLSX): typed text stays text.

A quarter's activities or a recommendation is typed by a user; one that begins
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which Excel
skips before reading the rest) would open in a spreadsheet as a live formula
— ``=HYPERLINK("…")`` a link to anywhere, ``=cmd|…`` worse. Every writer puts
its rows through here: in a CSV such text gets a leading apostrophe (how
Excel itself marks "this is text"); in an XLSX it is stored as a string cell
with Excel's quote prefix, so it shows exactly as typed and stays text even
when the cell is edited. Numbers, including negative ones, are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported by the writers, when a workbook is made
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "-1,234.50", "+5", "93.12%", and the dash the sheets print for "no value".
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*)?(?:\.\d+)?%?|-")
# The control characters XML (so XLSX) can't hold; openpyxl refuses a cell with one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def starts_formula(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula (and it isn't just a number)?"""
    return text.startswith(FORMULA_START) and _NUMBER.fullmatch(text.strip()) is None


def csv_cell(value: Any) -> Any:
    """A value for ``csv.writer``: risky text as ``'text``, anything else unchanged."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append`` that keeps text as text.

    Characters XML can't hold (a control character pasted into a narrative)
    are dropped rather than let openpyxl refuse the whole workbook.
    """
    row = [_NOT_XML.sub("", v) if isinstance(v, str) else v for v in values]
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and starts_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
