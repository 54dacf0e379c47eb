"""The area-office result sheet (seed 004) as a content model.

``build_sheet`` turns stored ratings into one plain, JSON-ready dictionary;
every renderer (web page, PDF, DOCX, XLSX, JSON) prints that dictionary and
computes nothing of its own, so the formats cannot disagree. The schema is
documented in the README ("The result sheet's JSON").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tidtam.accounts.permissions import AnyUser, can_read_sheet, can_see_unapproved
from tidtam.evaluation.models import Rating, Recommendation, Status
from tidtam.evaluation.scoring import FrameworkResult, Judged, NodeResult, evaluate
from tidtam.frameworks.models import EvaluationCycle, Framework, Layout, Method, OverallMethod
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.approval import official
from tidtam.thai.numbers import fmt_decimal

SCHEMA = "tidtam.esa-sheet/1"
SHEET_TITLE_SUFFIX = "ของสำนักงานเขตพื้นที่การศึกษา"
ACHIEVED = {True: "บรรลุ", False: "ไม่บรรลุ"}


class SheetUnavailable(LookupError):
    """No evaluation set up for that year; the message is for the user."""


def _avg(value: Decimal | None) -> str | None:
    return None if value is None else fmt_decimal(value, 2)


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = f"{value.normalize():f}"
    return text


def _judged(j: Judged) -> dict[str, Any]:
    return {"average": _avg(j.average), "level": j.level, "label": j.label}


def _row_base(n: NodeResult) -> dict[str, Any]:
    node = n.node
    return {
        "code": node.code,
        "heading": node.heading,
        "title": node.display_title,
        "applicable": n.applicable,
        "status": n.status,
        "status_label": Status(n.status).label if n.status else None,
        "sources": n.sources,
    }


def _rounds_block(res: FrameworkResult) -> dict[str, Any]:
    rows = []
    for n in res.nodes():
        row = _row_base(n)
        row["rounds"] = {
            r: (n.rounds.get(r) if n.applicable else None) for r in res.framework.rounds
        }
        row.update({"average": _avg(n.result.average), "label": n.result.label})
        rows.append(row)
    return {"rows": rows, "overall": _overall(res)}


def _overall(res: FrameworkResult) -> dict[str, Any]:
    o = res.overall
    block: dict[str, Any] = {
        "average": _avg(o.result.average), "level": o.result.level, "label": o.result.label,
        "count": o.count, "sources": o.sources,
    }
    if res.framework.overall == OverallMethod.EVALUATOR:
        block["average"] = _avg(o.suggestion.average)
        block["suggestion"] = _judged(o.suggestion)
        block["differs"] = o.differs
    return block


def _rated_and_target_block(res: FrameworkResult) -> dict[str, Any]:
    rated, target, notes = [], [], []
    for n in res.nodes():
        row = _row_base(n)
        if n.node.method == Method.TARGET:
            if n.status in (Status.IN_PROGRESS, Status.UNSCORED) or n.actual is None:
                notes.append(row)
                continue
            row.update({
                "target": _number(n.target), "unit": n.node.target_unit,
                "actual": _number(n.actual), "observation": n.actual_observation,
                "achieved": n.achieved,
                "result_label": ACHIEVED.get(n.achieved) if n.achieved is not None else None,
            })
            target.append(row)
        elif n.node.method == Method.SINGLE_LEVEL:
            row.update({"level": n.result.level, "label": n.result.label})
            rated.append(row)
    overall = _overall(res)
    return {"rated": {"rows": rated, "overall": overall}, "target": {"rows": target},
            "notes": notes, "rows": rated + target, "overall": overall}


def _tree_block(res: FrameworkResult) -> dict[str, Any]:
    rows = []
    for n in res.nodes():
        row = _row_base(n)
        row.update({
            "depth": n.node.depth, "method": n.node.method,
            "level": n.result.level, "label": n.result.label,
        })
        if n.node.method == Method.AGGREGATE:
            row["suggestion"] = _judged(n.suggestion)
            row["differs"] = n.differs
        rows.append(row)
    return {"rows": rows, "overall": _overall(res)}


BLOCK_BUILDERS = {
    Layout.ROUNDS: _rounds_block,
    Layout.RATED_AND_TARGET: _rated_and_target_block,
    Layout.TREE: _tree_block,
}


class SheetNotReadable(LookupError):
    """The user may not read this office's sheet (shown as "not found")."""


def sheet_for(user: AnyUser, org: OrgUnit, fiscal_year: int) -> dict[str, Any]:
    """The sheet as this user may see it: the one rule of every page, download and API.

    An office's staff and the units above it (any role on the office or an
    ancestor) read its sheet; ratings not yet approved appear only to its
    evaluators and approvers (``tidtam.reporting.approval``).
    """
    if not can_read_sheet(user, org):
        raise SheetNotReadable("ไม่พบผลการประเมินของหน่วยงานนี้")
    return build_sheet(org, fiscal_year, approved_only=not can_see_unapproved(user, org))


def build_sheet(org: OrgUnit, fiscal_year: int, *, approved_only: bool = True) -> dict[str, Any]:
    """The sheet of one office and year; by default only what has been approved.

    ``approved_only=False`` is the evaluators' working view: every stored
    rating, with ``ratings.unapproved`` counting those not yet approved.
    """
    stored = list(Rating.objects.filter(org=org, framework__fiscal_year=fiscal_year))
    approved = official(stored)
    as_stored = {id(r) for r in approved}
    unapproved = sum(1 for r in stored if id(r) not in as_stored)
    shown = approved if approved_only else stored
    cycle = EvaluationCycle.objects.filter(fiscal_year=fiscal_year).first()
    frameworks = list(
        Framework.objects.on_sheet(fiscal_year).select_related("band_table")
    )
    if cycle is None or not frameworks:
        raise SheetUnavailable(f"ยังไม่มีกรอบการประเมินของปีงบประมาณ {fiscal_year}")
    sheet: dict[str, Any] = {
        "schema": SCHEMA,
        "fiscal_year": fiscal_year,
        "title": cycle.title_th,
        "office": {
            "code": org.code, "name_th": org.name_th, "short_name_th": org.short_name_th,
            "type": org.type, "type_label": org.get_type_display(),
        },
        "frameworks": [],
        "summary": {
            "items": [],
            "signatory": {"name": cycle.signatory_name, "positions": cycle.signatory_positions},
        },
        "recommendations": [],
        "ratings": {"approved_only": approved_only, "unapproved": unapproved},
    }
    for fw in frameworks:
        res = evaluate(org, fw, shown, approved_only=approved_only)
        block = BLOCK_BUILDERS[Layout(fw.layout)](res)
        block.update({
            "code": fw.code, "name_th": fw.name_th, "abbr": fw.abbr, "full_name": fw.full_name,
            "layout": fw.layout,
            "heading": f"{cycle.title_th}{SHEET_TITLE_SUFFIX} ตาม{fw.full_name}",
            "rounds": [{"code": c, "label": label} for c, label in fw.round_labels()],
        })
        sheet[fw.code] = block
        sheet["frameworks"].append(fw.code)
        sheet["summary"]["items"].append({
            "framework": fw.code, "title": fw.full_name, "label": block["overall"]["label"],
        })
        sheet["recommendations"].extend(_recommendations(org, fw, res))
    return sheet


def _recommendations(org: OrgUnit, fw: Framework, res: FrameworkResult) -> list[dict[str, Any]]:
    texts = {
        r.node_id: r.text
        for r in Recommendation.objects.filter(org=org, node__framework=fw)
    }
    out = []
    for n in res.nodes():
        if n.node.pk in texts:
            out.append({
                "framework": fw.code,
                "section_title": fw.recommendations_title_th or f"ข้อเสนอแนะ {fw.full_name}",
                "code": n.node.code, "heading": n.node.heading, "title": n.node.title_th,
                "text": texts[n.node.pk],
            })
    return out
