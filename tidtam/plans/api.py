"""REST endpoints for action plans (a django-ninja Router, mounted by tidtam/api).

Same functions and permission checks as the pages: a plan or project the
caller may not read is a 404; entering progress without the reporter role a
403; bad input a 422 with the Thai message naming the field.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from tidtam.accounts.permissions import can_read, org_filter
from tidtam.plans import emenscr
from tidtam.plans.checks import check_plan
from tidtam.plans.models import Plan, Project
from tidtam.plans.progress import ProgressDenied, ProgressError, save_progress
from tidtam.thai.numbers import fmt_decimal

router = Router(tags=["แผนปฏิบัติการ"])


class PlanOut(Schema):
    id: int
    office: str
    fiscal_year: int
    title: str


class ProgressIn(Schema):
    activities_done: str = ""
    money_spent: str = ""
    problems: str = ""
    indicators: dict[int, str] = {}
    # The version read (GET …/progress gives it; 0 for a quarter not yet reported):
    # saving over someone else's newer save answers 409 with what they saved.
    version: int = 0


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("office"), pk=plan_id)
    if not can_read(request.user, plan.office):
        raise Http404
    return plan


def _out(plan: Plan) -> dict[str, Any]:
    return {"id": plan.pk, "office": plan.office.code, "fiscal_year": plan.fiscal_year,
            "title": plan.title}


@router.get("/plans", response=list[PlanOut])
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    plans = Plan.objects.filter(org_filter(request.user, field="office__")).select_related("office")
    return [_out(p) for p in plans]


@router.get("/plans/{plan_id}")
def plan_summary(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """Achievement computed from the indicators, budget totals from the lines, contradictions."""
    plan = _plan(request, plan_id)
    achievement = plan.achievement()
    totals = plan.execution_totals()
    return _out(plan) | {
        "achievement": {
            "achieved": achievement.achieved, "total": achievement.total,
            "pct": fmt_decimal(achievement.pct),
            "not_achieved": [{"project": i.project.number, "indicator": i.name, "source": i.source}
                             for i in achievement.missed],
        },
        "budget": {k: fmt_decimal(v) for k, v in totals.items()},
        "findings": [{"kind": f.kind, "where": f.where, "printed": f.printed,
                      "expected": f.expected, "message": f.message_th} for f in check_plan(plan)],
    }


@router.get("/plans/{plan_id}/progress")
def plan_progress(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """The eMENSCR rows: one per project and reported quarter, with the version to save against."""
    plan = _plan(request, plan_id)
    return [{**{key: emenscr.as_text(key, row[key]) for key, _ in emenscr.COLUMNS},
             "project_id": row["project_id"], "version": row["version"]}
            for row in emenscr.rows(plan)]


@router.put("/projects/{project_id}/progress/{quarter}")
def put_progress(request: HttpRequest, project_id: int, quarter: int,
                 payload: ProgressIn) -> dict[str, Any]:
    project = get_object_or_404(Project.objects.select_related("plan__office"), pk=project_id)
    if not can_read(request.user, project.plan.office):
        raise Http404
    data = {"activities_done": payload.activities_done, "money_spent": payload.money_spent,
            "problems": payload.problems}
    data |= {f"indicator_{pk}": value for pk, value in payload.indicators.items()}
    try:
        progress = save_progress(request.user, project, quarter, data, payload.version)
    except ProgressDenied:
        raise HttpError(403, "ไม่มีสิทธิ์บันทึกความก้าวหน้าของโครงการนี้") from None
    except ProgressError as exc:
        raise HttpError(422, str(exc)) from None
    return {"project": project.number, "quarter": progress.quarter,
            "money_spent": fmt_decimal(progress.money_spent), "state": progress.state,
            "version": progress.version}
