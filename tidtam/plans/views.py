"""Pages of the action plan: list, plan, dashboard, project with quarterly progress, report, export.

Views are thin: permissions (``tidtam.accounts.permissions``) and the plain
functions of this app. What a user may not read is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tidtam.accounts.permissions import can_approve, can_read, can_report, org_filter
from tidtam.audit.describe import for_page
from tidtam.audit.models import AuditEntry
from tidtam.plans import emenscr
from tidtam.plans.checks import check_plan
from tidtam.plans.dashboard import plan_dashboard
from tidtam.plans.models import Plan, PlanIndicator, Project, QuarterProgress
from tidtam.plans.progress import ProgressDenied, ProgressError, save_progress, transition
from tidtam.plans.render import CONTENT_TYPES, render_report, report_content, report_filename
from tidtam.reporting.errors import Conflict
from tidtam.thai.numbers import fmt_decimal


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("office"), pk=pk)
    if not can_read(request.user, plan.office):
        raise Http404("ไม่พบแผนปฏิบัติการ")
    return plan


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("plan__office", "group"), pk=pk)
    if not can_read(request.user, project.plan.office):
        raise Http404("ไม่พบโครงการ")
    return project


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.filter(org_filter(request.user, field="office__")).select_related("office")
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "projects": plan.projects.select_related("group"),
        "achievement": plan.achievement(), "totals": plan.execution_totals(),
        "findings": check_plan(plan),
    })


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(request, "plans/dashboard.html", {"plan": plan, "dash": plan_dashboard(plan)})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, _project(request, pk))


def _project_page(request: HttpRequest, project: Project, conflict: Conflict | None = None,
                  quarter: int = 0) -> HttpResponse:
    """The project with its quarters; after a conflict, ``quarter``'s form keeps what was typed
    and shows what the other person saved."""
    office = project.plan.office
    reports = {p.quarter: p for p in project.progress.all()}
    indicators = project.figured_indicators()
    quarters = []
    for q in (1, 2, 3, 4):
        report = reports.get(q)
        actuals = report.indicator_actuals if report else {}
        # keyed by indicator id as an int, for the template's get_item
        entry: dict[str, Any] = {"n": q, "report": report,
                                 "values": {int(k): v for k, v in actuals.items()},
                                 "version": report.version if report else 0}
        if conflict is not None and q == quarter:
            post = request.POST
            entry |= {
                "conflict": conflict, "version": conflict.version,
                "theirs": _their_values(conflict.current, indicators),
                "typed": {"activities_done": post.get("activities_done", ""),
                          "money_spent": post.get("money_spent", ""),
                          "problems": post.get("problems", "")},
                "values": {i.pk: post.get(f"indicator_{i.pk}", "") for i in indicators},
            }
        quarters.append(entry)
    return render(request, "plans/project_detail.html", {
        "project": project, "plan": project.plan, "quarters": quarters,
        "indicators": indicators,
        "may_report": can_report(request.user, office),
        "may_approve": can_approve(request.user, office),
    }, status=409 if conflict is not None else 200)


def _their_values(current: dict[str, Any], indicators: list[PlanIndicator]
                  ) -> list[tuple[str, str]]:
    """What the other person saved, field by field as the form labels them."""
    names = {str(i.pk): i.name for i in indicators}
    rows = [("กิจกรรมที่ดำเนินการ", current["activities_done"] or "-"),
            ("เงินที่ใช้ในไตรมาส (บาท)", fmt_decimal(current["money_spent"], grouping=True))]
    rows += [(f"ผลตัวชี้วัด: {names.get(k, k)}", v)
             for k, v in current["indicator_actuals"].items()]
    rows.append(("ปัญหา อุปสรรค", current["problems"] or "-"))
    return rows


@login_required
def project_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed this project's quarterly progress, when, from what to what."""
    project = _project(request, pk)
    # by key, not by the project's title: renaming the project keeps its history
    entries = (AuditEntry.objects.about_any(QuarterProgress, project.progress.values("pk"))
               .select_related("user").prefetch_related("obj"))
    return render(request, "plans/project_audit.html",
                  {"project": project, "plan": project.plan, "shown": for_page(entries[:500])})


@login_required
@require_POST
def progress_save(request: HttpRequest, pk: int, quarter: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        version = int(request.POST.get("version", "0") or 0)
    except ValueError:
        version = 0
    try:
        save_progress(request.user, project, quarter, request.POST, version)
    except ProgressDenied:
        raise Http404("ไม่พบโครงการ") from None
    except Conflict as exc:
        messages.error(request, f"ไตรมาส {quarter}: {exc.message}")
        return _project_page(request, project, exc, quarter)
    except ProgressError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"บันทึกความก้าวหน้าไตรมาส {quarter} แล้ว")
    return redirect("plans:project", pk=project.pk)


@login_required
@require_POST
def progress_action(request: HttpRequest, pk: int, quarter: int, action: str) -> HttpResponse:
    project = _project(request, pk)
    progress = project.progress_for(quarter)
    if progress is None:
        raise Http404("ยังไม่มีรายงานไตรมาสนี้")
    try:
        transition(request.user, progress, action, request.POST.get("comment", ""))
    except ProgressDenied:
        raise Http404("ไม่พบโครงการ") from None
    except ProgressError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"ไตรมาส {quarter}: {progress.get_state_display()}")
    return redirect("plans:project", pk=project.pk)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    fmt = request.GET.get("format", "")
    thai = request.GET.get("thai") == "1"
    if fmt in ("pdf", "docx", "json"):
        data = render_report(plan, fmt, thai=thai)
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{report_filename(plan, fmt)}"'
        return response
    return render(request, "plans/report.html",
                  {"plan": plan, "report": report_content(plan, thai=thai), "thai": thai})


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _plan(request, pk)
    raw = request.GET.get("quarter", "")
    quarter = int(raw) if raw in ("1", "2", "3", "4") else None
    if fmt == "csv":
        response = HttpResponse(emenscr.to_csv(plan, quarter),
                                content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            emenscr.to_xlsx(plan, quarter),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"emenscr-{plan.office.code}-{plan.fiscal_year}{f'-q{quarter}' if quarter else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
