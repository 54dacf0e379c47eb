"""Load framework fixtures (YAML per fiscal year) into the database.

Loading is an upsert keyed by codes, so running it again changes nothing, and
a corrected fixture updates titles and methods in place without touching the
ratings that refer to the nodes. The returned count of changed rows lets
``tidtam init`` say whether anything happened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tidtam.fixtures import FixtureError, LoadResult, choice, decimal_or_none, upsert
from tidtam.frameworks.models import (
    AppliesTo,
    Band,
    BandTable,
    BindingRole,
    Comparator,
    Crosswalk,
    DataElement,
    EvaluationCycle,
    Framework,
    FrameworkNode,
    Layout,
    Method,
    OverallMethod,
    Topic,
    TopicNode,
)
from tidtam.measures.models import Category, Measure, PeriodType

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"

__all__ = ["FIXTURES_DIR", "FixtureError", "LoadResult", "load_all", "load_framework"]


def load_band_tables(data: dict[str, Any], result: LoadResult) -> None:
    for t in data.get("band_tables", []):
        table = upsert(BandTable, {"code": t["code"]}, {"name_th": t["name_th"]}, result)
        for position, b in enumerate(t["bands"]):
            upsert(Band, {"table": table, "position": position}, {
                "level": int(b["level"]), "label_th": b["label_th"],
                "min_value": decimal_or_none(b.get("min")),
                "min_inclusive": bool(b.get("min_inclusive", True)),
            }, result)
        Band.objects.filter(table=table, position__gte=len(t["bands"])).delete()


def load_cycle(data: dict[str, Any], result: LoadResult) -> None:
    c = data["cycle"]
    upsert(EvaluationCycle, {"fiscal_year": int(c["fiscal_year"])}, {
        "title_th": c["title_th"], "issuer_th": c["issuer_th"],
        "signatory_name": c["signatory_name"],
        "signatory_lines": "\n".join(c["signatory_lines"]),
    }, result)


def _rounds(rounds: list[Any], where: str) -> list[str]:
    known = set(PeriodType.objects.values_list("code", flat=True))
    unknown = [str(r) for r in rounds if str(r) not in known]
    if unknown:
        raise FixtureError(f"{where}: ไม่รู้จักรอบ {', '.join(unknown)} "
                           "(รอบคือประเภทช่วงเวลาใน tidtam/measures/fixtures/periods.yaml)")
    return [str(r) for r in rounds]


def _slots(slots: list[dict[str, Any]], where: str) -> list[dict[str, str]]:
    from tidtam.narratives.models import BlockKind, Level

    kinds = {k.code: k for k in BlockKind.objects.all()}
    levels = set(Level.objects.values_list("code", flat=True))
    out = []
    for s in slots:
        kind = kinds.get(str(s.get("kind")))
        if kind is None:
            raise FixtureError(f"{where}: ไม่รู้จักประเภทข้อความ '{s.get('kind')}' "
                               f"(ใช้ได้: {', '.join(kinds)})")
        level = str(s.get("level", ""))
        if level and (level not in levels or not kind.leveled):
            raise FixtureError(f"{where}: ข้อความ '{s.get('code')}' ระบุระดับ '{level}' ไม่ได้")
        out.append({"code": str(s["code"]), "kind": kind.code, "level": level,
                    "label": str(s.get("label") or kind.name_th)})
    return out


def _framework_row(data: dict[str, Any], where: str, result: LoadResult) -> Framework:
    band_table = None
    if data.get("band_table"):
        band_table = BandTable.objects.filter(code=data["band_table"]).first()
        if band_table is None:
            raise FixtureError(f"{where}: ไม่พบเกณฑ์การแปลผล '{data['band_table']}'")
    layout = choice(data["layout"], Layout, where)
    if band_table is None and layout != Layout.INSPECTION:
        raise FixtureError(f"{where}: ต้องระบุเกณฑ์การแปลผล (band_table)")
    return upsert(Framework, {"code": str(data["code"]), "fiscal_year": int(data["fiscal_year"])}, {
        "name_th": data["name_th"], "abbr": data.get("abbr") or "",
        "layout": layout,
        "rounds": _rounds(data["rounds"], where),
        "overall": choice(data.get("overall", OverallMethod.MEAN), OverallMethod, where),
        "band_table": band_table, "order": int(data.get("order", 0)),
        "node_label": data.get("node_label") or "",
        "recommendations_title_th": data.get("recommendations_title_th") or "",
        "narrative_slots": _slots(data.get("narratives", []), where),
        "sections": _sections(data.get("sections", []), where) if layout == Layout.INSPECTION
        else [],
    }, result)


def load_framework(data: dict[str, Any], source: str, result: LoadResult) -> Framework:
    where = f"{source} ({data.get('code')})"
    fw = _framework_row(data, where, result)
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
            method = choice(n["method"], Method, here)
            if method == Method.TARGET and "value" not in target:
                raise FixtureError(f"{here}: วิธีเทียบค่าเป้าหมายต้องมี target.value")
            label = n.get("label")
            node = upsert(FrameworkNode, {"framework": fw, "code": code}, {
                "parent": parent,
                "label": fw.node_label if label is None else label,
                "number": str(n.get("number", code.rsplit(".", 1)[-1])),
                "title_th": n["title_th"],
                "method": method,
                "applies_to": choice(n.get("applies_to", "all"), AppliesTo, here),
                "show_applicability": bool(n.get("show_applicability", True)),
                "target_value": decimal_or_none(target.get("value")),
                "target_unit": target.get("unit", ""),
                "target_comparator": choice(target.get("comparator", ">="), Comparator, here),
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


#: every issue of the inspection form is answered in this many fixed sub-sections
INSPECTION_SECTION_COUNT = 5
INSPECTION_LEVELS = ("province", "region")


def _sections(sections: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """The inspection form's sub-sections, each naming the block kind (and part level) it holds."""
    from tidtam.narratives.models import BlockKind, Level

    if len(sections) != INSPECTION_SECTION_COUNT:
        raise FixtureError(f"{where}: ต้องมีหัวข้อย่อย {INSPECTION_SECTION_COUNT} หัวข้อ "
                           f"พบ {len(sections)}")
    kinds = set(BlockKind.objects.values_list("code", flat=True))
    levels = set(Level.objects.values_list("code", flat=True))
    out = []
    for s in sections:
        kind = str(s.get("kind", ""))
        if kind not in kinds:
            raise FixtureError(f"{where}: หัวข้อย่อย '{s.get('key')}' ไม่รู้จักประเภทข้อความ "
                               f"'{kind}' (ใช้ได้: {', '.join(sorted(kinds))})")
        section: dict[str, Any] = {"key": str(s["key"]), "title": str(s["title"]), "kind": kind}
        if s.get("parts"):
            parts = []
            for p in s["parts"]:
                level = str(p.get("level", ""))
                if level not in levels:
                    raise FixtureError(f"{where}: หัวข้อย่อย '{s['key']}' ส่วน '{p.get('key')}' "
                                       f"ไม่รู้จักระดับ '{level}'")
                parts.append({"key": str(p["key"]), "title": str(p["title"]), "level": level})
            section["parts"] = parts
        out.append(section)
    return out


def _levels(raw: Any, where: str) -> list[str]:
    levels = [str(x) for x in (raw or INSPECTION_LEVELS)]
    bad = [x for x in levels if x not in INSPECTION_LEVELS]
    if bad:
        raise FixtureError(f"{where}: ระดับ {bad} ไม่รู้จัก (ใช้ได้: {', '.join(INSPECTION_LEVELS)})")
    return levels


def load_inspection_form(data: dict[str, Any], source: str, result: LoadResult) -> Framework:
    """The inspection form (รต.): policies → issues → questions → sub-types, as nodes.

    An upsert keyed by codes, like every framework; nodes the fixture no longer
    has are kept (the units' entries point at them), as the form's own loader did.
    """
    where = f"{source} ({data.get('code')})"
    fw = _framework_row(data, where, result)
    position = 0

    def node(code: str, values: dict[str, Any]) -> FrameworkNode:
        nonlocal position
        obj = upsert(FrameworkNode, {"framework": fw, "code": code}, {
            "label": "", "applies_to": AppliesTo.ALL, "show_applicability": False,
            "target_value": None, "target_unit": "", "target_comparator": Comparator.GTE,
            "optional": False, "definition": "", "levels": [], **values,
            "position": position,
        }, result)
        position += 1
        return obj

    policy_label = str(data.get("policy_label", ""))
    for p in data["policies"]:
        number = str(p["number"])
        policy = node(number, {"parent": None, "label": policy_label, "number": number,
                               "title_th": p["title"], "method": Method.GROUP, "depth": 0})
        for i in p["issues"]:
            code = str(i["code"])
            issue = node(code, {"parent": policy, "number": code, "title_th": i["title"],
                                "method": Method.GROUP, "depth": 1,
                                "optional": bool(i.get("optional", False))})
            for q_number, q in enumerate(i.get("questions") or [], start=1):
                here = f"{where} ประเด็น {code} ข้อ {q_number}"
                levels = _levels(q.get("levels"), here)
                question = node(f"{code}/{q_number}", {
                    "parent": issue, "number": str(q_number), "title_th": q["text"],
                    "definition": q.get("definition", ""), "levels": levels,
                    "method": Method.MONITORED, "depth": 2})
                _load_elements(question, q.get("data", []), here, result)
                for s_number, sub in enumerate(q.get("subtypes") or [], start=1):
                    number = f"{q_number}.{s_number}"
                    node(f"{code}/{number}", {
                        "parent": question, "number": number, "title_th": sub,
                        "levels": levels, "method": Method.MONITORED, "depth": 3})
    return fw


def _load_elements(
    node: FrameworkNode, elements: list[dict[str, Any]], where: str, result: LoadResult
) -> None:
    """A node's bindings: each names a measure of the register of the same fiscal year.

    ``measure`` defaults to the binding's own code, so a binding whose code is
    the measure's (``learners_total``) needs no more than its label.
    """
    year = node.framework.fiscal_year
    period_types = set(PeriodType.objects.values_list("code", flat=True))
    codes = []
    for position, e in enumerate(elements):
        code = str(e["code"])
        here = f"{where} ข้อมูล {code}"
        codes.append(code)
        measure_code = str(e.get("measure", code))
        measure = Measure.objects.filter(fiscal_year=year, code=measure_code).first()
        if measure is None:
            raise FixtureError(f"{here}: ไม่พบรายการข้อมูล '{measure_code}' ในทะเบียนปี {year}")
        if "type" in e or "unit" in e:
            raise FixtureError(f"{here}: ชนิดและหน่วยของข้อมูลกำหนดที่ทะเบียนรายการข้อมูล "
                               f"('{measure_code}') ไม่ใช่ที่กรอบ")
        period = str(e.get("period", ""))
        if period and period not in period_types:
            raise FixtureError(f"{here}: ไม่รู้จักช่วงเวลา '{period}'")
        category = str(e.get("category", ""))
        if category:
            _check_category(measure, category, here)
        upsert(DataElement, {"node": node, "code": code}, {
            "measure": measure,
            "name_th": e.get("name_th") or measure.name_th,
            "role": choice(e.get("role", "value"), BindingRole, here),
            "period": period,
            "category": category,
            "required": bool(e.get("required", False)),
            "help_th": e.get("help_th", ""),
            "position": position,
        }, result)
    stale = DataElement.objects.filter(node=node).exclude(code__in=codes)
    if stale.exists():
        result.changed += stale.count()
        stale.delete()


def _check_category(measure: Measure, category: str, where: str) -> None:
    """``violence+school``: one option of each of the measure's categories, in order."""
    wanted = category.split("+")
    if len(wanted) != len(measure.categories):
        raise FixtureError(f"{where}: '{category}' ต้องระบุ {len(measure.categories)} "
                           f"การจำแนก ({', '.join(measure.categories)})")
    for cat_code, option in zip(measure.categories, wanted, strict=True):
        cat = Category.objects.filter(fiscal_year=measure.fiscal_year, code=cat_code).first()
        if cat is None or not cat.options.filter(code=option).exists():
            raise FixtureError(f"{where}: ไม่พบ '{option}' ในการจำแนก {cat_code}")


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
            elif isinstance(data, dict) and "policies" in data:
                load_inspection_form(data, str(directory / name), result)
        for name, data in docs.items():
            if isinstance(data, dict) and "topics" in data:
                load_crosswalk(data, str(directory / name), result)
    return result


def load_crosswalk(data: dict[str, Any], source: str, result: LoadResult) -> Crosswalk:
    """Topics of a year's frameworks; a node is named ``framework:code`` (``esa:3.4.2``)."""
    year = int(data["fiscal_year"])
    gap = data.get("flag_level_gap")
    cw = upsert(Crosswalk, {"fiscal_year": year},
                {"flag_level_gap": decimal_or_none(gap)}, result)
    codes = []
    for position, t in enumerate(data["topics"]):
        code = str(t["code"])
        where = f"{source} ประเด็น {code}"
        if code in codes:
            raise FixtureError(f"{where}: รหัสซ้ำ")
        codes.append(code)
        topic = upsert(Topic, {"crosswalk": cw, "code": code}, {
            "name_th": t["name_th"], "source": t.get("source", ""), "position": position,
        }, result)
        kept = []
        for link_position, ref in enumerate(t["nodes"]):
            ref, inferred = (ref, False) if isinstance(ref, str) else (
                ref["node"], bool(ref.get("inferred", False)))
            node = _node_ref(str(ref), year, where)
            kept.append(node.pk)
            upsert(TopicNode, {"topic": topic, "node": node},
                   {"inferred": inferred, "position": link_position}, result)
        result.changed += TopicNode.objects.filter(topic=topic).exclude(
            node_id__in=kept).delete()[0]
    result.changed += Topic.objects.filter(crosswalk=cw).exclude(code__in=codes).delete()[0]
    return cw


def _node_ref(ref: str, year: int, where: str) -> FrameworkNode:
    fw_code, _, node_code = ref.partition(":")
    node = FrameworkNode.objects.filter(framework__code=fw_code, framework__fiscal_year=year,
                                        code=node_code).first()
    if node is None:
        raise FixtureError(f"{where}: ไม่พบ '{ref}' (รูปแบบ กรอบ:รหัส เช่น esa:3.4.2)")
    return node


def load_all(fixtures_dir: Path = FIXTURES_DIR) -> LoadResult:
    """The register of measures and the narrative kinds, then the frameworks that use them."""
    from tidtam.measures.loader import load_all as load_measures
    from tidtam.narratives.loader import load_kinds

    total = load_measures()
    total.add(load_kinds())
    for directory in sorted(p for p in fixtures_dir.iterdir() if p.is_dir()):
        total.add(load_year_dir(directory))
    from tidtam.narratives.loader import assign_topics

    total.changed += assign_topics()
    # A question that now binds a measure takes over the figures typed as its entries.
    from tidtam.inspection.figures import move_entry_values

    total.changed += move_entry_values()
    # An issue the crosswalk links takes its sub-sections' words as the topic's blocks.
    from tidtam.inspection.words import move_entry_texts

    total.changed += move_entry_texts()
    return total
