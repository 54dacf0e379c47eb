"""Lists of children out of school, from CSV (UTF-8) or XLSX, into one case per child.

All or nothing: every row is checked first (the ID's checksum, the unit's
code and the importer's right to handle it, the dates, the lengths); one bad
row refuses the whole file with a Thai message per row naming the column, and
nothing is stored. A file in another encoding (TIS-620/Windows-874, what Thai
Excel saves by default) is refused the same way.

A child is matched by the keyed hash of the ID: a child already on an
earlier list (or twice on this one) is the same case, reported as a
duplicate; a list naming another affiliation for the child closes the case as
moved (002 L931) and reports it. Nothing personal goes to the summary, the
audit log or the messages: case ids and masked IDs only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from tidtam.accounts.permissions import AnyUser
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.children import indicators
from tidtam.children.loader import own_affiliations
from tidtam.children.models import Case, ImportBatch, Listing
from tidtam.children.nationalid import keyed_hash, mask, normalise, problem
from tidtam.children.privacy import handles
from tidtam.children.steps import close_as_moved
from tidtam.csvfiles import ImportFailed, RowError, decode
from tidtam.limits import OutOfLimits, check_text
from tidtam.orgs.models import OrgUnit

# column → (its Thai heading, also accepted in the header row; the longest text it takes).
COLUMNS: dict[str, tuple[str, int]] = {
    "national_id": ("เลขประจำตัวประชาชน", 20),
    "first_name": ("ชื่อ", 100),
    "org_code": ("รหัสสถานศึกษา/หน่วยงาน", 32),
    "last_name": ("นามสกุล", 100),
    "birth_date": ("วันเกิด", 20),
    "affiliation": ("สังกัด", 120),
    "grade": ("ชั้นเรียน", 40),
    "address": ("ที่อยู่", 500),
    "source_agency": ("แหล่งที่มา", 120),
}
REQUIRED = ("national_id", "first_name", "org_code")
HEADINGS = {**{c: c for c in COLUMNS}, **{th: c for c, (th, _n) in COLUMNS.items()}}


@dataclass
class ListRow:
    row: int
    digits: str
    org: OrgUnit
    values: dict[str, Any]


@dataclass
class ImportSummary:
    batch: ImportBatch
    created: list[int] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.batch.rows, "created": self.created,
                "duplicates": self.duplicates, "moved": self.moved, "updated": self.updated}

    def message(self) -> str:
        return (f"นำเข้า {self.batch.rows} แถว: เด็กรายใหม่ {len(self.created)} ราย, "
                f"ซ้ำกับที่มีอยู่ {len(self.duplicates)} ราย, "
                f"ย้ายไปต่างสังกัด (ปิดเรื่อง) {len(self.moved)} ราย")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_records(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFailed([RowError(0, "เปิดไฟล์ Excel (XLSX) ไม่ได้: ไฟล์เสียหรือไม่ใช่ XLSX"
                                        " ไม่มีการบันทึกข้อมูลใด ๆ")]) from None
    ws = wb.worksheets[0]
    out = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    wb.close()
    return out


def records(data: bytes, filename: str) -> list[list[str]]:
    """The file's rows as text cells, header first; CSV must be UTF-8 (BOM or not)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _xlsx_records(data)
    text = decode(data)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ImportFailed([RowError(0, "อ่านไฟล์เป็น CSV ไม่ได้ (เครื่องหมายคำพูดไม่ครบคู่)"
                                        " ไม่มีการบันทึกข้อมูลใด ๆ")]) from None


def parse_birth_date(text: str) -> dt.date:
    """ISO (``2010-05-31``) or ``31/05/2553``; a year above 2400 is Buddhist Era."""
    text = text.strip()
    try:
        if "/" in text:
            d, m, y = (int(p) for p in text.split("/"))
        else:
            y, m, d = (int(p) for p in text.split("-"))
        if y > 2400:
            y -= 543
        return dt.date(y, m, d)
    except ValueError:
        raise ValueError("วันเกิดไม่ถูกต้อง (ใช้ ปี-เดือน-วัน แบบ ค.ศ. หรือ วัน/เดือน/ปี แบบ พ.ศ."
                         " เช่น 31/05/2553)") from None


def _where(number: int, column: str) -> str:
    return f"คอลัมน์ {column} ({COLUMNS[column][0]})"


def check_rows(user: AnyUser, table: list[list[str]]) -> list[ListRow]:
    """Every row checked; ``ImportFailed`` with every problem, or the rows to store."""
    if not table or not any(c.strip() for c in table[0]):
        raise ImportFailed([RowError(0, "ไฟล์ว่างเปล่า ไม่มีหัวตาราง")])
    header_raw = [c.strip() for c in table[0]]
    header = [HEADINGS.get(h, HEADINGS.get(h.lower(), "")) for h in header_raw]
    problems: list[RowError] = []
    unknown = [h for h, c in zip(header_raw, header, strict=True) if h and not c]
    if unknown:
        problems.append(RowError(1, f"ไม่รู้จักคอลัมน์: {', '.join(unknown)} (คอลัมน์ที่ใช้ได้: "
                                    f"{', '.join(COLUMNS)})"))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(RowError(1, "ไม่พบคอลัมน์ที่จำเป็น: " + ", ".join(
            f"{c} ({COLUMNS[c][0]})" for c in missing)))
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    if dupes:
        problems.append(RowError(1, f"คอลัมน์ซ้ำ: {', '.join(dupes)}"))
    if problems:
        raise ImportFailed(problems)
    codes = {cells[header.index("org_code")].strip() for cells in table[1:]
             if len(cells) > header.index("org_code")}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    rows: list[ListRow] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any((c or "").strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(RowError(number, f"มี {len(cells)} ช่อง แต่หัวตารางมี {len(header)} "
                                             "คอลัมน์ (ข้อความที่มีจุลภาคต้องอยู่ในเครื่องหมายคำพูด)"))
            continue
        values: dict[str, Any] = {}
        bad = False
        for i, column in enumerate(header):
            if not column:
                continue
            text = (cells[i] if i < len(cells) else "").strip()
            try:
                values[column] = check_text(text, _where(number, column), COLUMNS[column][1])
            except OutOfLimits as exc:
                problems.append(RowError(number, exc.message))
                bad = True
        if bad:
            continue
        for column in REQUIRED:
            if not values.get(column):
                problems.append(RowError(number, f"{_where(number, column)}: ไม่ได้ระบุ"))
                bad = True
        why = problem(values.get("national_id", "")) if values.get("national_id") else None
        if why:
            problems.append(RowError(number, f"{_where(number, 'national_id')}: {why}"))
            bad = True
        org = units.get(values.get("org_code", ""))
        if values.get("org_code") and org is None:
            problems.append(RowError(number, f"{_where(number, 'org_code')}: ไม่พบหน่วยงานรหัส "
                                             f"'{values['org_code']}'"))
            bad = True
        elif org is not None and not handles(user, org):
            problems.append(RowError(number, f"{_where(number, 'org_code')}: ท่านไม่ได้เป็นผู้ติดตาม"
                                             f"เด็กของ {org.display_name}"))
            bad = True
        if values.get("birth_date"):
            try:
                values["birth_date"] = parse_birth_date(values["birth_date"])
                if values["birth_date"] > timezone.localdate():
                    raise ValueError("วันเกิดต้องไม่เกินวันนี้")
            except ValueError as exc:
                problems.append(RowError(number, f"{_where(number, 'birth_date')}: {exc}"))
                bad = True
        else:
            values["birth_date"] = None
        if not bad and org is not None:
            rows.append(ListRow(number, normalise(values["national_id"]), org, values))
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise ImportFailed([RowError(0, "ไฟล์มีแต่หัวตาราง ไม่มีข้อมูล")])
    return rows


def _is_foreign(affiliation: str, own: set[str]) -> bool:
    return bool(affiliation) and affiliation.strip().casefold() not in own


def import_list(user: AnyUser, data: bytes, filename: str, name: str = "",
                listed_on: dt.date | None = None) -> ImportSummary:
    return import_rows(user, check_rows(user, records(data, filename)), name or filename,
                       listed_on)


def import_rows(user: AnyUser, rows: Iterable[ListRow], name: str,
                listed_on: dt.date | None = None) -> ImportSummary:
    """Store checked rows; ``listed_on`` (default today) is the day the list was received."""
    rows = list(rows)
    own = own_affiliations()
    today = listed_on or timezone.localdate()
    with transaction.atomic():
        batch = ImportBatch.objects.create(name=name[:255], rows=len(rows),
                                           by=user if user.is_authenticated else None)
        summary = ImportSummary(batch)
        existing = {c.id_hash: c for c in Case.objects.filter(
            id_hash__in=[keyed_hash(r.digits) for r in rows]).select_related("org")}
        first_seen = {c.id_hash: c.listings.order_by("pk").select_related("batch").first()
                      for c in existing.values()}
        touched: dict[int, Case] = {}
        for r in rows:
            h = keyed_hash(r.digits)
            v = r.values
            case = existing.get(h)
            if case is None:
                case = Case.objects.create(
                    org=r.org, id_hash=h, national_id=r.digits, id_tail=r.digits[-4:],
                    first_name=v["first_name"], last_name=v.get("last_name", ""),
                    birth_date=v["birth_date"], grade=v.get("grade", ""),
                    address=v.get("address", ""), affiliation=v.get("affiliation", ""),
                    source_agency=v.get("source_agency", ""), state_since=today)
                existing[h] = case
                summary.created.append(case.pk)
            else:
                seen = first_seen.get(h)
                summary.duplicates.append({
                    "row": r.row, "case": case.pk, "id": mask(r.digits),
                    "first_seen": (f"{seen.batch.name} แถวที่ {seen.row}" if seen
                                   else f"แถวที่ {_first_row(summary, case)}")})
                blank = {k: v[k] for k in ("last_name", "birth_date", "grade", "address",
                                           "source_agency")
                         if v.get(k) and not getattr(case, k)}
                if blank:
                    Case.objects.filter(pk=case.pk).update(**blank)
                    summary.updated.append(case.pk)
            listing = Listing.objects.create(case=case, batch=batch, row=r.row,
                                             affiliation=v.get("affiliation", ""),
                                             source_agency=v.get("source_agency", ""))
            if listing.pk and _is_foreign(v.get("affiliation", ""), own) \
                    and case.state != "moved":
                close_as_moved(user, case, v["affiliation"], today,
                               f"รายชื่อ {name} แถวที่ {r.row} ระบุสังกัด {v['affiliation']}")
                summary.moved.append({"row": r.row, "case": case.pk, "id": mask(r.digits),
                                      "affiliation": v["affiliation"]})
            touched[case.pk] = case
        batch.summary = summary.as_json()
        batch.save(update_fields=["summary"])
        record(user, Action.CHILD_IMPORT, batch, target=f"นำเข้ารายชื่อ {name}"[:255],
               org=_common_org([c.org for c in touched.values()]),
               after=summary.as_json(), comment=summary.message())
        indicators.recompute_for(Case.objects.filter(pk__in=touched), [today])
    return summary


def _first_row(summary: ImportSummary, case: Case) -> int:
    listing = case.listings.filter(batch=summary.batch).order_by("row").first()
    return listing.row if listing else 0


def _common_org(orgs: list[OrgUnit]) -> OrgUnit | None:
    """The deepest unit above all of ``orgs`` (where the import's audit entry belongs)."""
    if not orgs:
        return None
    parts = [o.path.strip("/").split("/") for o in orgs]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return OrgUnit.objects.filter(code=common[-1]).first() if common else None
