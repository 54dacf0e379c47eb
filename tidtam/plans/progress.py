"""Quarterly progress of a project: entry by the project owner, review by the office.

The workflow is the submissions' one, kept small: a reporter of the office
saves (draft) and submits; an approver of the office accepts or returns it
with a comment; a returned report can be edited and submitted again. Every
change is written to the audit log with before and after. Saving carries the
version the person read, so that of two people entering the same quarter
the second is shown the first one's figures instead of replacing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from tidtam.accounts.permissions import AnyUser, can_approve, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.limits import DEFAULT_FIGURE, FigureLimit, OutOfLimits, check_figure, check_values
from tidtam.plans.models import ProgressState, Project, QuarterProgress
from tidtam.reporting.editing import versioned_update
from tidtam.thai.numbers import fmt_decimal
from tidtam.thai.parse import parse_number


class ProgressError(ValueError):
    """Refused input or action; the message is Thai and names the field."""


class ProgressDenied(PermissionError):
    pass


def _snapshot(p: QuarterProgress) -> dict[str, Any]:
    return {
        "activities_done": p.activities_done, "money_spent": fmt_decimal(p.money_spent),
        "indicator_actuals": p.indicator_actuals, "problems": p.problems, "state": p.state,
    }


def _number(raw: str, field: str, limit: FigureLimit = DEFAULT_FIGURE) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = parse_number(text)
    except ValueError:
        raise ProgressError(f"{field}: \"{text}\" ไม่ใช่ตัวเลข") from None
    if value < 0:
        raise ProgressError(f"{field}: ต้องไม่ติดลบ")
    try:
        return check_figure(value, limit)
    except OutOfLimits as exc:
        raise ProgressError(f"{field}: {exc.message}") from None


MONEY_LIMIT = FigureLimit.of(QuarterProgress._meta.get_field("money_spent"))
TEXTS = {"activities_done": "กิจกรรมที่ดำเนินการ", "problems": "ปัญหา อุปสรรค"}


def clean(project: Project, quarter: int, data: Mapping[str, str]) -> dict[str, Any]:
    """Check a form's fields; raise ``ProgressError`` before anything is written."""
    if quarter not in (1, 2, 3, 4):
        raise ProgressError(f"ไตรมาส: ต้องเป็น 1 ถึง 4 (ได้รับ {quarter})")
    spent = _number(data.get("money_spent", ""), "เงินที่ใช้ในไตรมาส", MONEY_LIMIT) or Decimal(0)
    others = sum((p.money_spent for p in project.progress.all() if p.quarter != quarter),
                 Decimal(0))
    if others + spent > project.budget:
        raise ProgressError(
            f"เงินที่ใช้ในไตรมาส: รวมทุกไตรมาสแล้ว {others + spent:,.2f} บาท "
            f"เกินงบประมาณโครงการ {project.budget:,.2f} บาท")
    actuals: dict[str, str] = {}
    for indicator in project.figured_indicators():
        value = _number(data.get(f"indicator_{indicator.pk}", ""),
                        f"ผลตัวชี้วัด \"{indicator.name[:40]}\"")
        if value is not None:
            if indicator.target_unit == "ร้อยละ" and value > 100:
                raise ProgressError(f"ผลตัวชี้วัด \"{indicator.name[:40]}\": "
                                    f"ร้อยละต้องไม่เกิน 100 (ได้รับ {value})")
            actuals[str(indicator.pk)] = str(value)
    try:
        texts = check_values(QuarterProgress, {
            key: (data.get(key) or "").strip() for key in TEXTS}, TEXTS)
    except OutOfLimits as exc:
        raise ProgressError(exc.message) from None
    return {**texts, "money_spent": spent, "indicator_actuals": actuals}


def _stored(p: QuarterProgress) -> dict[str, Any]:
    return {"activities_done": p.activities_done, "money_spent": p.money_spent,
            "indicator_actuals": p.indicator_actuals, "problems": p.problems}


@transaction.atomic
def save_progress(user: AnyUser, project: Project, quarter: int,
                  data: Mapping[str, str], version: int) -> QuarterProgress:
    """Save the quarter as typed against ``version`` (0 when it had no report yet).

    If someone saved the quarter since (its version moved on), ``Conflict``
    carries what they saved and nothing is written, as with narratives.
    """
    office = project.plan.office
    if not can_report(user, office):
        raise ProgressDenied
    values = clean(project, quarter, data)
    progress, created = QuarterProgress.objects.get_or_create(project=project, quarter=quarter)
    if not progress.editable:
        raise ProgressError(f"ไตรมาส {quarter}: รายงานอยู่ในสถานะ "
                            f"\"{progress.get_state_display()}\" แก้ไขไม่ได้")
    before = None if created else _snapshot(progress)
    if not created and _stored(progress) == values:
        return progress  # a repeated save of what is stored is not a conflict
    progress.version = versioned_update(QuarterProgress, progress.pk, version, values, user,
                                        _stored(progress))
    progress.refresh_from_db()
    record(user, Action.PLAN_PROGRESS, progress, org=office,
           before=before, after=_snapshot(progress))
    return progress


TRANSITIONS = {
    # action: (allowed from, to, who)
    "submit": ({ProgressState.DRAFT, ProgressState.RETURNED}, ProgressState.SUBMITTED, "report"),
    "accept": ({ProgressState.SUBMITTED}, ProgressState.ACCEPTED, "approve"),
    "return": ({ProgressState.SUBMITTED}, ProgressState.RETURNED, "approve"),
}


@transaction.atomic
def transition(user: AnyUser, progress: QuarterProgress, action: str,
               comment: str = "") -> QuarterProgress:
    if action not in TRANSITIONS:
        raise ProgressError(f"ไม่รู้จักคำสั่ง \"{action}\"")
    sources, target, who = TRANSITIONS[action]
    office = progress.project.plan.office
    allowed = can_report(user, office) if who == "report" else can_approve(user, office)
    if not allowed:
        raise ProgressDenied
    if progress.state not in sources:
        raise ProgressError(f"รายงานไตรมาส {progress.quarter} อยู่ในสถานะ "
                            f"\"{progress.get_state_display()}\" ทำรายการนี้ไม่ได้")
    try:
        comment = check_values(QuarterProgress, {"comment": comment.strip()},
                               {"comment": "ความเห็น"})["comment"]
    except OutOfLimits as exc:
        raise ProgressError(exc.message) from None
    if action == "return" and not comment:
        raise ProgressError("ส่งกลับแก้ไข: ต้องระบุเหตุผล")
    before = progress.state
    progress.state = target
    if comment:
        progress.comment = comment
    progress.save(update_fields=["state", "comment"])
    record(user, Action.PLAN_PROGRESS_STATE, progress, org=office, before=before, after=target,
           comment=comment)
    return progress
