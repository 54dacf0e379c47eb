"""Load the period types and the register of measures (YAML per fiscal year)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tidtam.fixtures import FixtureError, LoadResult, choice, upsert
from tidtam.measures.models import (
    Aggregation,
    Category,
    CategoryOption,
    Measure,
    PeriodType,
    ValueType,
)
from tidtam.orgs.models import OrgType

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def load_period_types(path: Path, result: LoadResult) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for position, t in enumerate(data.get("period_types", [])):
        where = f"{path} ช่วงเวลา {t.get('code')}"
        first, months = int(t["first_month"]), int(t["months"])
        if not (0 <= first <= 11 and 1 <= months <= 12 - first):
            raise FixtureError(f"{where}: ช่วงเดือน {first}+{months} อยู่นอกปีงบประมาณ")
        upsert(PeriodType, {"code": str(t["code"])}, {
            "name_th": t["name_th"], "first_month": first, "months": months,
            "position": position,
        }, result)


def load_measures(data: dict[str, Any], source: str, result: LoadResult) -> None:
    year = int(data["fiscal_year"])
    categories: dict[str, Category] = {}
    for c in data.get("categories", []):
        cat = upsert(Category, {"fiscal_year": year, "code": str(c["code"])},
                     {"name_th": c["name_th"], "source": c.get("source", "")}, result)
        categories[cat.code] = cat
        codes = []
        for position, o in enumerate(c["options"]):
            codes.append(str(o["code"]))
            upsert(CategoryOption, {"category": cat, "code": str(o["code"])},
                   {"name_th": o["name_th"], "position": position}, result)
        stale = CategoryOption.objects.filter(category=cat).exclude(code__in=codes)
        result.changed += stale.delete()[0]
    entries = data.get("measures", [])
    org_types = set(OrgType.values)
    fields: dict[str, dict[str, Any]] = {}
    for m in entries:
        code = str(m["code"])
        where = f"{source} รายการข้อมูล {code}"
        if code in fields:
            raise FixtureError(f"{where}: รหัสซ้ำ")
        unknown = [t for t in m.get("reported_by", []) if t not in org_types]
        if unknown:
            raise FixtureError(f"{where}: ไม่รู้จักประเภทหน่วยงาน {', '.join(unknown)}")
        missing = [c for c in m.get("categories", []) if c not in categories]
        if missing:
            raise FixtureError(f"{where}: ไม่พบการจำแนก {', '.join(missing)}")
        fields[code] = {
            "name_th": m["name_th"],
            "value_type": choice(m.get("type", "integer"), ValueType, where),
            "unit": m.get("unit", ""),
            "definition_th": m.get("definition_th", ""),
            "aggregation": choice(m.get("aggregation", "sum"), Aggregation, where),
            "reported_by": list(m.get("reported_by", [])),
            "categories": list(m.get("categories", [])),
            "source": m.get("source", ""),
            "numerator": None, "denominator": None,
        }
    # A ratio names two measures of the register as its sides: save those first.
    saved: dict[str, Measure] = {}
    for code, values in fields.items():
        if values["aggregation"] != Aggregation.RATIO:
            saved[code] = upsert(Measure, {"fiscal_year": year, "code": code}, values, result)
    for m in entries:
        code = str(m["code"])
        values = fields[code]
        if values["aggregation"] != Aggregation.RATIO:
            continue
        for side in ("numerator", "denominator"):
            other = saved.get(str(m.get(side, "")))
            if other is None:
                raise FixtureError(
                    f"{source} รายการข้อมูล {code}: อัตราส่วนต้องระบุ {side} "
                    "เป็นรายการข้อมูลที่ไม่ใช่อัตราส่วนในทะเบียนเดียวกัน"
                )
            values[side] = other
        saved[code] = upsert(Measure, {"fiscal_year": year, "code": code}, values, result)


def load_year(directory: Path, result: LoadResult) -> None:
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and "measures" in data:
            load_measures(data, str(path), result)


def load_all(fixtures_dir: Path = FIXTURES_DIR) -> LoadResult:
    """Period types, then every year's register; an upsert, so a second run changes nothing."""
    result = LoadResult()
    with transaction.atomic():
        load_period_types(fixtures_dir / "periods.yaml", result)
        for directory in sorted(p for p in fixtures_dir.iterdir() if p.is_dir()):
            load_year(directory, result)
    return result
