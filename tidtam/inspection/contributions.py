"""Units answer the inspection questions: entries, checked before anything is written.

Any unit in a province may contribute (an area office, a school, a
vocational college, a กศน./สกร. office, a private school, the ศธจ. itself).
A unit is "in" a province when it sits under the province in the tree, or
under an office linked to the province (area offices cover provinces through
``OrgUnit.provinces``; their schools come with them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet

from tidtam.accounts.people import person_name
from tidtam.accounts.permissions import can_read, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.inspection import words
from tidtam.inspection.models import (
    Entry,
    EntryKind,
    InspectionFramework,
    InspectionReport,
    Issue,
    Level,
    Placement,
    Question,
    ReportStatus,
)
from tidtam.limits import FigureLimit, OutOfLimits, check_figure, check_values
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed
from tidtam.reporting.files import IMAGE_TYPES, MAX_IMAGE
from tidtam.thai.dates import thai_date
from tidtam.thai.parse import parse_number, parse_thai_date


def units_in_province(province: OrgUnit) -> QuerySet[OrgUnit]:
    """Every unit that may contribute to ``province``'s report."""
    q = Q(path__startswith=province.path)
    for linked in OrgUnit.objects.filter(provinces=province):
        q |= Q(path__startswith=linked.path)
    return OrgUnit.objects.filter(q, is_active=True)


def provinces_of(unit: OrgUnit) -> list[OrgUnit]:
    """The provinces a unit reports to (two for "สพม.สมุทรสาคร สมุทรสงคราม")."""
    chain = [*unit.ancestors(), unit]
    found = [u for u in chain if u.type == OrgType.PROVINCE]
    if found:
        return found[-1:]
    for u in reversed(chain):
        linked = list(u.provinces.order_by("name_th"))
        if linked:
            return linked
    return []


def may_contribute(user: Any, unit: OrgUnit) -> bool:
    return can_report(user, unit) and bool(provinces_of(unit))


def visible_entries(user: Any, entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries the user may read: their own units', or a province they compile or read."""
    allowed = [
        e.pk for e in entries.select_related("unit", "province")
        if can_read(user, e.unit) or _reads_province(user, e.province)
    ]
    return entries.filter(pk__in=allowed)


def _reads_province(user: Any, province: OrgUnit) -> bool:
    # The ศธจ. sits under its province; a role there (or above, the ศธภ.) reads the province.
    offices = OrgUnit.objects.filter(parent=province, type=OrgType.PROVINCIAL_OFFICE)
    return can_read(user, province) or any(can_read(user, o) for o in offices)


@dataclass
class EntryData:
    """What a contributor typed, as strings, before any checking."""

    section: str
    kind: str = EntryKind.TEXT
    part: str = ""
    question: Question | None = None
    title: str = ""
    text: str = ""
    steps: list[str] = field(default_factory=list)
    solutions: list[str] = field(default_factory=list)
    value: str = ""
    value_unit: str = ""
    day: str = ""
    image: UploadedFile | None = None


@dataclass
class Saved:
    entry: Entry
    warnings: list[str]


def _check_image(upload: UploadedFile) -> None:
    name = upload.name or "ไฟล์"
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise InvalidInput("image", (
            f"ไฟล์ '{name}' ไม่ใช่ภาพ (รับเฉพาะ {', '.join(sorted(IMAGE_TYPES))})"
        ))
    if (upload.size or 0) > MAX_IMAGE:
        raise InvalidInput("image", f"ภาพ '{name}' มีขนาดเกิน {MAX_IMAGE // (1024 * 1024)} MB")
    _, magic = IMAGE_TYPES[suffix]
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic):
        raise InvalidInput("image", (
            f"ไฟล์ '{name}' ไม่ใช่ภาพจริง (เนื้อไฟล์ไม่ตรงกับนามสกุล {suffix})"
        ))


def _where(issue: Issue, data: EntryData, framework: InspectionFramework) -> str:
    section_no = framework.section_keys().index(data.section) + 1
    where = f"ประเด็น {issue.code} หัวข้อ {issue.code}.{section_no}"
    if data.question is not None:
        where += f" ข้อ {data.question.number})"
    return where


# What a contributor types, named as the form names it, through the shared limits.
_TEXTS = {"title": "ชื่อ", "text": "รายละเอียด", "steps": "ขั้นตอน", "solutions": "แนวทางแก้ไข",
          "value_unit": "หน่วยนับ"}
VALUE_LIMIT = FigureLimit.of(Entry._meta.get_field("value"))


def _validate(
    issue: Issue, data: EntryData, final: bool, framework: InspectionFramework
) -> dict[str, Any]:
    """Check the input and return the entry's field values; raise with a Thai message."""
    keys = framework.section_keys()
    if data.section not in keys:
        raise InvalidInput("section", f"ไม่มีหัวข้อย่อย '{data.section}' ในแบบรายงาน")
    parts = [p["key"] for p in framework.section(data.section).get("parts", [])]
    if parts and data.part not in parts:
        raise InvalidInput("part", "กรุณาเลือกระดับของข้อเสนอแนะ (ระดับพื้นที่ หรือ ระดับนโยบาย)")
    if not parts:
        data.part = ""
    if data.section == "progress":
        if data.question is None or not data.question.asks(issue):
            raise InvalidInput("question", f"กรุณาเลือกข้อคำถามของประเด็น {issue.code}")
    else:
        data.question = None
    if data.kind not in EntryKind.values:
        raise InvalidInput("kind", f"ไม่รู้จักชนิดข้อมูล '{data.kind}'")
    # One fact, typed once: a sub-section the crosswalk topic's blocks fill takes
    # its words only as those blocks (the QP form edits the same ones); "ไม่มี" stays.
    if data.kind != EntryKind.NONE and words.written_as_blocks(issue, framework, data.section):
        raise InvalidInput("section", words.where_to_write(issue, framework, data.section))
    where = _where(issue, data, framework)
    values: dict[str, Any] = {
        "section": data.section, "part": data.part, "question": data.question,
        "kind": data.kind, "title": data.title.strip(), "text": data.text.strip(),
        "steps": [s.strip() for s in data.steps if s.strip()],
        "solutions": [s.strip() for s in data.solutions if s.strip()],
        "value": None, "value_unit": data.value_unit.strip(), "day": None,
    }
    if data.kind == EntryKind.NONE:
        values.update(title="", text="", steps=[], solutions=[], value_unit="")
        return values
    if data.kind == EntryKind.PROBLEM and data.section != "problems":
        raise InvalidInput("kind", f"{where}: ปัญหาและแนวทางแก้ไขบันทึกได้ในหัวข้อปัญหาและอุปสรรคเท่านั้น")
    try:
        values.update(check_values(Entry, {k: values[k] for k in _TEXTS}, _TEXTS))
    except OutOfLimits as exc:
        raise InvalidInput(exc.field, f"{where}: {exc.message}") from None
    if data.value.strip():
        try:
            values["value"] = check_figure(parse_number(data.value), VALUE_LIMIT)
        except ValueError as exc:
            raise InvalidInput("value", f"{where}: {exc}") from exc
    if data.day.strip():
        try:
            values["day"] = parse_thai_date(data.day)
        except ValueError as exc:
            raise InvalidInput("day", f"{where}: {exc}") from exc
    if data.image is not None:
        _check_image(data.image)
    if not final:
        return values
    # Sent as final: the kind's required parts must be there.
    if data.kind == EntryKind.MODEL and not (values["title"] and values["steps"]):
        raise InvalidInput("steps", f"{where}: รูปแบบ/โมเดลต้องมีชื่อและขั้นตอนอย่างน้อย 1 ขั้น")
    if data.kind == EntryKind.FIGURE and (values["value"] is None or not values["value_unit"]):
        raise InvalidInput("value", f"{where}: กรุณากรอกตัวเลขพร้อมหน่วยนับ")
    if data.kind == EntryKind.DATE and values["day"] is None:
        raise InvalidInput("day", f"{where}: กรุณากรอกวันที่ของกิจกรรม")
    if data.kind in (EntryKind.TEXT, EntryKind.PROBLEM, EntryKind.DATE) and not values["text"]:
        raise InvalidInput("text", (
            f"{where}: ยังไม่ได้กรอกรายละเอียด หากไม่มีการดำเนินงานให้เลือก \"ไม่มี\""
        ))
    return values


def _province_locked(framework: InspectionFramework, round_: int, province: OrgUnit) -> bool:
    return InspectionReport.objects.filter(
        framework=framework, round=round_, level=Level.PROVINCE, status=ReportStatus.SENT,
        org__path__startswith=province.path,
    ).exists()


def save_entry(
    user: Any, unit: OrgUnit, issue: Issue, data: EntryData, *, final: bool = False,
    entry: Entry | None = None, version: int | None = None, round_: int = 2,
    province: OrgUnit | None = None,
) -> Saved:
    """Add or change one entry of ``unit``; nothing is written when a check fails."""
    framework = issue.form
    if entry is not None and (entry.unit_id != unit.pk or not can_report(user, entry.unit)):
        raise NotAllowed("แก้ไขได้เฉพาะข้อมูลของหน่วยงานตนเอง")
    if not can_report(user, unit):
        raise NotAllowed()
    provinces = provinces_of(unit)
    if not provinces:
        raise InvalidInput("unit", f"{unit.name_th} ไม่อยู่ในจังหวัดใด จึงรายงานการตรวจราชการไม่ได้")
    if entry is not None:
        province = entry.province
    elif province is None:
        province = provinces[0]
    elif province.pk not in {p.pk for p in provinces}:
        raise InvalidInput("province", f"{unit.name_th} ไม่อยู่ใน{province.name_th}")
    round_ = entry.round if entry is not None else round_
    if _province_locked(framework, round_, province):
        raise Locked(f"รายงานของ{province.name_th} ส่งไปแล้ว แก้ไขข้อมูลไม่ได้")
    values = _validate(issue, data, final, framework)
    warnings = []
    with transaction.atomic():
        if entry is None:
            entry = Entry(framework=framework, round=round_, province=province, unit=unit,
                          issue=issue, author=user)
            before = None
        else:
            current = Entry.objects.select_for_update().get(pk=entry.pk)
            if version is not None and current.version != version:
                raise Conflict(current.text, current.version,
                               person_name(current.author, ""),
                               current.updated_at)
            before = _snapshot(current)
            entry = current
            entry.version += 1
        for k, v in values.items():
            setattr(entry, k, v)
        if data.kind == EntryKind.NONE:
            entry.image = ""
        entry.is_final = final
        entry.save()
        # Lines the compiler has not reworded follow the unit's correction;
        # reworded ones keep the compiler's text (the entry stays as the unit wrote it).
        Placement.objects.filter(
            entry=entry, edited_at=None, report__status=ReportStatus.DRAFT
        ).update(text=entry.text)
        if data.image is not None and data.kind != EntryKind.NONE:
            entry.image.save(data.image.name or "image", data.image, save=True)
        record(user, Action.INSPECTION_ENTRY, entry, target=f"{unit.display_name}: {entry.where}",
               org=unit, before=before, after=_snapshot(entry))
    if entry.outside_year():
        assert entry.day is not None
        warnings.append(
            f"{_where(issue, data, framework)}: วันที่ {thai_date(entry.day)} "
            f"อยู่นอกปีงบประมาณ {framework.year} (บันทึกไว้แล้ว โปรดตรวจสอบ)"
        )
    if entry.kind == EntryKind.PROBLEM and not entry.solutions:
        warnings.append(f"{_where(issue, data, framework)}: ปัญหานี้ยังไม่มีแนวทางแก้ไข")
    return Saved(entry, warnings)


def delete_entry(user: Any, entry: Entry) -> None:
    if not can_report(user, entry.unit):
        raise NotAllowed("ลบได้เฉพาะข้อมูลของหน่วยงานตนเอง")
    if _province_locked(entry.framework, entry.round, entry.province):
        raise Locked(f"รายงานของ{entry.province.name_th} ส่งไปแล้ว ลบข้อมูลไม่ได้")
    with transaction.atomic():
        record(user, Action.INSPECTION_ENTRY_DELETE, entry,
               target=f"{entry.unit.display_name}: {entry.where}", org=entry.unit,
               before=_snapshot(entry))
        entry.delete()


def _snapshot(entry: Entry) -> dict[str, Any]:
    value: Decimal | None = entry.value
    day: dt.date | None = entry.day
    return {
        "kind": entry.kind, "title": entry.title, "text": entry.text, "steps": entry.steps,
        "solutions": entry.solutions, "value": str(value) if value is not None else None,
        "value_unit": entry.value_unit, "day": day.isoformat() if day else None,
        "image": entry.image.name if entry.image else "", "final": entry.is_final,
    }
