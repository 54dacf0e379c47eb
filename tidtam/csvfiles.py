"""Reading CSV files that people made in Excel or Google Sheets.

Imports are all-or-nothing: every row is checked first, every problem is
reported with its row number (the header is row 1, as a spreadsheet shows it)
in Thai, and nothing is written unless the whole file is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tidtam.limits import OutOfLimits, check_text


@dataclass(frozen=True)
class RowError:
    row: int  # 0 = the file as a whole
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return f"แถวที่ {self.row}: {self.message}"


class ImportFailed(Exception):
    """The file was refused; nothing was written."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def report(self) -> str:
        head = f"นำเข้าไม่สำเร็จ: พบข้อผิดพลาด {len(self.errors)} รายการ ไม่มีการบันทึกข้อมูลใด ๆ"
        return "\n".join([head, *(f"- {e}" for e in self.errors)])


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) only; say which encoding it looks like otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("cp874")
            hint = " ไฟล์นี้น่าจะเข้ารหัสแบบ TIS-620/Windows-874 (ค่าเริ่มต้นของ Excel ภาษาไทย)"
        except UnicodeDecodeError:
            hint = ""
        raise ImportFailed([RowError(0, (
            f"ไฟล์ไม่ได้เข้ารหัสแบบ UTF-8 (อ่านไม่ได้ตั้งแต่บรรทัดที่ {line}).{hint} "
            "กรุณาบันทึกใหม่เป็น CSV UTF-8"
        ))]) from exc


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells); a record the csv module can't read is refused with its row.

    A cell longer than the csv module's limit (131,072 characters, far beyond
    any name or note) or a quote left open to the end of the file would
    otherwise surface as a ``_csv.Error`` traceback.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = csv.field_size_limit()
            if "field larger than field limit" in str(exc):
                why = f"มีช่องข้อมูลยาวเกิน {limit:,} ตัวอักษร"
            else:
                why = "อ่านเป็น CSV ไม่ได้ (เครื่องหมายคำพูดไม่ครบคู่หรือมีอักขระแปลกปน)"
            raise ImportFailed([RowError(number, f"{why} ไม่มีการบันทึกข้อมูลใด ๆ")]) from None
        yield number, cells


def read_rows(
    data: bytes, required: Iterable[str], optional: Iterable[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """Rows as (row number, {column: stripped value}); unknown columns are refused.

    Every cell is checked as text (``tidtam.limits.check_text``): a NUL or
    another control character is refused here, for every importer alike.
    """
    text = decode(data)
    reader = _records(text)
    try:
        _, header = next(reader)
    except StopIteration:
        raise ImportFailed([RowError(0, "ไฟล์ว่างเปล่า ไม่มีหัวตาราง")]) from None
    header = [h.strip().lower() for h in header]
    required = list(required)
    allowed = set(required) | set(optional)
    problems: list[RowError] = []
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(RowError(1, f"ไม่พบคอลัมน์ที่จำเป็น: {', '.join(missing)}"))
    unknown = [c for c in header if c and c not in allowed]
    if unknown:
        problems.append(RowError(1, (
            f"ไม่รู้จักคอลัมน์: {', '.join(unknown)} "
            f"(คอลัมน์ที่ใช้ได้: {', '.join(sorted(allowed))})"
        )))
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    if dupes:
        problems.append(RowError(1, f"คอลัมน์ซ้ำ: {', '.join(dupes)}"))
    if problems:
        raise ImportFailed(problems)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in reader:
        if not any(c.strip() for c in cells):
            continue  # blank lines are what spreadsheets leave at the end
        if len(cells) > len(header):
            problems.append(RowError(number, (
                f"มี {len(cells)} ช่อง แต่หัวตารางมี {len(header)} คอลัมน์ "
                "(ข้อความที่มีจุลภาคต้องอยู่ในเครื่องหมายคำพูด)"
            )))
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        try:
            values = {h: check_text(v, f"คอลัมน์ {h}") for h, v in values.items()}
        except OutOfLimits as exc:
            problems.append(RowError(number, exc.message))
            continue
        rows.append((number, values))
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise ImportFailed([RowError(0, "ไฟล์มีแต่หัวตาราง ไม่มีข้อมูล")])
    return rows
