"""Load framework fixtures (YAML per fiscal year) into the database.

Loading is an upsert keyed by codes, so running it again changes nothing, and
a corrected fixture updates titles and methods in place without touching the
ratings that refer to the nodes. The returned count of changed rows lets
``tidtam init`` say whether anything happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from tidtam.frameworks.models import (
    AppliesTo,
    Band,
    BandTable,
    Comparator,
    DataElement,
    EvaluationCycle,
    Framework,
    FrameworkNode,
    Layout,
    Method,
    OverallMethod,
    ValueType,
)

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


class FixtureError(ValueError):
    """A fixture file is malformed; the message names the file and the node."""


@dataclass
class LoadResult:
    changed: int = 0
    unchanged: int = 0


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], result: LoadResult
) -> Any:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        result.changed += 1
        return obj
    dirty = [k for k, v in values.items() if getattr(obj, k) != v]
    if dirty:
        for k in dirty:
            setattr(obj, k, values[k])
        obj.save(update_fields=dirty)
        result.changed += 1
    else:
        result.unchanged += 1
    return obj


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _choice(value: Any, choices: type[models.TextChoices], where: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise FixtureError(f"{where}: ค่า '{value}' ใช้ไม่ได้ (ใช้ได้: {allowed})")
    return str(value)


def load_band_tables(data: dict[str, Any], result: LoadResult) -> None:
    for t in data.get("band_tables", []):
        table = _upsert(BandTable, {"code": t["code"]}, {"name_th": t["name_th"]}, result)
        for position, b in enumerate(t["bands"]):
            _upsert(Band, {"table": table, "position": position}, {
                "level": int(b["level"]), "label_th": b["label_th"],
                "min_value": _dec(b.get("min")),
                "min_inclusive": bool(b.get("min_inclusive", True)),
            }, result)
        Band.objects.filter(table=table, position__gte=len(t["bands"])).delete()


def load_cycle(data: dict[str, Any], result: LoadResult) -> None:
    c = data["cycle"]
    _upsert(EvaluationCycle, {"fiscal_year": int(c["fiscal_year"])}, {
        "title_th": c["title_th"], "issuer_th": c["issuer_th"],
        "signatory_name": c["signatory_name"],
        "signatory_lines": "\n".join(c["signatory_lines"]),
    }, result)


def load_framework(data: dict[str, Any], source: str, result: LoadResult) -> Framework:
    where = f"{source} ({data.get('code')})"
    try:
        band_table = BandTable.objects.get(code=data["band_table"])
    except BandTable.DoesNotExist:
        raise FixtureError(f"{where}: ไม่พบเกณฑ์การแปลผล '{data['band_table']}'") from None
    fw = _upsert(Framework, {"code": str(data["code"]), "fiscal_year": int(data["fiscal_year"])}, {
        "name_th": data["name_th"], "abbr": data.get("abbr") or "",
        "layout": _choice(data["layout"], Layout, where),
        "rounds": list(data["rounds"]),
        "overall": _choice(data["overall"], OverallMethod, where),
        "band_table": band_table, "order": int(data.get("order", 0)),
        "node_label": data.get("node_label") or "",
        "recommendations_title_th": data.get("recommendations_title_th") or "",
    }, result)
    seen: list[str] = []
    position = 0

    def walk(nodes: list[dict[str, Any]], parent: FrameworkNode | None, depth: int) -> None:
        nonlocal position
        for n in nodes:
            code = str(n["code"])
            here = f"{where} ตัวชี้วัด {code}"
            if code in seen:
                raise FixtureError(f"{here}: รหัสซ้ำ")
            seen.append(code)
            target = n.get("target") or {}
            method = _choice(n["method"], Method, here)
            if method == Method.TARGET and "value" not in target:
                raise FixtureError(f"{here}: วิธีเทียบค่าเป้าหมายต้องมี target.value")
            label = n.get("label")
            node = _upsert(FrameworkNode, {"framework": fw, "code": code}, {
                "parent": parent,
                "label": fw.node_label if label is None else label,
                "number": str(n.get("number", code.rsplit(".", 1)[-1])),
                "title_th": n["title_th"],
                "method": method,
                "applies_to": _choice(n.get("applies_to", "all"), AppliesTo, here),
                "show_applicability": bool(n.get("show_applicability", True)),
                "target_value": _dec(target.get("value")),
                "target_unit": target.get("unit", ""),
                "target_comparator": _choice(target.get("comparator", ">="), Comparator, here),
                "position": position,
                "depth": depth,
            }, result)
            position += 1
            _load_elements(node, n.get("data", []), here, result)
            walk(n.get("children", []), node, depth + 1)

    walk(data["nodes"], None, 0)
    stale = FrameworkNode.objects.filter(framework=fw).exclude(code__in=seen)
    if stale.exists():
        # Ratings protect nodes they refer to; a fixture must not silently drop them.
        result.changed += stale.count()
        stale.delete()
    return fw


def _load_elements(
    node: FrameworkNode, elements: list[dict[str, Any]], where: str, result: LoadResult
) -> None:
    codes = []
    for position, e in enumerate(elements):
        code = str(e["code"])
        codes.append(code)
        _upsert(DataElement, {"node": node, "code": code}, {
            "name_th": e["name_th"],
            "value_type": _choice(e.get("type", "integer"), ValueType, f"{where} ข้อมูล {code}"),
            "unit": e.get("unit", ""),
            "required": bool(e.get("required", False)),
            "help_th": e.get("help_th", ""),
            "position": position,
        }, result)
    stale = DataElement.objects.filter(node=node).exclude(code__in=codes)
    if stale.exists():
        result.changed += stale.count()
        stale.delete()


def load_year_dir(directory: Path) -> LoadResult:
    result = LoadResult()
    files = sorted(directory.glob("*.yaml"))
    docs = {f.name: yaml.safe_load(f.read_text(encoding="utf-8")) for f in files}
    with transaction.atomic():
        for data in docs.values():
            if isinstance(data, dict) and "band_tables" in data:
                load_band_tables(data, result)
        for data in docs.values():
            if isinstance(data, dict) and "cycle" in data:
                load_cycle(data, result)
        for name, data in docs.items():
            if isinstance(data, dict) and "nodes" in data:
                load_framework(data, str(directory / name), result)
    return result


def load_all(fixtures_dir: Path = FIXTURES_DIR) -> LoadResult:
    total = LoadResult()
    for directory in sorted(p for p in fixtures_dir.iterdir() if p.is_dir()):
        r = load_year_dir(directory)
        total.changed += r.changed
        total.unchanged += r.unchanged
    return total
