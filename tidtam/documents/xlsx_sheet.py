"""The result sheet as a workbook: one worksheet per part, numbers as numbers."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tidtam.cells import append_row

FONT = "Sarabun"
THIN = Side(style="thin", color="666666")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")


def _num(text: str | None) -> Decimal | str:
    """Averages arrive as printed strings ("3.50"); store them as numbers."""
    return "-" if text is None else Decimal(text)


def _write(ws: Worksheet, rows: list[list[Any]], widths: list[int], header_rows: int = 1) -> None:
    for r in rows:
        append_row(ws, r)
    for row in ws.iter_rows(min_row=ws.max_row - len(rows) + 1, max_row=ws.max_row):
        for cell in row:
            cell.font = Font(name=FONT, bold=cell.row <= header_rows)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BORDER
            if cell.row <= header_rows:
                cell.fill = HEAD_FILL
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(row=header_rows + 1, column=1)


def sheet_xlsx(sheet: dict[str, Any]) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "สรุป"
    rows: list[list[Any]] = [["ผลการประเมิน", "ระดับคุณภาพ"]]
    rows += [[item["title"], item["label"] or "-"] for item in sheet["summary"]["items"]]
    rows += [[], [f"หน่วยงาน: {sheet['office']['name_th']} ({sheet['office']['code']})"],
             [f"ปีงบประมาณ พ.ศ. {sheet['fiscal_year']}"]]
    _write(summary, rows, [90, 16])

    for code in sheet["frameworks"]:
        block = sheet[code]
        ws = wb.create_sheet((block["abbr"] or code).split(":")[-1].strip()[:28] or code)
        if block["layout"] == "rounds":
            rounds = block["rounds"]
            rows = [["รหัส", "ตัวชี้วัด", *(r["label"] for r in rounds), "ค่าคะแนนเฉลี่ย",
                     "คำอธิบายระดับคุณภาพ"]]
            for row in block["rows"]:
                rows.append([row["code"], row["title"],
                             *(row["rounds"][r["code"]] if row["rounds"][r["code"]] is not None
                               else "-" for r in rounds),
                             _num(row["average"]), row["label"] or "-"])
            o = block["overall"]
            rows.append(["", f"คะแนนเฉลี่ยรวม {o['count']} ตัวชี้วัด", *([""] * len(rounds)),
                         _num(o["average"]), o["label"] or "-"])
            _write(ws, rows, [8, 70, *([12] * len(rounds)), 14, 20])
        elif block["layout"] == "rated_and_target":
            rows = [["รหัส", "ตัวชี้วัด", "วิธีประเมิน", "ระดับคุณภาพ", "คำอธิบายระดับคุณภาพ",
                     "ค่าเป้าหมาย", "ผลการดำเนินการที่ได้", "การแปลผล"]]
            for row in block["rated"]["rows"]:
                rows.append([row["code"], row["title"], "ระดับคุณภาพ", row["level"] or "",
                             row["label"] or "", "", "", ""])
            for row in block["target"]["rows"]:
                rows.append([row["code"], row["title"], "เทียบค่าเป้าหมาย", "", "",
                             Decimal(row["target"]), Decimal(row["actual"]),
                             row["result_label"] or "-"])
            for row in block["notes"]:
                rows.append([row["code"], row["title"], "เทียบค่าเป้าหมาย", "", "", "", "",
                             row["status_label"] or ""])
            o = block["rated"]["overall"]
            rows.append(["", f"คะแนนเฉลี่ยรวม {o['count']} ตัวชี้วัด", "", _num(o["average"]),
                         o["label"] or "-", "", "", ""])
            _write(ws, rows, [8, 70, 16, 12, 18, 12, 14, 12])
        else:
            rows = [["รหัส", "มาตรฐาน/ตัวบ่งชี้/ประเด็นการพิจารณา", "ระดับคุณภาพ",
                     "คำอธิบายระดับคุณภาพ", "ระดับที่ระบบคำนวณ"]]
            for row in block["rows"]:
                level: Any = row["level"] if row["level"] is not None else ""
                label = row["label"] or ""
                if row["status"] == "monitored":
                    level, label = "", "ติดตามแต่ไม่ประเมินผล"
                suggestion = row.get("suggestion", {}).get("level") or ""
                text = "    " * row["depth"] + f"{row['heading']} {row['title']}"
                rows.append([row["code"], text, level, label, suggestion])
            o = block["overall"]
            rows.append(["", f"คะแนนรวมของภาพรวม ({o['count']} มาตรฐาน)", o["level"] or "-",
                         o["label"] or "-", o.get("suggestion", {}).get("level") or ""])
            _write(ws, rows, [10, 80, 12, 22, 16])

    if sheet["recommendations"]:
        ws = wb.create_sheet("ข้อเสนอแนะ")
        rows = [["กรอบ", "รหัส", "ตัวชี้วัด", "ข้อเสนอแนะ"]]
        rows += [[r["framework"], r["code"], r["title"], r["text"]]
                 for r in sheet["recommendations"]]
        _write(ws, rows, [8, 8, 50, 100])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
