"""Audit entries in Thai words: what changed, with field names, labels and before → after.

The log keeps values as they were stored (codes, ids, JSON); people read
them here. Field names come from this module's vocabulary or the model's
verbose names, codes from the model's choices (a rating's ``rated``, a
report's ``sent``), rounds from the framework, ids of related rows from the
rows themselves, dates in the Buddhist era. Nothing reaches a page as a
Python repr.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db import models

from tidtam.audit.log import SECRET
from tidtam.audit.models import Action, AuditEntry
from tidtam.thai.dates import thai_date

EMPTY = "-"

# Keys of the logged values that are not (or not only) model fields, in Thai.
FIELD_LABELS = {
    "level": "ระดับคุณภาพ", "status": "สถานะ", "state": "สถานะ",
    "actual": "ผลการดำเนินงาน", "actual_value": "ผลการดำเนินงาน",
    "target": "ค่าเป้าหมาย", "target_value": "ค่าเป้าหมาย", "note": "หมายเหตุ",
    "text": "ข้อความ", "problem": "ปัญหา/อุปสรรค", "solution": "วิธีการ/แนวทางการแก้ไข",
    "unit_name": "หน่วยงาน/สถานศึกษา", "model_name": "ชื่อผลงาน/รูปแบบ",
    "steps": "ขั้นตอน/วิธีการ", "solutions": "แนวทางแก้ไข", "kind": "ประเภท", "title": "ชื่อ",
    "value": "ตัวเลข", "value_unit": "หน่วยนับ", "day": "วันที่", "image": "ภาพ",
    "final": "ส่งแล้ว", "activities_done": "กิจกรรมที่ดำเนินการ",
    "money_spent": "เงินที่ใช้ในไตรมาส (บาท)", "indicator_actuals": "ผลตัวชี้วัด",
    "problems": "ปัญหา อุปสรรค", "order": "ลำดับ", "added": "จำนวนบรรทัดที่รวบรวมเพิ่ม",
    "section": "หัวข้อ", "reason": "เหตุผล", "original_name": "ไฟล์",
    "duplicate_of": "ซ้ำกับย่อหน้า", "draft": "ร่างนำเข้าเลขที่", "source": "ไฟล์ต้นฉบับ",
    "entries": "จำนวนบรรทัด", "entry_lines": "บรรทัดในต้นฉบับ", "plan": "แผนปฏิบัติการเลขที่",
    "projects": "จำนวนโครงการ", "indicators": "จำนวนตัวชี้วัด",
    "budget_lines": "จำนวนรายการงบประมาณ", "budget_total": "งบประมาณรวม (บาท)",
    "name_th": "ชื่อหน่วยงาน", "short_name_th": "ชื่อย่อ", "type": "ประเภท",
    "parent": "สังกัด", "provinces": "จังหวัดที่รับผิดชอบ", "is_active": "ใช้งาน",
    "round": "รอบ", "framework": "กรอบการประเมิน", "node": "ตัวชี้วัด", "line": "บรรทัด",
    "summary": "ผลการรับเข้า", "rows": "จำนวนแถว", "recommendations": "จำนวนข้อเสนอแนะ",
    "username": "ชื่อผู้ใช้", "first_name": "ชื่อ", "last_name": "นามสกุล", "email": "อีเมล",
    "is_staff": "เข้าหน้าผู้ดูแลระบบได้", "is_superuser": "ผู้ดูแลระบบสูงสุด",
    "password": "รหัสผ่าน", "groups": "กลุ่ม", "user_permissions": "สิทธิ์",
    "last_login": "เข้าสู่ระบบล่าสุด", "date_joined": "วันที่สร้างบัญชี", "user": "ผู้ใช้",
    "role": "บทบาท", "org": "หน่วยงาน", "office": "หน่วยงาน", "unit": "หน่วยงาน",
    "code": "รหัส", "name": "ชื่อ", "position": "ลำดับ", "id": "เลขที่",
    "path": "ตำแหน่งในโครงสร้างหน่วยงาน", "depth": "ชั้นในโครงสร้างหน่วยงาน",
    # พาน้องกลับมาเรียน (tidtam/children): case ids and masked IDs, never a name
    "step": "ขั้นตอน", "help_kind": "ประเภทการช่วยเหลือ", "agency": "หน่วยงานที่ส่งต่อ",
    "cases": "เด็กรายที่", "ids": "เลขประจำตัว (ปิดบังบางส่วน)", "created": "เด็กรายใหม่",
    "duplicates": "ซ้ำกับที่มีอยู่", "moved": "ย้ายไปต่างสังกัด", "updated": "เติมข้อมูลที่ขาด",
    "affiliation": "สังกัด", "first_seen": "พบครั้งแรก",
}
# An entry whose before/after is one value, not a dict: which field that value is.
SCALAR_FIELD = {
    Action.WORKFLOW: "state", Action.PLAN_PROGRESS_STATE: "state",
    Action.INSPECTION_SEND: "status", Action.NARRATIVE: "text", Action.VALUE: "text",
    Action.ANSWER: "reason", Action.FILE: "original_name", Action.FILE_DELETE: "original_name",
    Action.INSPECTION_EDIT: "text", Action.INSPECTION_DUPLICATE: "duplicate_of",
}
# Entries whose before/after are lists of pairs named, in order, by the comment.
PAIRED = {Action.IMPORT_EDIT: "; ", Action.IMPORT_SOURCE_EDIT: None}
_TARGET_ROUND = re.compile(r"^(?P<head>.*) · (?P<round>\S+)$")
_INSPECTION_TARGET = re.compile(r"^(?P<issue>[\d.]+)/(?P<section>\w+)#(?P<pk>\d+)$")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _model(entry: AuditEntry) -> type[models.Model] | None:
    return entry.content_type.model_class() if entry.content_type is not None else None


def _object(entry: AuditEntry) -> Any:
    """The object now (None when deleted); prefetch_related("obj") saves the queries."""
    if entry.content_type_id is None or entry.object_id is None:
        return None
    return entry.obj


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist, or a key that isn't a field
        return None


def label_of(key: str, model: type[models.Model] | None = None) -> str:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    field = _field(model, key)
    verbose = str(getattr(field, "verbose_name", "") or "")
    # Django's default verbose name is the English attribute name: not a label.
    if verbose and verbose != key.replace("_", " "):
        return verbose
    return "รายการ"


def _round_label(code: str, entry: AuditEntry | None) -> str:
    from tidtam.measures.models import period_type_names

    return period_type_names().get(code, code)


def _choices(model: type[models.Model] | None, key: str) -> dict[str, str]:
    field = _field(model, key)
    if field is not None and getattr(field, "choices", None):
        return {str(k): str(v) for k, v in field.flatchoices}
    return {}


def _date(text: str) -> str | None:
    try:
        if "T" in text or len(text) > 10:
            when = dt.datetime.fromisoformat(text)
            from django.utils import timezone

            if timezone.is_aware(when):
                when = timezone.localtime(when)
            return f"{thai_date(when.date())} {when:%H:%M} น."
        return thai_date(dt.date.fromisoformat(text))
    except ValueError:
        return None


def _related(model: type[models.Model] | None, key: str, value: Any) -> str | None:
    field = _field(model, key)
    related = getattr(field, "related_model", None)
    if related is None or not isinstance(field, models.Field):
        return None
    ids = value if isinstance(value, list) else [value]
    found = {o.pk: str(o) for o in related._default_manager.filter(pk__in=ids)}
    names = [found.get(i, f"เลขที่ {i} (ลบแล้ว)") for i in ids]
    return "; ".join(names) if names else EMPTY


def _indicator_actuals(value: dict[str, Any]) -> str:
    from tidtam.plans.models import PlanIndicator

    names = {str(i.pk): i.name for i in PlanIndicator.objects.filter(
        pk__in=[k for k in value if str(k).isdigit()])}
    return "; ".join(f"{names.get(str(k), f'ตัวชี้วัดเลขที่ {k}')}: {v}" for k, v in value.items())


def show(value: Any, key: str = "", model: type[models.Model] | None = None,
         entry: AuditEntry | None = None) -> str:
    """One stored value as a reader sees it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, str) and value.startswith(SECRET):
        return SECRET
    if key == "indicator_actuals" and isinstance(value, dict):
        return _indicator_actuals(value)
    if key == "duplicate_of" and isinstance(value, int):
        return _placement(value)
    if key in ("round",) and isinstance(value, str):
        return _round_label(value, entry)
    choices = _choices(model, key)
    if choices and not isinstance(value, list | dict):
        return choices.get(str(value), str(value))
    if key in ("status", "state") and isinstance(value, str):
        return _known_state(value)
    if key != "id" and isinstance(value, int | list) and not isinstance(value, bool):
        related = _related(model, key, value)
        if related is not None:
            return related
    if key == "image" and isinstance(value, str):
        return PurePosixPath(value).name
    if key == "entry_lines" and isinstance(value, list):
        lines = [str(p[1]) for p in value if isinstance(p, list) and len(p) == 2]
        more = " …" if len(lines) > 10 else ""
        return f"{len(lines)} บรรทัด (บรรทัดที่ {', '.join(lines[:10])}{more})"
    if isinstance(value, str):
        field = _field(model, key)
        if isinstance(field, models.DateField) or key == "day":
            return _date(value) or value
        return value
    if isinstance(value, list):
        return "; ".join(show(v, "", None, entry) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{label_of(k, model)}: {show(v, k, model, entry)}"
                         for k, v in value.items())
    return str(value)


def _placement(pk: int) -> str:
    from tidtam.inspection.models import Placement

    p = Placement.objects.select_related("entry__unit").filter(pk=pk).first()
    if p is None:
        return f"ย่อหน้าเลขที่ {pk} (ลบแล้ว)"
    text = " ".join(p.text.split())
    return f"ย่อหน้าของ{p.entry.unit.display_name}: {text[:60]}{'…' if len(text) > 60 else ''}"


def _known_state(code: str) -> str:
    """A status code logged where the model can't tell (an old entry without its object)."""
    from tidtam.evaluation.models import Status
    from tidtam.inspection.models import ReportStatus
    from tidtam.reporting.models import State

    for choices in (State, Status, ReportStatus):
        if code in choices.values:
            return str(choices(code).label)
    return code


def _dict_changes(before: dict[str, Any] | None, after: dict[str, Any] | None,
                  model: type[models.Model] | None, entry: AuditEntry) -> list[Change]:
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    both = bool(before) and bool(after)
    out = []
    for k in keys:
        b, a = before.get(k), after.get(k)
        if both and b == a:
            continue
        if not both and show(b) == show(a) == EMPTY:
            continue  # an added or deleted row: only the fields it had
        out.append(Change(_label_in(entry, k, model), show(b, k, model, entry),
                          show(a, k, model, entry)))
    return out


def _label_in(entry: AuditEntry, key: str, model: type[models.Model] | None) -> str:
    """A key's label; an inspection import counts its lines by kind ("text": 12)."""
    from tidtam.inspection.models import EntryKind

    if entry.action == Action.INSPECTION_IMPORT and key in EntryKind.values:
        return f"{EntryKind(key).label} (จำนวนบรรทัด)"
    return label_of(key, model)


def _paired(entry: AuditEntry, model: type[models.Model] | None) -> list[Change]:
    before = entry.before if isinstance(entry.before, list) else []
    after = entry.after if isinstance(entry.after, list) else []
    separator = PAIRED[Action(entry.action)]
    names = entry.comment.split(separator) if separator else []
    out = []
    for i in range(max(len(before), len(after))):
        b = before[i] if i < len(before) else None
        a = after[i] if i < len(after) else None
        name = names[i].strip() if i < len(names) else f"จุดที่ {i + 1}"
        if isinstance(b, dict) or isinstance(a, dict):
            for c in _dict_changes(b if isinstance(b, dict) else None,
                                   a if isinstance(a, dict) else None, model, entry):
                out.append(Change(f"{name}: {c.label}", c.before, c.after))
        else:
            out.append(Change(name, show(b, "", None, entry), show(a, "", None, entry)))
    return out


def describe(entry: AuditEntry) -> list[Change]:
    """What the entry changed, field by field."""
    model = _model(entry)
    action = entry.action
    if action in PAIRED:
        return _paired(entry, model)
    before, after = entry.before, entry.after
    if isinstance(before, dict) or isinstance(after, dict):
        return _dict_changes(before if isinstance(before, dict) else None,
                             after if isinstance(after, dict) else None, model, entry)
    if before is None and after is None:
        return []
    key = SCALAR_FIELD.get(action, "")  # type: ignore[call-overload]
    label = label_of(key, model) if key else ""
    return [Change(label, show(before, key, model, entry), show(after, key, model, entry))]


def describe_text(entry: AuditEntry) -> str:
    """The same in one line (the admin, the API)."""
    parts = []
    for c in describe(entry):
        head = f"{c.label}: " if c.label else ""
        parts.append(f"{head}{c.before} → {c.after}")
    return "; ".join(parts)


def subject(entry: AuditEntry) -> str:
    """What the entry is about, named as the object is named now (or as it was, if gone)."""
    obj = _object(entry)
    model = _model(entry)
    label = model._meta.label_lower if model is not None else ""
    if obj is not None:
        if label == "evaluation.rating":
            what = obj.node.heading if obj.node_id else f"{obj.framework.full_name} ภาพรวม"
            return f"{what} · {_round_label(obj.round, entry)}"
        if label == "reporting.validationanswer":
            return _rule_subject(entry, obj.rule_code)
        if label == "inspection.entry":
            return f"{obj.unit.display_name}: {obj.where}"
        if label == "inspection.placement":
            return f"ย่อหน้าของ{obj.entry.unit.display_name} · {obj.entry.where}"
    if entry.action == Action.ANSWER:
        return _rule_subject(entry, entry.target.removeprefix("คำเตือน").strip())
    if entry.action == Action.RATING:
        m = _TARGET_ROUND.match(entry.target)
        if m:
            return f"{m['head']} · {_round_label(m['round'], entry)}"
    m = _INSPECTION_TARGET.match(entry.target)
    if m:
        return _inspection_subject(m["issue"], m["section"])
    return entry.target


def _rule_subject(entry: AuditEntry, code: str) -> str:
    from tidtam.validation.models import ValidationRule

    rules = ValidationRule.objects.filter(code=code)
    if entry.submission is not None:
        rules = rules.filter(framework=entry.submission.framework)
    rule = rules.first()
    return f"คำเตือน: {rule.name_th}" if rule is not None else "คำเตือน"


def _inspection_subject(issue: str, section: str) -> str:
    """An old target "3.1/progress#45" whose entry is gone, in words."""
    from tidtam.inspection.models import InspectionFramework

    for fw in InspectionFramework.objects.order_by("-fiscal_year"):
        for s in fw.sections:
            if s["key"] == section:
                return f"ประเด็น {issue} · {s['title'].split('{issue}')[0].strip()}"
    return f"ประเด็น {issue}"


@dataclass(frozen=True)
class Shown:
    """An entry ready for a page: the entry, its subject and its changes in Thai."""

    entry: AuditEntry
    action: str
    subject: str
    changes: list[Change]


def for_page(entries: Iterable[AuditEntry]) -> list[Shown]:
    return [Shown(e, e.get_action_display(), subject(e), describe(e)) for e in entries]
