"""Quarterly progress of a project: entry by the project owner, review by the office.

The workflow is the submissions' one, kept small: a reporter of the office
saves (draft) and submits; an approver of the office accepts or returns it
with a comment; a returned report can be edited and submitted again. Every
change is written to the audit log with before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tidtam.accounts.permissions import AnyUser, can_approve, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.plans.models import ProgressState, Project, QuarterProgress
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


def _number(raw: str, field: str) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = parse_number(text)
    except ValueError:
        raise ProgressError(f"{field}: \"{text}\" ไม่ใช่ตัวเลข") from None
    if value < 0:
        raise ProgressError(f"{field}: ต้องไม่ติดลบ")
    return value


def clean(project: Project, quarter: int, data: Mapping[str, str]) -> dict[str, Any]:
    """Check a form's fields; raise ``ProgressError`` before anything is written."""
    if quarter not in (1, 2, 3, 4):
        raise ProgressError(f"ไตรมาส: ต้องเป็น 1 ถึง 4 (ได้รับ {quarter})")
    spent = _number(data.get("money_spent", ""), "เงินที่ใช้ในไตรมาส") or Decimal(0)
    others = sum((p.money_spent for p in project.progress.all() if p.quarter != quarter),
                 Decimal(0))
    if others + spent > project.budget:
        raise ProgressError(
            f"เงินที่ใช้ในไตรมาส: รวมทุกไตรมาสแล้ว {others + spent:,.2f} บาท "
            f"เกินงบประมาณโครงการ {project.budget:,.2f} บาท")
    actuals: dict[str, str] = {}
    for indicator in project.indicators.all():
        value = _number(data.get(f"indicator_{indicator.pk}", ""),
                        f"ผลตัวชี้วัด \"{indicator.name[:40]}\"")
        if value is not None:
            if indicator.target_unit == "ร้อยละ" and value > 100:
                raise ProgressError(f"ผลตัวชี้วัด \"{indicator.name[:40]}\": "
                                    f"ร้อยละต้องไม่เกิน 100 (ได้รับ {value})")
            actuals[str(indicator.pk)] = str(value)
    return {
        "activities_done": (data.get("activities_done") or "").strip(),
        "money_spent": spent,
        "indicator_actuals": actuals,
        "problems": (data.get("problems") or "").strip(),
    }


@transaction.atomic
def save_progress(user: AnyUser, project: Project, quarter: int,
                  data: Mapping[str, str]) -> QuarterProgress:
    office = project.plan.office
    if not can_report(user, office):
        raise ProgressDenied
    values = clean(project, quarter, data)
    progress, created = QuarterProgress.objects.get_or_create(project=project, quarter=quarter)
    if not progress.editable:
        raise ProgressError(f"ไตรมาส {quarter}: รายงานอยู่ในสถานะ "
                            f"\"{progress.get_state_display()}\" แก้ไขไม่ได้")
    before = None if created else _snapshot(progress)
    for key, value in values.items():
        setattr(progress, key, value)
    progress.updated_by = user if user.is_authenticated else None
    progress.updated_at = timezone.now()
    progress.save()
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
    if action == "return" and not comment.strip():
        raise ProgressError("ส่งกลับแก้ไข: ต้องระบุเหตุผล")
    before = progress.state
    progress.state = target
    if comment.strip():
        progress.comment = comment.strip()
    progress.save(update_fields=["state", "comment"])
    record(user, Action.PLAN_PROGRESS_STATE, progress, org=office, before=before, after=target,
           comment=comment)
    return progress
