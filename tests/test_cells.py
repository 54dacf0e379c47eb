"""Spreadsheet cells: typed text that looks like a formula stays text; numbers stay numbers."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from tidtam.cells import append_row, csv_row, starts_formula


def test_what_counts_as_a_formula() -> None:
    for risky in ("=1+1", '=HYPERLINK("http://x","คลิก")', "+66 81", "-2+3", "@SUM(A1)",
                  "\t=1+1", "\r=1"):
        assert starts_formula(risky), risky
    for plain in ("ประชุม", "-", "-1,234.50", "+5", "93.12%", "3.50", "", "a=b"):
        assert not starts_formula(plain), plain


def test_csv_gets_an_apostrophe_before_risky_text_only() -> None:
    assert csv_row(['=HYPERLINK("x")', "-1,234.50", "-", "@x", 5, None]) == [
        "'=HYPERLINK(\"x\")", "-1,234.50", "-", "'@x", 5, None]


def test_xlsx_stores_risky_text_as_a_quoted_string() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    append_row(ws, ['=HYPERLINK("http://x","y")', "+1 ขั้นตอน", "ปกติ\x0bเส้น", 3.5, "-"])
    out = io.BytesIO()
    wb.save(out)
    cells = list(load_workbook(io.BytesIO(out.getvalue())).active[1])  # type: ignore[index]
    assert [(c.value, c.data_type) for c in cells] == [
        ('=HYPERLINK("http://x","y")', "s"), ("+1 ขั้นตอน", "s"), ("ปกติเส้น", "s"),
        (3.5, "n"), ("-", "s")]
    assert [c.quotePrefix for c in cells[:2]] == [True, True]
