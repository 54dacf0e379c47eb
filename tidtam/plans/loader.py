"""Load an office's action plan from a YAML fixture (see fixtures/*.yaml).

Everything is checked before anything is written: an unknown office, a
budget that is not a number, an indicator row of the wrong length is
reported in Thai with the project and row, and the database is left as it
was. Loading the same file again updates the plan's content in place, so progress
reports entered since keep their project and indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Model

from tidtam.frameworks.models import FrameworkNode, Layout
from tidtam.limits import OutOfLimits, check_values
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.plans.models import (
    Activity,
    BudgetCategory,
    BudgetLine,
    Plan,
    PlanIndicator,
    Project,
)

FIXTURES = Path(__file__).parent / "fixtures"
INDICATOR_FIELDS = ("activity", "name", "target_value", "target_unit", "actual_value",
                    "actual_unit", "count", "count_unit", "denominator", "printed_achieved", "line")


class PlanFixtureError(ValueError):
    """Bad fixture content; the message is Thai and says where."""


@dataclass
class LoadResult:
    plan: Plan
    projects: int
    indicators: int
    created: bool


def _decimal(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        raise PlanFixtureError(f"{where}: \"{value}\" ไม่ใช่ตัวเลข") from None


def _optional_decimal(value: Any, where: str) -> Decimal | None:
    return None if value is None or value == "" else _decimal(value, where)


def _fits(model: type[Model], values: dict[str, Any], where: str) -> dict[str, Any]:
    """The row's values through the shared limits, or a ``PlanFixtureError`` saying where.

    A plan comes from a fixture or from an accepted annual-report draft (a
    document's figures and texts): a misprinted 16-digit amount or a title
    longer than its column is refused here, on SQLite and PostgreSQL alike.
    """
    try:
        return check_values(model, values)
    except OutOfLimits as exc:
        raise PlanFixtureError(f"{where}: {exc.message}") from None


def _check(data: Any) -> OrgUnit:
    if not isinstance(data, dict):
        raise PlanFixtureError("ไฟล์แผนต้องเป็นข้อมูลแบบ YAML mapping")
    for key in ("office", "fiscal_year", "title", "projects"):
        if key not in data:
            raise PlanFixtureError(f"ไม่พบหัวข้อ \"{key}\" ในไฟล์แผน")
    office = OrgUnit.objects.filter(code=data["office"]).first()
    if office is None:
        raise PlanFixtureError(f"ไม่พบหน่วยงานรหัส \"{data['office']}\"")
    numbers = [p.get("number") for p in data["projects"]]
    if len(set(numbers)) != len(numbers):
        raise PlanFixtureError("ลำดับโครงการซ้ำกัน")
    for project in data["projects"]:
        where = f"โครงการที่ {project.get('number')}"
        if not project.get("title"):
            raise PlanFixtureError(f"{where}: ไม่ได้ระบุชื่อโครงการ")
        _decimal(project.get("budget", 0), f"{where} งบประมาณ")
        for i, row in enumerate(project.get("indicators", []), start=1):
            if isinstance(row, dict):
                _template(row, int(data["fiscal_year"]), f"{where} ตัวชี้วัดแถวที่ {i}")
                continue
            if len(row) != len(INDICATOR_FIELDS):
                raise PlanFixtureError(
                    f"{where} ตัวชี้วัดแถวที่ {i}: ต้องมี {len(INDICATOR_FIELDS)} ช่อง พบ {len(row)} ช่อง")
            _decimal(row[2], f"{where} ตัวชี้วัดแถวที่ {i} ค่าเป้าหมาย")
            _optional_decimal(row[4], f"{where} ตัวชี้วัดแถวที่ {i} ผลการดำเนินงาน")
            if row[0] is not None and row[0] not in (project.get("activities") or {}):
                raise PlanFixtureError(f"{where} ตัวชี้วัดแถวที่ {i}: ไม่พบกิจกรรมที่ {row[0]}")
    for t in data.get("context", []):
        width = len(t.get("header", []))
        for i, row in enumerate(t.get("rows", []), start=1):
            if len(row) != width:
                raise PlanFixtureError(f"ตาราง \"{t.get('title')}\" แถวที่ {i}: ต้องมี {width} ช่อง "
                                       f"พบ {len(row)} ช่อง")
            for value in row[1:]:
                _decimal(value, f"ตาราง \"{t.get('title')}\" แถวที่ {i}")
    kinds = data.get("alignment_kinds") or {}
    for project in data["projects"]:
        unknown = sorted(set(project.get("alignment") or {}) - set(kinds))
        if unknown:
            raise PlanFixtureError(f"โครงการที่ {project.get('number')}: ไม่รู้จักประเภทความสอดคล้อง "
                                   f"{', '.join(unknown)} (ต้องระบุใน alignment_kinds)")
    categories = set(BudgetCategory.values)
    for i, line in enumerate(data.get("budget_lines", []), start=1):
        if line.get("category") not in categories:
            raise PlanFixtureError(f"หมวดงบแถวที่ {i}: ไม่รู้จักหมวด \"{line.get('category')}\"")
        _decimal(line.get("allocated"), f"หมวดงบแถวที่ {i} ได้รับจัดสรร")
        _decimal(line.get("disbursed"), f"หมวดงบแถวที่ {i} เบิกแล้ว")
    return office


def _template(row: dict[str, Any], fiscal_year: int, where: str) -> FrameworkNode:
    """An indicator adopted from the year's templates (``{template: dropouts_back}``)."""
    node = FrameworkNode.objects.filter(framework__layout=Layout.PLAN,
                                        framework__fiscal_year=fiscal_year,
                                        code=str(row.get("template", ""))).first()
    if node is None:
        raise PlanFixtureError(f"{where}: ไม่พบตัวชี้วัดแม่แบบ \"{row.get('template')}\" "
                               f"ของปีงบประมาณ {fiscal_year}")
    unknown = sorted(set(row) - {"template", "activity", "name", "target_value", "line"})
    if unknown:
        raise PlanFixtureError(f"{where}: ตัวชี้วัดตามแม่แบบอ่านตัวเลขจากข้อมูลที่รายงานไว้ "
                               f"จึงระบุ {', '.join(unknown)} ไม่ได้")
    return node


def _bound_indicator(row: dict[str, Any], fiscal_year: int, activities: dict[Any, Activity],
                     document: str) -> dict[str, Any]:
    node = _template(row, fiscal_year, "ตัวชี้วัด")
    target = row.get("target_value", node.target_value)
    return {
        "template": node, "activity": activities.get(row.get("activity")),
        "name": row.get("name") or node.title_th,
        "target_value": _decimal(target, "ค่าเป้าหมาย"), "target_unit": node.target_unit,
        "comparator": node.target_comparator, "actual_value": None,
        "actual_unit": node.target_unit, "count": None, "count_unit": "", "denominator": None,
        "printed_achieved": None,
        "source": f"{document} L{row['line']}".strip() if row.get("line") else "",
    }


def _group_unit(office: OrgUnit, name: str) -> OrgUnit | None:
    """The office's internal group of that name, when the org tree has it."""
    if not name:
        return None
    return OrgUnit.objects.filter(parent=office, type=OrgType.OFFICE_GROUP, name_th=name).first()


@transaction.atomic
def load_plan_data(data: Any, source: str | None = None) -> LoadResult:
    """Write a plan from fixture-shaped data.

    ``source`` names the document the rows were read from (each indicator's
    source is "<source> L<line>"); by default the data's ``source_document``.
    """
    office = _check(data)
    document = data.get("source_document", "") if source is None else source
    printed = data.get("printed") or {}
    plan, created = Plan.objects.update_or_create(
        office=office, fiscal_year=int(data["fiscal_year"]),
        defaults=_fits(Plan, {
            "title": data["title"],
            "introduction": data.get("introduction", ""),
            "problems": data.get("problems", ""),
            "suggestions": data.get("suggestions", ""),
            "next_year_direction": data.get("next_year_direction", ""),
            "context": data.get("context", []),
            "alignment_kinds": data.get("alignment_kinds", {}),
            "statements": data.get("statements", []),
            "printed_indicator_count": printed.get("indicator_count"),
            "printed_achieved_count": printed.get("achieved_count"),
            "printed_achievement_pct": _optional_decimal(printed.get("achievement_pct"),
                                                         "ร้อยละที่ระบุ"),
            "printed_budget_totals": printed.get("budget_totals", {}),
        }, "แผน"),
    )
    keep = [p["number"] for p in data["projects"]]
    plan.projects.exclude(number__in=keep).delete()
    n_indicators = 0
    for p in data["projects"]:
        where = f"โครงการที่ {p['number']}"
        project, _ = Project.objects.update_or_create(
            plan=plan, number=p["number"],
            defaults=_fits(Project, {
                "title": p["title"],
                "policy_area": p.get("policy_area", ""),
                "group": _group_unit(office, p.get("group", "")),
                "group_name": p.get("group", ""),
                "owner_name": p.get("owner", ""),
                "objectives": p.get("objectives", ""),
                "alignment": p.get("alignment", {}),
                "budget": _decimal(p.get("budget", 0), "งบประมาณ"),
                "printed_budget_words": p.get("printed_budget_words", ""),
                "results": p.get("results", ""),
                "problems": p.get("problems", ""),
                "suggestions": p.get("suggestions", ""),
            }, where),
        )
        # Rows are updated in place (keyed by number/order), not recreated: quarterly
        # progress refers to indicators by id, and a reload must not orphan it.
        wanted = p.get("activities") or {}
        project.activities.exclude(number__in=list(wanted)).delete()
        activities = {
            number: Activity.objects.update_or_create(
                project=project, number=number,
                defaults=_fits(Activity, {"title": title}, f"{where} กิจกรรมที่ {number}"))[0]
            for number, title in wanted.items()
        }
        rows = p.get("indicators", [])
        project.indicators.filter(order__gt=len(rows)).delete()
        for order, row in enumerate(rows, start=1):
            if isinstance(row, dict):
                PlanIndicator.objects.update_or_create(
                    project=project, order=order,
                    defaults=_bound_indicator(row, plan.fiscal_year, activities, document))
                n_indicators += 1
                continue
            f = dict(zip(INDICATOR_FIELDS, row, strict=True))
            PlanIndicator.objects.update_or_create(project=project, order=order, defaults=_fits(
                PlanIndicator, {
                "template": None,
                "activity": activities.get(f["activity"]) if f["activity"] is not None else None,
                "name": f["name"], "target_value": _decimal(f["target_value"], "ค่าเป้าหมาย"),
                "target_unit": f["target_unit"],
                "actual_value": _optional_decimal(f["actual_value"], "ผลการดำเนินงาน"),
                "actual_unit": f["actual_unit"], "count": f["count"],
                "count_unit": f["count_unit"] or "", "denominator": f["denominator"],
                "printed_achieved": f["printed_achieved"],
                "source": f"{document} L{f['line']}".strip() if f["line"] else "",
            }, f"{where} ตัวชี้วัดแถวที่ {order}"))
            n_indicators += 1
    plan.budget_lines.all().delete()
    for order, line in enumerate(data.get("budget_lines", []), start=1):
        BudgetLine.objects.create(plan=plan, order=order, **_fits(BudgetLine, {
            "category": line["category"], "label": line.get("label", ""),
            "allocated": _decimal(line["allocated"], "ได้รับจัดสรร"),
            "disbursed": _decimal(line["disbursed"], "เบิกแล้ว"),
            "in_total": line.get("in_total", True),
            "printed_remaining": _optional_decimal(line.get("printed_remaining"), "คงเหลือ"),
            "printed_pct": _optional_decimal(line.get("printed_pct"), "ร้อยละ"),
        }, f"หมวดงบแถวที่ {order}"))
    return LoadResult(plan, len(data["projects"]), n_indicators, created)


def load_plan_file(path: Path | str) -> LoadResult:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlanFixtureError(f"อ่านไฟล์ {path} ไม่ได้: {exc}") from None
    return load_plan_data(data)


def load_demo_plans() -> list[LoadResult]:
    """Every plan fixture shipped with the app (for ``tidtam init --demo``)."""
    return [load_plan_file(path) for path in sorted(FIXTURES.glob("*.yaml"))]
