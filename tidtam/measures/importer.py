"""``tidtam values import FILE.csv``: many observations at once, all or nothing.

Columns ``org_code,measure,period,value`` and optionally ``category``. Periods
are written ``2566`` (the fiscal year), ``2566-6m``, ``2566-12m``, ``2566-r1``,
``2566-r2``, ``2566-q1`` … ``2566-q4`` (any period type of
``tidtam/measures/fixtures/periods.yaml``). Every row is checked before
anything is written. A value that differs from one already stored is not
written over it: it is kept as a disagreement for review, unless the import
is asked to replace (``--replace``), which is audited like any other change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.csvfiles import ImportFailed, RowError, read_rows
from tidtam.measures import store
from tidtam.measures.models import Category, Measure, Observation, Period, PeriodError, SourceKind
from tidtam.orgs.models import OrgUnit

COLUMNS = ("org_code", "measure", "period", "value")


@dataclass
class Row:
    line: int
    org: OrgUnit
    measure: Measure
    period: Period
    category: str
    text: str


@dataclass
class ValuesImported:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    disagreements: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"เพิ่มค่าข้อมูล {self.created:,} รายการ", f"แก้ไข {self.replaced:,}",
                 f"ไม่เปลี่ยนแปลง {self.unchanged:,}"]
        head = "นำเข้าแล้ว: " + " · ".join(parts)
        if not self.disagreements:
            return head
        return "\n".join([
            head, f"ค่าที่ไม่ตรงกับที่บันทึกไว้ {len(self.disagreements):,} รายการ "
                  "(เก็บไว้ให้ตรวจสอบ ไม่ได้บันทึกทับ):",
            *(f"- {d}" for d in self.disagreements)])


def _check(rows: list[tuple[int, dict[str, str]]]) -> list[Row]:
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in={r["org_code"] for _n, r in rows})}
    measures: dict[tuple[int, str], Measure | None] = {}
    periods: dict[str, Period] = {}
    options: dict[tuple[int, str], set[str]] = {}
    problems: list[RowError] = []
    checked: list[Row] = []
    seen: dict[tuple[int, int, int, str], int] = {}
    for line, r in rows:
        before = len(problems)
        org = orgs.get(r["org_code"])
        if org is None:
            problems.append(RowError(line, f"ไม่พบหน่วยงานรหัส '{r['org_code']}'"))
        period = periods.get(r["period"])
        if period is None:
            try:
                period = periods[r["period"]] = Period.parse(r["period"])
            except PeriodError as exc:
                problems.append(RowError(line, str(exc)))
        measure = None
        if period is not None:
            key = (period.fiscal_year, r["measure"])
            if key not in measures:
                measures[key] = Measure.objects.filter(fiscal_year=period.fiscal_year,
                                                       code=r["measure"]).first()
            measure = measures[key]
            if measure is None:
                problems.append(RowError(line, (
                    f"ไม่พบรายการข้อมูล '{r['measure']}' ในทะเบียนปีงบประมาณ {period.fiscal_year}")))
        category = r.get("category", "")
        if measure is not None:
            problems += _check_category(line, measure, category, options)
            if org is not None and measure.reported_by and org.type not in measure.reported_by:
                problems.append(RowError(line, (
                    f"{measure.name_th} ไม่ใช่ข้อมูลที่ {org.display_name} รายงาน")))
            try:
                store.parse(measure, r["value"])
            except store.ValueRefused as exc:
                problems.append(RowError(line, f"{measure.name_th}: {exc}"))
        if len(problems) > before or org is None or measure is None or period is None:
            continue
        key4 = (org.pk, measure.pk, period.pk, category)
        if key4 in seen:
            problems.append(RowError(line, f"ซ้ำกับแถวที่ {seen[key4]} (หน่วยงาน รายการข้อมูล "
                                           "ช่วงเวลาและการจำแนกเดียวกัน)"))
            continue
        seen[key4] = line
        checked.append(Row(line, org, measure, period, category, r["value"].strip()))
    if problems:
        raise ImportFailed(problems)
    return checked


def _check_category(line: int, measure: Measure, category: str,
                    options: dict[tuple[int, str], set[str]]) -> list[RowError]:
    if not category:
        return []
    wanted = category.split("+")
    if len(wanted) != len(measure.categories):
        return [RowError(line, (
            f"{measure.code} จำแนกได้ {len(measure.categories)} แบบ "
            f"({', '.join(measure.categories) or 'ไม่จำแนก'}) แต่ระบุ '{category}'"))]
    errors = []
    for cat_code, option in zip(measure.categories, wanted, strict=True):
        key = (measure.fiscal_year, cat_code)
        if key not in options:
            cat = Category.objects.filter(fiscal_year=measure.fiscal_year, code=cat_code).first()
            options[key] = set(cat.options.values_list("code", flat=True)) if cat else set()
        if option not in options[key]:
            errors.append(RowError(line, f"ไม่รู้จัก '{option}' ในการจำแนก {cat_code} "
                                         f"(ใช้ได้: {', '.join(sorted(options[key]))})"))
    return errors


def import_values(data: bytes, source_name: str, *, replace: bool = False,
                  user: Any = None) -> ValuesImported:
    rows = _check(read_rows(data, COLUMNS, ("category",)))
    result = ValuesImported()
    with transaction.atomic():
        for row in rows:
            source = {"file": source_name, "line": row.line}
            existing = store.find(row.org, row.measure, row.period, row.category)
            if existing is not None and existing.text == store.parse(row.measure, row.text)["text"]:
                result.unchanged += 1
                continue
            if existing is not None and not replace:
                store.record_disagreement(row.org, row.measure, row.period, row.text,
                                          category=row.category,
                                          source_kind=SourceKind.IMPORTED, source=source,
                                          observation=existing)
                result.disagreements.append(
                    f"แถวที่ {row.line}: {row.org.display_name} {row.measure.code} "
                    f"{row.period.code} มีค่า {existing.text} อยู่แล้ว ไฟล์ระบุ {row.text}")
                continue
            written = store.write(user, row.org, row.measure, row.period, row.text,
                                  existing.version if existing else 0, category=row.category,
                                  source_kind=SourceKind.IMPORTED, source=source)
            record(user, Action.OBSERVATION_IMPORT, written.observation,
                   target=audit_target(written.observation), org=row.org,
                   before=written.before or None, after=written.observation.text,
                   comment=f"นำเข้าจาก {source_name} แถวที่ {row.line}")
            if existing is None:
                result.created += 1
            else:
                result.replaced += 1
    return result


def audit_target(o: Observation) -> str:
    breakdown = f" ({o.category})" if o.category else ""
    return f"{o.measure.name_th}{breakdown} · {o.period.label_th}"


def export_values(observations: list[Observation]) -> str:
    """The same columns the import reads (and the id and source), so a file goes round."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, "category", "id", "source"])
    for o in observations:
        source = o.source.get("file") or o.source.get("submission") or ""
        writer.writerow([o.org.code, o.measure.code, o.period.code, o.text, o.category, o.pk,
                         f"{o.get_source_kind_display()} {source}".strip()])
    return out.getvalue()
