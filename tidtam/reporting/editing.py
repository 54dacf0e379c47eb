"""Changing a submission's content: figures, narratives, problems, best practices.

Each function checks permission and state, saves with an optimistic version
check (``UPDATE … WHERE version = n``: whoever saves second gets a Conflict
carrying the other person's text, and loses nothing), and writes the audit
log. Views and the API call these and nothing lower.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from tidtam.accounts.people import person_name
from tidtam.accounts.permissions import can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.frameworks.models import DataElement, FrameworkNode, ValueType
from tidtam.limits import FigureLimit, OutOfLimits, check_figure, check_values
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed
from tidtam.reporting.models import (
    BestPractice,
    DataValue,
    IndicatorReport,
    Narrative,
    NarrativeKind,
    ProblemRow,
    State,
    Submission,
)

VALUE_LIMIT = FigureLimit.of(DataValue._meta.get_field("value_decimal"))


def ensure_editable(user: Any, submission: Submission) -> None:
    if not can_report(user, submission.org):
        raise NotAllowed()
    if not submission.is_editable:
        raise Locked(
            f"รายงานนี้อยู่ในสถานะ “{State(submission.state).label}” จึงแก้ไขไม่ได้"
            + (" (แก้ไขได้เมื่อผู้อนุมัติเปิดแก้ไข)" if submission.state == State.APPROVED else "")
        )


def report_for(submission: Submission, node: FrameworkNode) -> IndicatorReport:
    report, _ = IndicatorReport.objects.get_or_create(submission=submission, node=node)
    return report


def report_for_checked(user: Any, submission: Submission, node: FrameworkNode
                       ) -> IndicatorReport:
    """The indicator's report, after checking the user may edit it (views and API)."""
    ensure_editable(user, submission)
    if not node.applies(submission.org):
        raise InvalidInput("node", f"{node.heading} ไม่ใช้กับหน่วยงานนี้")
    return report_for(submission, node)


def _who(obj: Model) -> str:
    return person_name(getattr(obj, "updated_by", None), "ผู้ใช้อื่น")


def versioned_update(
    model: type[Model], pk: int, version: int, values: dict[str, Any], user: Any,
    current: dict[str, Any],
) -> int:
    """Apply ``values`` only if the row is still at ``version``; return the new version.

    Otherwise raise ``Conflict`` with the row's fresh values of the fields in
    ``current``. Any model with ``version``, ``updated_by`` and ``updated_at``
    can use it (quarterly plan progress does).
    """
    fresh: Any
    updated = model._default_manager.filter(pk=pk, version=version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if not updated:
        fresh = model._default_manager.select_related("updated_by").get(pk=pk)
        raise Conflict(
            {k: getattr(fresh, k) for k in current}, fresh.version, _who(fresh), fresh.updated_at
        )
    return version + 1


def checked(model: type[Model], values: dict[str, Any], labels: dict[str, str],
            where: str) -> dict[str, Any]:
    """``values`` through the shared limits (``tidtam.limits``), named ``where · label``."""
    try:
        return check_values(model, values, {k: f"{where} · {v}" for k, v in labels.items()})
    except OutOfLimits as exc:
        raise InvalidInput(exc.field, exc.message) from None


def save_narrative(
    user: Any, report: IndicatorReport, kind: str, text: str, version: int
) -> Narrative:
    """``version`` is the one the editor loaded (0 when the narrative did not exist yet)."""
    ensure_editable(user, report.submission)
    if kind not in NarrativeKind.values:
        raise InvalidInput("kind", f"ไม่รู้จักหัวข้อ '{kind}'")
    text = checked(Narrative, {"text": text}, {"text": NarrativeKind(kind).label},
                   report.node.heading)["text"]
    with transaction.atomic():
        narrative, created = Narrative.objects.get_or_create(
            report=report, kind=kind, defaults={"version": 0}
        )
        before = narrative.text
        if before == text and not created:
            return narrative  # a repeated save of what is stored is not a conflict
        narrative.version = versioned_update(
            Narrative, narrative.pk, version, {"text": text}, user, {"text": before}
        )
        narrative.text = text
        record(user, Action.NARRATIVE, narrative,
               target=f"{report.node.heading} · {NarrativeKind(kind).label}",
               submission=report.submission, before=before, after=text)
    return narrative


def parse_value(element: DataElement, text: str) -> dict[str, Any]:
    """Turn typed text into the stored fields; a Thai message names what is wrong."""
    from tidtam.thai.parse import parse_number, parse_thai_date

    text = text.strip()
    fields: dict[str, Any] = {"text": text, "value_decimal": None, "value_date": None,
                              "value_list": []}
    if not text:
        return fields
    vt = element.value_type
    try:
        if vt in (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT, ValueType.MONEY):
            number = check_figure(parse_number(text), VALUE_LIMIT)
            if vt == ValueType.INTEGER and number != number.to_integral_value():
                raise ValueError(f"'{text}' ต้องเป็นจำนวนเต็ม")
            if vt == ValueType.PERCENT and not 0 <= number <= 100:
                raise ValueError(f"ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 แต่พบ {text}")
            if vt in (ValueType.INTEGER, ValueType.MONEY) and number < 0:
                raise ValueError(f"'{text}' ต้องไม่ติดลบ")
            fields["value_decimal"] = number
        elif vt == ValueType.DATE:
            fields["value_date"] = parse_thai_date(text)
        elif vt == ValueType.LIST:
            fields["value_list"] = [line.strip() for line in text.splitlines() if line.strip()]
    except ValueError as exc:
        raise InvalidInput(element.key, f"{element.name_th}: {exc}") from None
    return fields


def save_value(
    user: Any, report: IndicatorReport, element: DataElement, text: str, version: int
) -> DataValue:
    ensure_editable(user, report.submission)
    if element.node_id != report.node_id:
        raise InvalidInput(element.key, "รายการข้อมูลนี้ไม่ใช่ของตัวชี้วัดนี้")
    fields = checked(DataValue, parse_value(element, text),
                     {"text": element.name_th, "value_list": element.name_th},
                     report.node.heading)
    with transaction.atomic():
        value, created = DataValue.objects.get_or_create(
            report=report, element=element, defaults={"version": 0}
        )
        before = value.text
        if before == fields["text"] and not created:
            return value  # a repeated save of what is stored is not a conflict
        value.version = versioned_update(DataValue, value.pk, version, fields, user,
                                          {"text": before})
        for k, v in fields.items():
            setattr(value, k, v)
        record(user, Action.VALUE, value, target=f"{report.node.heading} · {element.name_th}",
               submission=report.submission, before=before, after=fields["text"])
    return value


def add_problem(user: Any, report: IndicatorReport) -> ProblemRow:
    ensure_editable(user, report.submission)
    position = report.problems.count()
    row = ProblemRow.objects.create(report=report, position=position, updated_by=user)
    record(user, Action.PROBLEM, row, target=f"{report.node.heading} · ปัญหาแถวที่ {position + 1}",
           submission=report.submission, after="(เพิ่มแถว)")
    return row


def save_problem(user: Any, row: ProblemRow, problem: str, solution: str, version: int
                 ) -> ProblemRow:
    ensure_editable(user, row.report.submission)
    values = checked(ProblemRow, {"problem": problem, "solution": solution},
                     {"problem": "ปัญหา/อุปสรรค", "solution": "วิธีการ/แนวทางการแก้ไข"},
                     row.report.node.heading)
    before = {"problem": row.problem, "solution": row.solution}
    if before == values:
        return row
    with transaction.atomic():
        row.version = versioned_update(ProblemRow, row.pk, version, values, user, before)
        row.problem, row.solution = values["problem"], values["solution"]
        record(user, Action.PROBLEM, row, target=f"{row.report.node.heading} · ปัญหา/แนวทางแก้ไข",
               submission=row.report.submission, before=before, after=values)
    return row


def delete_problem(user: Any, row: ProblemRow, version: int) -> None:
    ensure_editable(user, row.report.submission)
    with transaction.atomic():
        if not ProblemRow.objects.filter(pk=row.pk, version=version).exists():
            fresh = ProblemRow.objects.get(pk=row.pk)
            raise Conflict({"problem": fresh.problem, "solution": fresh.solution},
                           fresh.version, _who(fresh), fresh.updated_at)
        record(user, Action.PROBLEM_DELETE, row,
               target=f"{row.report.node.heading} · ปัญหา/แนวทางแก้ไข",
               submission=row.report.submission,
               before={"problem": row.problem, "solution": row.solution})
        row.delete()


def add_best_practice(user: Any, report: IndicatorReport) -> BestPractice:
    ensure_editable(user, report.submission)
    bp = BestPractice.objects.create(report=report, position=report.best_practices.count(),
                                     updated_by=user)
    record(user, Action.BEST_PRACTICE, bp, target=f"{report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ",
           submission=report.submission, after="(เพิ่มรายการ)")
    return bp


def save_best_practice(user: Any, bp: BestPractice, unit_name: str, model_name: str,
                       steps: str, version: int) -> BestPractice:
    ensure_editable(user, bp.report.submission)
    # Too long is refused like anything else, never cut to fit the column.
    values = checked(BestPractice, {"unit_name": unit_name, "model_name": model_name,
                                    "steps": steps},
                     {"unit_name": "หน่วยงาน/สถานศึกษา", "model_name": "ชื่อผลงาน/รูปแบบ",
                      "steps": "ขั้นตอน/วิธีการ"},
                     f"{bp.report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ")
    before = {k: getattr(bp, k) for k in values}
    if before == values:
        return bp
    with transaction.atomic():
        bp.version = versioned_update(BestPractice, bp.pk, version, values, user, before)
        for k, v in values.items():
            setattr(bp, k, v)
        record(user, Action.BEST_PRACTICE, bp,
               target=f"{bp.report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ",
               submission=bp.report.submission, before=before, after=values)
    return bp


def delete_best_practice(user: Any, bp: BestPractice) -> None:
    ensure_editable(user, bp.report.submission)
    with transaction.atomic():
        record(user, Action.BEST_PRACTICE_DELETE, bp,
               target=f"{bp.report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ",
               submission=bp.report.submission,
               before={"unit_name": bp.unit_name, "model_name": bp.model_name,
                       "steps": bp.steps})
        for image in bp.images.all():
            image.file.delete(save=False)
        bp.delete()
