"""``tidtam ratings import FILE.csv``: evaluators' values in bulk.

Required columns: ``org_code,year,framework,node,round,level``.
Optional columns:

- ``status``: empty for a plain level, or ``monitored`` (ติดตามแต่ไม่ประเมินผล),
  ``in_progress`` (อยู่ระหว่างดำเนินการ), ``unscored`` (ไม่มีผลการประเมิน);
- ``target``, ``actual``: numbers for target-compared indicators (``target``
  overrides the framework's target for this office; a ``%`` sign is allowed);
- ``note``: free text kept with the rating;
- ``line``: the line of the source document the row was read from (e-MES sheets).

A target-compared indicator's ``actual`` is not kept on the rating: it is
written as the observation of the node's result (``tidtam.evaluation.actuals``)
with this file and row (or source line) as its source. Where the office typed
a different value already, the typed one stays and the imported one is listed
as a disagreement for review.

``node`` is the indicator code within the framework, or ``*`` for the
framework as a whole where the evaluator sets the overall level (ESA).
``level`` is ``1``–``5``, ``-`` for not applicable, or empty with a status or
for a target-compared indicator. The whole file is checked before anything is
written; a re-import updates the same ratings in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.csvfiles import ImportFailed, RowError, read_rows
from tidtam.evaluation import actuals
from tidtam.evaluation.models import Rating, Status
from tidtam.frameworks.models import AppliesTo, Framework, FrameworkNode, Method, OverallMethod
from tidtam.limits import FigureLimit, OutOfLimits, check_figure
from tidtam.measures import store
from tidtam.measures.models import SourceKind
from tidtam.orgs.models import OrgUnit

REQUIRED = ("org_code", "year", "framework", "node", "round", "level")
OPTIONAL = ("status", "target", "actual", "note", "line")
OVERALL = "*"
FIGURE_LIMIT = FigureLimit.of(Rating._meta.get_field("target_value"))
EXPLICIT_STATUSES = {Status.MONITORED, Status.IN_PROGRESS, Status.UNSCORED}


@dataclass
class RatingRow:
    row: int
    org: OrgUnit
    framework: Framework
    node: FrameworkNode | None
    round: str
    status: str
    level: int | None
    target: Decimal | None
    actual: Decimal | None
    note: str
    line: int | None = None


@dataclass
class RatingImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    disagreements: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"นำเข้าผลการประเมินสำเร็จ: เพิ่มใหม่ {self.created} แก้ไข {self.updated} "
            f"ไม่เปลี่ยนแปลง {self.unchanged}"
        )
        if self.disagreements:
            text += (f" ค่าที่ไม่ตรงกับที่บันทึกไว้ {len(self.disagreements)} รายการ "
                     "(เก็บไว้ให้ตรวจสอบ ไม่เขียนทับ): " + "; ".join(self.disagreements))
        return text


def _number(text: str) -> Decimal:
    cleaned = text.replace(",", "").replace("%", "").strip()
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return check_figure(value, FIGURE_LIMIT)


def _parse(data: bytes) -> list[RatingRow]:
    rows = read_rows(data, REQUIRED, OPTIONAL)
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in={v["org_code"] for _, v in rows})}
    frameworks = {(f.code, f.fiscal_year): f for f in Framework.objects.all()}
    nodes = {(n.framework_id, n.code): n for n in FrameworkNode.objects.all()}
    errors: list[RowError] = []
    parsed: list[RatingRow] = []
    seen: dict[tuple[int, int, str, str], int] = {}
    for number, v in rows:
        problems: list[str] = []
        org = orgs.get(v["org_code"])
        if org is None:
            problems.append(f"ไม่พบหน่วยงานรหัส '{v['org_code']}'")
        try:
            year = int(v["year"])
        except ValueError:
            errors.append(RowError(number, f"ปีงบประมาณ '{v['year']}' ไม่ใช่ตัวเลข พ.ศ."))
            continue
        framework = frameworks.get((v["framework"], year))
        if framework is None:
            known = sorted({c for c, _ in frameworks})
            errors.append(RowError(number, (
                f"ไม่พบกรอบการประเมิน '{v['framework']}' ปีงบประมาณ {year} "
                f"(กรอบที่มี: {', '.join(known) or 'ยังไม่มี'})"
            )))
            continue
        node: FrameworkNode | None = None
        if v["node"] == OVERALL:
            if framework.overall != OverallMethod.EVALUATOR:
                problems.append(
                    f"กรอบ '{framework.code}' คำนวณภาพรวมจากค่าเฉลี่ย "
                    "ไม่ต้องกรอกระดับภาพรวม (node = *)"
                )
        else:
            node = nodes.get((framework.pk, v["node"]))
            if node is None:
                problems.append(f"ไม่พบตัวชี้วัด '{v['node']}' ในกรอบ '{framework.code}' ปี {year}")
        if v["round"] not in framework.rounds:
            problems.append(
                f"รอบ '{v['round']}' ใช้ไม่ได้กับกรอบ '{framework.code}' "
                f"(ใช้ได้: {', '.join(framework.rounds)})"
            )
        status, level, level_problem = _level(v["level"], v.get("status", ""))
        if level_problem:
            problems.append(level_problem)
        target = actual = None
        figure_problem = False  # then "must have an actual" would only repeat it
        for col in ("target", "actual"):
            if v.get(col):
                try:
                    value = _number(v[col])
                except InvalidOperation:
                    problems.append(f"ค่า {col} '{v[col]}' ไม่ใช่ตัวเลข")
                    figure_problem = True
                    continue
                except OutOfLimits as exc:
                    problems.append(f"ค่า {col}: {exc.message}")
                    figure_problem = True
                    continue
                if col == "target":
                    target = value
                else:
                    actual = value
        if org is not None and not level_problem and not figure_problem:
            problems.extend(_fits_node(node, org, status, level, actual, target))
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        assert org is not None
        key = (org.pk, framework.pk, node.code if node else OVERALL, v["round"])
        if key in seen:
            errors.append(RowError(number, f"ซ้ำกับแถวที่ {seen[key]} (หน่วยงาน ตัวชี้วัด และรอบเดียวกัน)"))
            continue
        seen[key] = number
        parsed.append(RatingRow(
            number, org, framework, node, v["round"], status, level, target, actual,
            v.get("note", ""), int(v["line"]) if v.get("line", "").isdigit() else None,
        ))
    if errors:
        raise ImportFailed(errors)
    return parsed


def _level(text: str, status_text: str) -> tuple[str, int | None, str | None]:
    status = status_text.strip().lower()
    if status and status not in EXPLICIT_STATUSES:
        return "", None, (
            f"สถานะ '{status_text}' ใช้ไม่ได้ (ใช้ได้: {', '.join(sorted(EXPLICIT_STATUSES))} "
            "หรือเว้นว่าง)"
        )
    if text == "-":
        if status:
            return "", None, "ระดับ '-' (ไม่ประเมิน) ใช้ร่วมกับสถานะอื่นไม่ได้"
        return Status.NOT_APPLICABLE, None, None
    if text == "":
        return status or Status.RATED, None, None
    if status:
        return "", None, f"สถานะ '{status}' ต้องไม่มีระดับคุณภาพ แต่พบ '{text}'"
    if text not in {"1", "2", "3", "4", "5"}:
        return "", None, f"ระดับคุณภาพต้องเป็น 1–5 หรือ - (ไม่ประเมิน) แต่พบ '{text}'"
    return Status.RATED, int(text), None


def _fits_node(
    node: FrameworkNode | None, org: OrgUnit, status: str, level: int | None,
    actual: Decimal | None, target: Decimal | None,
) -> list[str]:
    if node is None:
        if status == Status.RATED and level is None:
            return ["ระดับภาพรวมต้องเป็น 1–5"]
        return []
    name = f"ตัวชี้วัด {node.code}"
    if status == Status.NOT_APPLICABLE:
        return []
    if not node.applies(org):
        return [(
            f"{name} ใช้{AppliesTo(node.applies_to).label} แต่ {org.display_name} "
            f"เป็น{org.get_type_display()} ให้กรอกระดับเป็น -"
        )]
    if node.method == Method.GROUP:
        return [f"{name} เป็นหัวข้อ ไม่มีระดับของตนเอง ให้กรอกที่ตัวชี้วัดย่อย"]
    if node.method == Method.MONITORED and status not in (Status.MONITORED, ""):
        return [f"{name} เป็นตัวชี้วัดที่ติดตามแต่ไม่ประเมินผล ให้กรอกสถานะ monitored"]
    if node.method == Method.TARGET:
        if level is not None:
            return [f"{name} ประเมินโดยเทียบค่าเป้าหมาย ให้กรอกผลในคอลัมน์ actual แทนระดับ"]
        if status == Status.RATED and actual is None:
            return [f"{name} ประเมินโดยเทียบค่าเป้าหมาย ต้องมีค่า actual"]
        if actual is not None and actuals.binding(node) is None:
            return [f"{name} ไม่มีรายการผลการดำเนินงานในกรอบ จึงนำเข้าค่า actual ไม่ได้"]
        return []
    if target is not None or actual is not None:
        return [f"{name} ประเมินเป็นระดับคุณภาพ ไม่ใช้ค่า target/actual"]
    if status == Status.RATED and level is None:
        return [f"{name} ต้องมีระดับคุณภาพ 1–5 (หรือ - / สถานะ)"]
    return []


def import_ratings(data: bytes, *, user: Any = None, comment: str = "",
                   source: dict[str, Any] | None = None) -> RatingImportResult:
    """Check every row, then write them in one transaction, each change audited.

    ``comment`` says where the rows came from (a file, an accepted draft); it
    goes with every audit entry, whose ``before`` is the rating as it was.
    ``source`` names the file (and draft) the actuals' observations come from.
    """
    rows = _parse(data)
    result = RatingImportResult()
    with transaction.atomic():
        for r in rows:
            if r.actual is not None and r.node is not None:
                _import_actual(user, r, source or {"file": comment or "ratings import"}, result)
            values = {
                "status": r.status, "level": r.level, "target_value": r.target, "note": r.note,
            }
            lookup = {"org": r.org, "framework": r.framework, "node": r.node, "round": r.round}
            existing = Rating.objects.filter(**lookup).first()
            if existing is None:
                rating = Rating.objects.create(**lookup, **values)
                _audit(user, rating, None, comment)
                result.created += 1
            elif any(getattr(existing, k) != v for k, v in values.items()):
                before = existing.audit_values()
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.save()
                _audit(user, existing, before, comment)
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _import_actual(user: Any, r: RatingRow, source: dict[str, Any],
                   result: RatingImportResult) -> None:
    """The row's actual as the node's observation, unless the office typed another one."""
    assert r.node is not None and r.actual is not None
    element = actuals.binding(r.node)
    assert element is not None  # _fits_node refused the row otherwise
    period = actuals.period_of(r.framework, element)
    here = {**source, "row": r.row, "node": r.node.code, "framework": r.framework.code}
    if r.line is not None:
        here["line"] = r.line
    obs = store.find(r.org, element.measure, period, element.category)
    if obs is not None and obs.value_decimal == r.actual:
        return
    if obs is not None and obs.source_kind != SourceKind.IMPORTED:
        # Typed (or migrated) first: the office's value stays, the import's is kept for review.
        store.record_disagreement(r.org, element.measure, period, actuals.text_of(r.actual),
                                  category=element.category, source_kind=SourceKind.IMPORTED,
                                  source=here, observation=obs)
        where = f"บรรทัดที่ {r.line}" if r.line is not None else f"แถวที่ {r.row}"
        result.disagreements.append(
            f"{r.org.display_name} {r.node.heading}: บันทึกไว้ {obs.text} แต่{where} ระบุ "
            f"{actuals.text_of(r.actual)}")
        return
    written = actuals.write(user, r.org, r.node, r.actual, source_kind=SourceKind.IMPORTED,
                            source=here)
    if written.changed:
        record(user, Action.OBSERVATION_IMPORT, written.observation,
               target=f"{element.measure.name_th} ({period.label_th})", org=r.org,
               before=written.before or None, after=written.observation.text,
               comment=comment_of(here))


def comment_of(source: dict[str, Any]) -> str:
    where = f" บรรทัดที่ {source['line']}" if "line" in source else f" แถวที่ {source['row']}"
    return f"นำเข้าจาก {source.get('file', '')}{where}"


def _audit(user: Any, rating: Rating, before: dict[str, Any] | None, comment: str) -> None:
    what = rating.node.heading if rating.node else "ภาพรวม"
    round_label = dict(rating.framework.round_labels()).get(rating.round, rating.round)
    record(user, Action.RATING_IMPORT, rating,
           target=f"{rating.framework.full_name} {what} · {round_label}",
           before=before, after=rating.audit_values(), comment=comment)
