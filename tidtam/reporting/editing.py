"""Changing a submission's content: figures, narratives, problems, best practices.

Each function checks permission and state, saves with an optimistic version
check (``UPDATE … WHERE version = n``: whoever saves second gets a Conflict
carrying the other person's text, and loses nothing), and writes the audit
log. Views and the API call these and nothing lower.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from tidtam.accounts.people import person_name
from tidtam.accounts.permissions import can_report
from tidtam.frameworks.models import DataElement, FrameworkNode, ValueType
from tidtam.reporting import audit
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

MAX_TEXT = 20_000


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


def _versioned_update(
    model: type[Model], pk: int, version: int, values: dict[str, Any], user: AbstractBaseUser,
    current: dict[str, Any],
) -> int:
    fresh: Any
    """Apply ``values`` only if the row is still at ``version``; return the new version."""
    updated = model._default_manager.filter(pk=pk, version=version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if not updated:
        fresh = model._default_manager.select_related("updated_by").get(pk=pk)
        raise Conflict(
            {k: getattr(fresh, k) for k in current}, fresh.version, _who(fresh), fresh.updated_at
        )
    return version + 1


def _check_text(field: str, text: str) -> str:
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise InvalidInput(field, f"ข้อความยาวเกิน {MAX_TEXT:,} ตัวอักษร")
    return text


def save_narrative(
    user: Any, report: IndicatorReport, kind: str, text: str, version: int
) -> Narrative:
    """``version`` is the one the editor loaded (0 when the narrative did not exist yet)."""
    ensure_editable(user, report.submission)
    if kind not in NarrativeKind.values:
        raise InvalidInput("kind", f"ไม่รู้จักหัวข้อ '{kind}'")
    text = _check_text(kind, text)
    with transaction.atomic():
        narrative, created = Narrative.objects.get_or_create(
            report=report, kind=kind, defaults={"version": 0}
        )
        before = narrative.text
        if before == text and not created:
            return narrative  # a repeated save of what is stored is not a conflict
        narrative.version = _versioned_update(
            Narrative, narrative.pk, version, {"text": text}, user, {"text": before}
        )
        narrative.text = text
        audit.record(user, "narrative", f"{report.node.heading} · {NarrativeKind(kind).label}",
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
            number = parse_number(text)
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
    fields = parse_value(element, text)
    with transaction.atomic():
        value, created = DataValue.objects.get_or_create(
            report=report, element=element, defaults={"version": 0}
        )
        before = value.text
        if before == fields["text"] and not created:
            return value  # a repeated save of what is stored is not a conflict
        value.version = _versioned_update(DataValue, value.pk, version, fields, user,
                                          {"text": before})
        for k, v in fields.items():
            setattr(value, k, v)
        audit.record(user, "value", f"{report.node.heading} · {element.name_th}",
                     submission=report.submission, before=before, after=fields["text"])
    return value


def add_problem(user: Any, report: IndicatorReport) -> ProblemRow:
    ensure_editable(user, report.submission)
    position = report.problems.count()
    row = ProblemRow.objects.create(report=report, position=position, updated_by=user)
    audit.record(user, "problem", f"{report.node.heading} · ปัญหาแถวที่ {position + 1}",
                 submission=report.submission, after="(เพิ่มแถว)")
    return row


def save_problem(user: Any, row: ProblemRow, problem: str, solution: str, version: int
                 ) -> ProblemRow:
    ensure_editable(user, row.report.submission)
    values = {"problem": _check_text("problem", problem),
              "solution": _check_text("solution", solution)}
    before = {"problem": row.problem, "solution": row.solution}
    if before == values:
        return row
    with transaction.atomic():
        row.version = _versioned_update(ProblemRow, row.pk, version, values, user, before)
        row.problem, row.solution = values["problem"], values["solution"]
        audit.record(user, "problem", f"{row.report.node.heading} · ปัญหา/แนวทางแก้ไข",
                     submission=row.report.submission, before=before, after=values)
    return row


def delete_problem(user: Any, row: ProblemRow, version: int) -> None:
    ensure_editable(user, row.report.submission)
    with transaction.atomic():
        if not ProblemRow.objects.filter(pk=row.pk, version=version).exists():
            fresh = ProblemRow.objects.get(pk=row.pk)
            raise Conflict({"problem": fresh.problem, "solution": fresh.solution},
                           fresh.version, _who(fresh), fresh.updated_at)
        audit.record(user, "problem_delete", f"{row.report.node.heading} · ปัญหา/แนวทางแก้ไข",
                     submission=row.report.submission,
                     before={"problem": row.problem, "solution": row.solution})
        row.delete()


def add_best_practice(user: Any, report: IndicatorReport) -> BestPractice:
    ensure_editable(user, report.submission)
    bp = BestPractice.objects.create(report=report, position=report.best_practices.count(),
                                     updated_by=user)
    audit.record(user, "best_practice", f"{report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ",
                 submission=report.submission, after="(เพิ่มรายการ)")
    return bp


def save_best_practice(user: Any, bp: BestPractice, unit_name: str, model_name: str,
                       steps: str, version: int) -> BestPractice:
    ensure_editable(user, bp.report.submission)
    values = {"unit_name": _check_text("unit_name", unit_name)[:255],
              "model_name": _check_text("model_name", model_name)[:500],
              "steps": _check_text("steps", steps)}
    before = {k: getattr(bp, k) for k in values}
    if before == values:
        return bp
    with transaction.atomic():
        bp.version = _versioned_update(BestPractice, bp.pk, version, values, user, before)
        for k, v in values.items():
            setattr(bp, k, v)
        audit.record(user, "best_practice", f"{bp.report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ",
                     submission=bp.report.submission, before=before, after=values)
    return bp


def delete_best_practice(user: Any, bp: BestPractice) -> None:
    ensure_editable(user, bp.report.submission)
    with transaction.atomic():
        audit.record(user, "best_practice_delete",
                     f"{bp.report.node.heading} · วิธีปฏิบัติที่เป็นเลิศ",
                     submission=bp.report.submission,
                     before={"unit_name": bp.unit_name, "model_name": bp.model_name,
                             "steps": bp.steps})
        for image in bp.images.all():
            image.file.delete(save=False)
        bp.delete()
