"""Two lists of children out of school, 30 rows in all, with valid generated IDs.

List ก (a school cluster's CSV, 15 rows) and list ข (กสศ.'s XLSX, 15 rows):
the child of row 2 of list ก is on list ข too (one child, one case), and one
child of list ข is listed under another affiliation (สช.: moved, 002 L931).
30 rows → 29 cases, one duplicate, one closed as moved.
"""

from __future__ import annotations

import csv
import io

from tidtam.children.nationalid import generate

HEADER = ["national_id", "first_name", "last_name", "birth_date", "org_code", "affiliation",
          "grade", "address", "source_agency"]
SCHOOLS = ["SCH-1", "SCH-2", "SCH-3", "SCH-4", "SCH-5"]
FIRST = ["สมชาย", "สมหญิง", "วีระ", "มานี", "ปิติ", "ชูใจ", "ดวงใจ", "ประยุทธ", "กานดา", "อำนาจ"]
LAST = ["ทดสอบดี", "ใจงาม", "มีสุข", "รักเรียน", "ศรีสวัสดิ์"]
DUPLICATE = 0     # list ข's first row is list ก's first child
MOVED_ROW = 7     # list ข's eighth child is now of another affiliation


def child(n: int) -> list[str]:
    return [generate("3520", 500000 + n * 37), f"เด็กทดสอบ{FIRST[n % 10]}{n}",
            LAST[n % 5], f"{2007 + n % 5}-0{1 + n % 9}-1{n % 10}", SCHOOLS[n % 5], "สพฐ.",
            f"ม.{1 + n % 6}", f"{n} หมู่ {n % 9 + 1} ต.ทดสอบ", "โรงเรียน"]


def list_a() -> list[list[str]]:
    return [child(n) for n in range(15)]


def list_b() -> list[list[str]]:
    rows = [child(DUPLICATE)] + [child(n) for n in range(15, 29)]
    rows[MOVED_ROW][5] = "สช."
    for r in rows:
        r[8] = "กสศ."
    return rows


def as_csv(rows: list[list[str]], *, bom: bool = True, header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "วันเกิด", "รหัสสถานศึกษา/หน่วยงาน",
               "สังกัด", "ชั้นเรียน", "ที่อยู่", "แหล่งที่มา"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
