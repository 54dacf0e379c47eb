"""Quarterly progress per project as an officer uploads or copies it into eMENSCR.

One row per project and quarter, in plan order. Money is in baht with
satang; the cumulative columns add the quarters up to the row's quarter. The
columns are documented in tidtam/plans/README.md (keep the two in step).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from tidtam.cells import append_row, csv_row
from tidtam.plans.models import Plan, Project, percent
from tidtam.thai.numbers import fmt_decimal, quantize

COLUMNS = [
    ("fiscal_year", "ปีงบประมาณ"),
    ("office", "หน่วยงาน"),
    ("project_no", "ลำดับโครงการ"),
    ("project", "ชื่อโครงการ"),
    ("group", "กลุ่มงานที่รับผิดชอบ"),
    ("owner", "ผู้รับผิดชอบ"),
    ("quarter", "ไตรมาส"),
    ("budget", "งบประมาณโครงการ (บาท)"),
    ("planned", "แผนการใช้จ่ายในไตรมาส (บาท)"),
    ("spent", "ผลการใช้จ่ายในไตรมาส (บาท)"),
    ("spent_to_date", "ผลการใช้จ่ายสะสม (บาท)"),
    ("spent_pct", "ร้อยละการใช้จ่ายสะสมต่องบประมาณ"),
    ("activities", "กิจกรรมที่ดำเนินการ"),
    ("indicators", "ผลตัวชี้วัดถึงปัจจุบัน"),
    ("problems", "ปัญหา อุปสรรค"),
    ("state", "สถานะรายงาน"),
]
MONEY = {"budget", "planned", "spent", "spent_to_date"}


def _indicators(project: Project, actuals: dict[str, str]) -> str:
    parts = []
    for indicator in project.figured_indicators():
        raw = actuals.get(str(indicator.pk))
        if raw is not None:
            parts.append(f"{indicator.name}: {fmt_decimal(Decimal(raw))} "
                         f"(เป้าหมาย {fmt_decimal(indicator.target_value)} {indicator.target_unit})")
    return "; ".join(parts)


def rows(plan: Plan, quarter: int | None = None) -> Iterator[dict[str, object]]:
    """Rows with exact values (Decimal money); ``quarter`` limits them to one quarter."""
    quarters = [quarter] if quarter else [1, 2, 3, 4]
    for project in plan.projects.prefetch_related("progress", "indicators"):
        planned = project.planned_by_quarter()
        for q in quarters:
            report = project.progress_for(q)
            if report is None:
                continue
            to_date = project.spent_until(q)
            yield {
                "fiscal_year": plan.fiscal_year,
                "office": plan.office.name_th,
                "project_no": project.number,
                "project": project.title,
                "group": project.responsible_group,
                "owner": project.owner_name,
                "quarter": q,
                "budget": project.budget,
                "planned": planned[q - 1],
                "spent": report.money_spent,
                "spent_to_date": to_date,
                "spent_pct": percent(to_date, project.budget),
                "activities": report.activities_done,
                "indicators": _indicators(project, report.indicator_actuals),
                "problems": report.problems,
                "state": report.get_state_display(),
                # not columns: what an API client saves against
                "project_id": project.pk, "version": report.version,
            }


def as_text(key: str, value: object) -> str:
    if value is None:
        return ""
    if key in MONEY and isinstance(value, Decimal):
        return fmt_decimal(value, 2)
    if key == "spent_pct" and isinstance(value, Decimal):
        return fmt_decimal(value, 2)
    return str(value)


def to_csv(plan: Plan, quarter: int | None = None) -> bytes:
    """UTF-8 with a BOM, so Excel on a Thai Windows opens it without mojibake."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    for row in rows(plan, quarter):
        writer.writerow(csv_row(as_text(key, row[key]) for key, _ in COLUMNS))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(plan: Plan, quarter: int | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"eMENSCR {plan.fiscal_year}"
    ws.append([label for _, label in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(plan, quarter):
        values: list[object] = []
        for key, _ in COLUMNS:
            value = row[key]
            if isinstance(value, Decimal):
                # numbers stay numbers in the sheet, rounded half-up to what is shown
                values.append(float(quantize(value)))
            else:
                values.append(value if value is not None else "")
        append_row(ws, values)
    for key_index, (key, _) in enumerate(COLUMNS, start=1):
        if key in MONEY or key == "spent_pct":
            for col in ws.iter_cols(min_col=key_index, max_col=key_index, min_row=2):
                for cell in col:
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
