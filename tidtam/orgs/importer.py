"""``tidtam orgs import FILE.csv``: add or update organisation units in bulk.

Columns: ``code,name_th,type,parent_code,provinces`` (required) and
``short_name_th`` (optional). ``type`` is one of the OrgType values (or its
Thai abbreviation สพป./สพม.); ``provinces`` lists province unit codes
separated by ``;`` and is required for area offices. Rows may come in any
order; a parent may be in the file or already in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from tidtam.audit.log import changes, record
from tidtam.audit.models import Action
from tidtam.csvfiles import ImportFailed, RowError, read_rows
from tidtam.limits import OutOfLimits, check_values
from tidtam.orgs.models import AREA_OFFICE_TYPES, CODE_RE, OrgType, OrgUnit

REQUIRED = ("code", "name_th", "type", "parent_code", "provinces")
OPTIONAL = ("short_name_th",)

TYPE_ALIASES = {
    "สพป.": OrgType.PRIMARY_AREA,
    "สพป": OrgType.PRIMARY_AREA,
    "สพม.": OrgType.SECONDARY_AREA,
    "สพม": OrgType.SECONDARY_AREA,
}


@dataclass
class OrgRow:
    row: int
    code: str
    name_th: str
    short_name_th: str
    type: str
    parent_code: str
    provinces: list[str] = field(default_factory=list)


@dataclass
class OrgImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"นำเข้าหน่วยงานสำเร็จ: เพิ่มใหม่ {self.created} แก้ไข {self.updated} "
            f"ไม่เปลี่ยนแปลง {self.unchanged}"
        )


def _parse(data: bytes) -> list[OrgRow]:
    rows = read_rows(data, REQUIRED, OPTIONAL)
    valid_types = {t.value for t in OrgType}
    errors: list[RowError] = []
    parsed: list[OrgRow] = []
    seen: dict[str, int] = {}
    for number, v in rows:
        code = v["code"]
        where = f"(รหัส {code}) " if code else ""
        if not code:
            errors.append(RowError(number, "ไม่มีรหัสหน่วยงาน (code)"))
            continue
        if not CODE_RE.match(code):
            errors.append(RowError(number, (
                f"{where}รหัสหน่วยงานต้องเป็นตัวอักษรอังกฤษ ตัวเลข จุด ขีด หรือขีดล่าง "
                "ไม่เกิน 32 ตัว"
            )))
            continue
        if code in seen:
            errors.append(RowError(number, f"{where}รหัสซ้ำกับแถวที่ {seen[code]}"))
            continue
        seen[code] = number
        type_ = TYPE_ALIASES.get(v["type"], v["type"].lower())
        if type_ not in valid_types:
            errors.append(RowError(number, (
                f"{where}ไม่รู้จักประเภทหน่วยงาน '{v['type']}' "
                f"(ใช้ได้: {', '.join(sorted(valid_types))})"
            )))
            continue
        if not v["name_th"]:
            errors.append(RowError(number, f"{where}ไม่มีชื่อหน่วยงาน (name_th)"))
            continue
        try:
            check_values(OrgUnit, {"name_th": v["name_th"],
                                   "short_name_th": v.get("short_name_th", "")})
        except OutOfLimits as exc:
            errors.append(RowError(number, f"{where}{exc.message}"))
            continue
        provinces = [p.strip() for p in v["provinces"].split(";") if p.strip()]
        parsed.append(OrgRow(
            number, code, v["name_th"], v.get("short_name_th", ""), type_, v["parent_code"],
            provinces,
        ))
    errors.extend(_check_references(parsed))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return parsed


def _check_references(rows: list[OrgRow]) -> list[RowError]:
    in_file = {r.code: r for r in rows}
    wanted = {r.parent_code for r in rows} | {p for r in rows for p in r.provinces}
    in_db = {
        u.code: (u.type, u.parent.code if u.parent else "")
        for u in OrgUnit.objects.filter(code__in=wanted - set(in_file)).select_related("parent")
    }
    errors: list[RowError] = []

    def type_of(code: str) -> str | None:
        if code in in_file:
            return in_file[code].type
        return in_db[code][0] if code in in_db else None

    for r in rows:
        where = f"(รหัส {r.code}) "
        if r.parent_code:
            if r.parent_code == r.code:
                errors.append(RowError(r.row, f"{where}หน่วยงานเป็นสังกัดของตัวเองไม่ได้"))
            elif type_of(r.parent_code) is None:
                errors.append(RowError(r.row, (
                    f"{where}ไม่พบหน่วยงานสังกัดรหัส '{r.parent_code}' ทั้งในไฟล์และในระบบ"
                )))
        elif r.type != OrgType.MINISTRY:
            errors.append(RowError(r.row, f"{where}ต้องระบุหน่วยงานสังกัด (parent_code)"))
        for p in r.provinces:
            t = type_of(p)
            if t is None:
                errors.append(RowError(r.row, f"{where}ไม่พบจังหวัดรหัส '{p}'"))
            elif t != OrgType.PROVINCE:
                errors.append(RowError(r.row, f"{where}รหัส '{p}' ไม่ใช่จังหวัด"))
        if r.type in AREA_OFFICE_TYPES and not r.provinces:
            errors.append(RowError(r.row, (
                f"{where}สำนักงานเขตพื้นที่การศึกษาต้องระบุจังหวัดที่รับผิดชอบ (provinces)"
            )))
        if r.provinces and r.type not in AREA_OFFICE_TYPES:
            errors.append(RowError(r.row, (
                f"{where}ระบุจังหวัด (provinces) ได้เฉพาะสำนักงานเขตพื้นที่การศึกษา"
            )))
    errors.extend(_check_cycles(rows, in_db))
    return errors


def _check_cycles(rows: list[OrgRow], in_db: dict[str, tuple[str, str]]) -> list[RowError]:
    parent_of = {code: parent for code, (_t, parent) in in_db.items()}
    parent_of.update({r.code: r.parent_code for r in rows})
    errors = []
    for r in rows:
        seen = {r.code}
        cur = parent_of.get(r.code, "")
        while cur:
            if cur in seen:
                errors.append(RowError(r.row, f"(รหัส {r.code}) สายการบังคับบัญชาวนกลับมาที่ตัวเอง"))
                break
            seen.add(cur)
            cur = parent_of.get(cur, "")
    return errors


def _parents_first(rows: list[OrgRow]) -> list[OrgRow]:
    by_code = {r.code: r for r in rows}
    ordered: list[OrgRow] = []
    placed: set[str] = set()

    def place(r: OrgRow) -> None:
        if r.code in placed:
            return
        if r.parent_code in by_code:
            place(by_code[r.parent_code])
        placed.add(r.code)
        ordered.append(r)

    for r in rows:
        place(r)
    return ordered


def import_orgs(data: bytes, *, user: Any = None, comment: str = "") -> OrgImportResult:
    """Validate the whole file, then write it in one transaction, each change audited."""
    rows = _parents_first(_parse(data))
    result = OrgImportResult()
    with transaction.atomic():
        units = {u.code: u for u in OrgUnit.objects.select_related("parent")}
        for r in rows:
            parent = units[r.parent_code] if r.parent_code else None
            unit = units.get(r.code)
            fields = {
                "name_th": r.name_th, "short_name_th": r.short_name_th, "type": r.type,
                "parent": parent,
            }
            if unit is None:
                unit = OrgUnit(code=r.code, **fields)
                unit.save()
                units[r.code] = unit
                unit.provinces.set([units[p] for p in r.provinces])
                _audit(user, unit, None, comment)
                result.created += 1
                continue
            before = _values(unit)
            changed = any(getattr(unit, k) != val for k, val in fields.items())
            if changed:
                for k, val in fields.items():
                    setattr(unit, k, val)
                unit.save()
            if set(unit.provinces.values_list("code", flat=True)) != set(r.provinces):
                unit.provinces.set([units[p] for p in r.provinces])
                changed = True
            if changed:
                _audit(user, unit, before, comment)
                result.updated += 1
            else:
                result.unchanged += 1
        refresh_paths()
    return result


def _values(unit: OrgUnit) -> dict[str, Any]:
    """What the audit log keeps of a unit: its CSV columns (the parent and provinces by code)."""
    return {
        "name_th": unit.name_th, "short_name_th": unit.short_name_th, "type": unit.type,
        "parent": unit.parent.code if unit.parent else "",
        "provinces": sorted(unit.provinces.values_list("code", flat=True)),
    }


def _audit(user: Any, unit: OrgUnit, before: dict[str, Any] | None, comment: str) -> None:
    old, new = changes(before, _values(unit))
    record(user, Action.ORG_IMPORT, unit, target=f"{unit.name_th} ({unit.code})",
           before=old, after=new, comment=comment)


def refresh_paths(root: OrgUnit | None = None) -> int:
    """A moved unit drags its subtree along: recompute paths from ``root`` (or the roots) down.

    Used by the import and by the admin when a unit's parent changes; returns
    how many units' paths changed.
    """
    if root is None:
        units = list(OrgUnit.objects.all())
    else:
        # Found by parent links, level by level: the subtree's paths are the stale ones.
        units, level = [root], [root.pk]
        while level:
            found = list(OrgUnit.objects.filter(parent_id__in=level))
            units += found
            level = [u.pk for u in found]
    children: dict[int | None, list[OrgUnit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    by_id = {u.pk: u for u in units}
    queue = [root] if root is not None else list(children.get(None, []))
    moved = 0
    while queue:
        unit = queue.pop()
        if root is None or unit.pk != root.pk:
            unit.parent = by_id.get(unit.parent_id) if unit.parent_id else None
        if unit.compute_path() != unit.path:
            unit.save(update_fields=["path", "depth"])
            moved += 1
        queue.extend(children.get(unit.pk, []))
    return moved


def import_orgs_file(path: Path, *, user: Any = None) -> OrgImportResult:
    return import_orgs(path.read_bytes(), user=user, comment=f"นำเข้าจากไฟล์ {path.name}")
