"""Reporting screens: the task list, the submission form, the rating screen.

Views are thin: they find objects the user may see (404 otherwise), call the
functions in editing/workflow/files, and render. htmx requests get small
fragments (autosave status, conflicts, findings); the same URLs work as plain
form posts without JavaScript.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import (
    can_rate,
    can_read,
    can_report,
    org_filter,
    roles_of,
)
from tidtam.audit.describe import for_page
from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import FrameworkNode, Method
from tidtam.narratives.models import Block, Level
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgUnit
from tidtam.reporting import editing, figures, files, narratives, workflow
from tidtam.reporting.approval import submission_log
from tidtam.reporting.completeness import gaps, indicator_states
from tidtam.reporting.errors import (
    Conflict,
    Incomplete,
    InvalidInput,
    Locked,
    NotAllowed,
    TransitionRefused,
)
from tidtam.reporting.models import (
    Attachment,
    AttachmentKind,
    IndicatorReport,
    RoundSchedule,
    State,
    Submission,
)

SESSION_EXPIRED = (
    "หมดเวลาการเข้าสู่ระบบ ข้อความที่พิมพ์ยังอยู่ในช่องนี้ (และสำรองไว้ในเครื่องนี้) "
    "กรุณาเข้าสู่ระบบอีกครั้งในแท็บใหม่ แล้วกลับมากดบันทึก"
)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """login_required that answers an htmx call with a message instead of a login page.

    A redirect to the login form would be swapped into the status line of the
    field being edited; a 401 with a Thai message keeps the page, and the
    typed text, where they are.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if is_htmx(request):
            # The link signs in in a new tab and lands on a page saying "go back";
            # site.js then gives this page the new CSRF token (see its comments).
            return HttpResponse(
                f'<span class="save-error" role="status">{SESSION_EXPIRED} '
                f'<a href="{reverse("signed_in")}" target="_blank" rel="noopener">'
                "เข้าสู่ระบบในแท็บใหม่</a></span>", status=401)
        from django.contrib.auth.views import redirect_to_login

        # After signing in, a form's POST address would answer a GET with 405:
        # come back to the page the form was on instead.
        from tidtam.web.errors import back_url

        after = request.get_full_path()
        if request.method == "POST":
            after = back_url(request) or reverse("reporting:tasks")
        return redirect_to_login(after)

    return wrapper


def _submission(request: HttpRequest, pk: int) -> Submission:
    """The submission, if the user may read it at all; 404 hides what they may not."""
    sub = get_object_or_404(Submission.objects.select_related("org", "framework"), pk=pk)
    if not can_read(request.user, sub.org):
        raise Http404("ไม่พบรายงาน")
    return sub


def _node(sub: Submission, code: str) -> FrameworkNode:
    return get_object_or_404(FrameworkNode, framework=sub.framework, code=code)


def _status(message: str, ok: bool = True, status: int = 200) -> HttpResponse:
    # Messages quote what was typed ("'<b>12</b>' ไม่ใช่ตัวเลข"): escaped, never markup.
    css = "save-ok" if ok else "save-error"
    return HttpResponse(format_html('<span class="{}" role="status">{}</span>', css, message),
                        status=status)


def _fail(request: HttpRequest, exc: Exception, back: str) -> HttpResponse:
    """One place that turns a refused change into a Thai message, htmx or not."""
    if isinstance(exc, NotAllowed):
        raise exc  # Django's 403 page (templates/403.html), for htmx and forms alike
    message = getattr(exc, "message", str(exc))
    status = {NotAllowed: 403, Locked: 409, Conflict: 409, InvalidInput: 422,
              TransitionRefused: 409}.get(type(exc), 400)
    if is_htmx(request):
        if isinstance(exc, Conflict):
            return render(request, "reporting/_conflict.html", {"exc": exc}, status=409)
        return _status(message, ok=False, status=status)
    messages.error(request, message)
    for problem in getattr(exc, "problems", []):
        messages.warning(request, problem)
    return redirect(back)


# --- task list -------------------------------------------------------------


@signed_in
def tasks(request: HttpRequest) -> HttpResponse:
    from tidtam.reporting import tasklist
    from tidtam.web.years import chosen_year, years_with_data

    user = request.user
    roles = roles_of(user)
    years = years_with_data()
    year = chosen_year(request, years)
    if year is None:
        return render(request, "reporting/tasks.html", {"year": None, "roles": roles})
    schedules = list(
        RoundSchedule.objects.filter(framework__fiscal_year=year).select_related("framework")
        .order_by("due_on", "framework__order")
    )
    owed: list[dict[str, Any]] = []
    if Role.REPORTER in roles:
        offices = OrgUnit.objects.filter(
            org_filter(user, {Role.REPORTER}), type__in=AREA_OFFICE_TYPES
        ).order_by("code")[:50]
        existing = {
            (s.org_id, s.framework_id, s.round): s
            for s in Submission.objects.filter(org__in=offices, framework__fiscal_year=year)
        }
        for office in offices:
            for sched in schedules:
                sub = existing.get((office.pk, sched.framework_id, sched.round))
                owed.append({"office": office, "schedule": sched, "submission": sub})
    flt = tasklist.TaskFilter.from_query(request.GET)
    to_rate = to_approve = None
    if Role.EVALUATOR in roles:
        to_rate = tasklist.page_of(tasklist.to_rate(user, year, flt), request, "page")
    if Role.APPROVER in roles:
        to_approve = tasklist.page_of(tasklist.to_approve(user, year, flt), request, "apage")
    progress = []
    if roles & {Role.EVALUATOR, Role.APPROVER, Role.VIEWER, Role.ADMIN}:
        progress = tasklist.progress(user, year, schedules)
    return render(request, "reporting/tasks.html", {
        "year": year, "years": years, "keep": flt.keep(), "flt": flt,
        "keep_no_sort": flt.keep("sort"), "keep_year": [("year", str(year)), *flt.keep()],
        "owed": owed, "to_rate": to_rate, "to_approve": to_approve,
        "progress": progress, "roles": roles, **tasklist.filter_choices(year),
    })


@signed_in
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    org = get_object_or_404(OrgUnit, code=request.POST.get("org", ""))
    sched = get_object_or_404(RoundSchedule, pk=request.POST.get("schedule") or 0)
    try:
        sub, _created = workflow.start(request.user, org, sched.framework, sched.round)
    except InvalidInput as exc:
        return _fail(request, exc, reverse("reporting:tasks"))
    return redirect("reporting:overview", pk=sub.pk)


# --- a submission ----------------------------------------------------------


@signed_in
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    from tidtam.reporting.checks import run_checks

    sub = _submission(request, pk)
    findings = run_checks(sub)
    answers = {a.rule_code: a for a in sub.validation_answers.all()}
    rows = indicator_states(sub)
    return render(request, "reporting/overview.html", {
        "sub": sub, "rows": rows, "findings": findings, "answers": answers,
        "n_empty": sum(1 for r in rows if not r.entered),
        "n_incomplete": sum(1 for r in rows if not r.complete),
        "transitions": workflow.available(request.user, sub),
        "can_edit": sub.is_editable and can_report(request.user, sub.org),
        "can_rate": sub.is_ratable and can_rate(request.user, sub.org),
        "schedule": sub.schedule(),
    })


@signed_in
@require_POST
def action(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    back = reverse("reporting:overview", args=[sub.pk])
    try:
        version = int(request.POST.get("version", "")) if request.POST.get("version") else None
        sub = workflow.apply(request.user, sub, request.POST.get("action", ""),
                             request.POST.get("comment", ""), version,
                             confirm_incomplete=request.POST.get("confirm_incomplete") == "1")
    except Incomplete:
        return redirect("reporting:submit_check", pk=sub.pk)
    except (NotAllowed, Locked, InvalidInput, TransitionRefused) as exc:
        return _fail(request, exc, back)
    messages.success(request, f"ดำเนินการแล้ว: รายงานอยู่ในสถานะ “{State(sub.state).label}”")
    return redirect(back)


@signed_in
def submit_check(request: HttpRequest, pk: int) -> HttpResponse:
    """What is still missing, per indicator, before the reporter confirms sending."""
    from tidtam.reporting.checks import run_checks

    sub = _submission(request, pk)
    sending = [t for t in workflow.available(request.user, sub)
               if t.name in ("submit", "resubmit")]
    if not sending:
        raise Http404("รายงานนี้ส่งไม่ได้ในสถานะปัจจุบัน")
    answered = set(sub.validation_answers.values_list("rule_code", flat=True))
    findings = run_checks(sub)
    return render(request, "reporting/submit_check.html", {
        "sub": sub, "transition": sending[0], "gaps": gaps(sub),
        "errors": [f for f in findings if f.severity == "error"],
        "unanswered": [f for f in findings
                       if f.severity == "warning" and f.rule_code not in answered],
    })


@signed_in
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    back = reverse("reporting:overview", args=[sub.pk])
    try:
        workflow.answer_warning(request.user, sub, request.POST.get("rule", ""),
                                request.POST.get("reason", ""))
    except (NotAllowed, Locked, InvalidInput) as exc:
        return _fail(request, exc, back)
    if is_htmx(request):
        return _status("บันทึกเหตุผลแล้ว")
    messages.success(request, "บันทึกเหตุผลแล้ว")
    return redirect(back)


@signed_in
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    return render(request, "reporting/audit.html", {
        "sub": sub, "shown": for_page(submission_log(request.user, sub)[:500]),
    })


# --- the indicator form ----------------------------------------------------


@signed_in
def indicator(request: HttpRequest, pk: int, node: str) -> HttpResponse:
    from tidtam.reporting.checks import run_checks

    sub = _submission(request, pk)
    n = _node(sub, node)
    if not n.applies(sub.org):
        raise Http404("ตัวชี้วัดนี้ไม่ใช้กับหน่วยงานนี้")
    report = IndicatorReport.objects.filter(submission=sub, node=n).first()
    prefetch_related_objects([n], "elements")
    slots = narratives.slots(sub, n)
    shown = figures.figures(sub, [n])
    elements = [(e, shown[e.pk]) for e in n.elements.all()]
    known = {e.key: f for e, f in elements}
    findings = run_checks(sub, set(known), known=known)
    nodes = [x for x in sub.framework.nodes.order_by("position")
             if x.applies(sub.org) and x.method != Method.GROUP]
    index = next((i for i, x in enumerate(nodes) if x.pk == n.pk), 0)
    return render(request, "reporting/indicator.html", {
        "sub": sub, "node": n, "report": report, "elements": elements,
        "texts": [s for s in slots if not (s.kind.solutions or s.kind.practice)],
        "problems": next((s for s in slots if s.kind.solutions), None),
        "practices": next((s for s in slots if s.kind.practice), None),
        "levels": Level.objects.all(),
        "evidence": report.files.filter(kind=AttachmentKind.EVIDENCE) if report else [],
        "findings": findings,
        "answers": {a.rule_code: a for a in sub.validation_answers.all()},
        "can_edit": sub.is_editable and can_report(request.user, sub.org),
        "prev": nodes[index - 1] if index > 0 else None,
        "next": nodes[index + 1] if index + 1 < len(nodes) else None,
    })


def _report(request: HttpRequest, pk: int, node: str) -> tuple[Submission, IndicatorReport]:
    sub = _submission(request, pk)
    return sub, editing.report_for_checked(request.user, sub, _node(sub, node))


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return 0


def _saved(request: HttpRequest, sub: Submission, node: str, dom_id: str, version: int,
           extra: str = "") -> HttpResponse:
    if not is_htmx(request):
        messages.success(request, "บันทึกแล้ว")
        return redirect("reporting:indicator", pk=sub.pk, node=node)
    from django.utils import timezone

    stamp = timezone.localtime().strftime("%H:%M:%S")
    return HttpResponse(
        f'<span class="save-ok" role="status">บันทึกแล้ว {stamp} น.</span>'
        f'<input type="hidden" name="version" id="{dom_id}" value="{version}" '
        f'hx-swap-oob="true">{extra}'
    )


@signed_in
@require_POST
def narrative(request: HttpRequest, pk: int, node: str, kind: str,
              block: int | None = None) -> HttpResponse:
    back = reverse("reporting:indicator", args=[pk, node]) + "#narratives"
    try:
        sub, report = _report(request, pk, node)
        if request.POST.get("add"):
            editing.add_block(request.user, report, kind)
            return redirect(back)
        target = _block(report, block) if block is not None else None
        saved = editing.save_narrative(request.user, report, kind,
                                       request.POST.get("text", ""), _version(request), target)
    except (NotAllowed, Locked, InvalidInput, Conflict) as exc:
        return _fail(request, exc, back)
    dom = f"v-narrative-{kind}" + (f"-{block}" if block is not None else "")
    return _saved(request, sub, node, dom, saved.version)


def _block(report: IndicatorReport, pk: int) -> Block:
    """A block this indicator's form shows (the office's, of its topic and period), or 404."""
    found = editing.block_of(report, pk)
    if found is None:
        raise Http404("ไม่พบข้อความนี้ในตัวชี้วัดนี้")
    return found


def _findings_fragment(sub: Submission, keys: set[str],
                       known: dict[str, figures.Figure] | None = None) -> str:
    from django.template.loader import render_to_string

    from tidtam.reporting.checks import run_checks

    findings = run_checks(sub, keys, known=known)
    answers = {a.rule_code: a for a in sub.validation_answers.all()}
    return render_to_string("reporting/_findings.html", {
        "findings": findings, "answers": answers, "sub": sub, "oob": True,
    })


@signed_in
@require_POST
def value(request: HttpRequest, pk: int, node: str, element: int) -> HttpResponse:
    back = reverse("reporting:indicator", args=[pk, node])
    try:
        sub, report = _report(request, pk, node)
        prefetch_related_objects([report.node], "elements")
        el = next((e for e in report.node.elements.all() if e.pk == element), None)
        if el is None:
            raise Http404("ไม่พบรายการข้อมูลนี้ในตัวชี้วัดนี้")
        shown = editing.save_value_in_form(request.user, report, el,
                                           request.POST.get("text", ""), _version(request))
    except (NotAllowed, Locked, InvalidInput, Conflict) as exc:
        return _fail(request, exc, back)
    known = {f.element.key: f for f in shown.values()}
    return _saved(request, sub, node, f"v-value-{element}", shown[el.pk].version,
                  _findings_fragment(sub, set(known), known))


@signed_in
@require_POST
def problem(request: HttpRequest, pk: int, node: str, row: int | None = None) -> HttpResponse:
    back = reverse("reporting:indicator", args=[pk, node]) + "#problems"
    try:
        sub, report = _report(request, pk, node)
        if row is None:
            editing.add_problem(request.user, report)
            return redirect(back)
        pr = _block(report, row)
        if request.POST.get("delete"):
            editing.delete_problem(request.user, report, pr, _version(request))
            return redirect(back)
        saved = editing.save_problem(request.user, report, pr, request.POST.get("problem", ""),
                                     request.POST.get("solution", ""), _version(request),
                                     request.POST.get("level"))
    except (NotAllowed, Locked, InvalidInput, Conflict) as exc:
        return _fail(request, exc, back)
    return _saved(request, sub, node, f"v-problem-{pr.pk}", saved.version)


@signed_in
@require_POST
def practice(request: HttpRequest, pk: int, node: str, bp: int | None = None) -> HttpResponse:
    back = reverse("reporting:indicator", args=[pk, node]) + "#practices"
    try:
        sub, report = _report(request, pk, node)
        if bp is None:
            editing.add_best_practice(request.user, report)
            return redirect(back)
        item = _block(report, bp)
        if request.POST.get("delete"):
            editing.delete_best_practice(request.user, report, item)
            return redirect(back)
        if "image" in request.FILES:
            image = request.FILES["image"]
            assert isinstance(image, UploadedFile)
            files.attach(request.user, report, image, AttachmentKind.IMAGE,
                         block=item, caption=request.POST.get("caption", ""))
            messages.success(request, "แนบภาพแล้ว")
            return redirect(back)
        saved = editing.save_best_practice(
            request.user, report, item, request.POST.get("unit_name", ""),
            request.POST.get("model_name", ""), request.POST.get("steps", ""),
            _version(request),
        )
    except (NotAllowed, Locked, InvalidInput, Conflict) as exc:
        return _fail(request, exc, back)
    return _saved(request, sub, node, f"v-practice-{item.pk}", saved.version)


@signed_in
@require_POST
def upload(request: HttpRequest, pk: int, node: str) -> HttpResponse:
    back = reverse("reporting:indicator", args=[pk, node]) + "#evidence"
    try:
        _sub, report = _report(request, pk, node)
        if "file" not in request.FILES:
            raise InvalidInput("file", "กรุณาเลือกไฟล์ก่อนกดแนบ")
        evidence = request.FILES["file"]
        assert isinstance(evidence, UploadedFile)
        files.attach(request.user, report, evidence, AttachmentKind.EVIDENCE,
                     caption=request.POST.get("caption", ""))
    except (NotAllowed, Locked, InvalidInput) as exc:
        return _fail(request, exc, back)
    messages.success(request, "แนบไฟล์แล้ว")
    return redirect(back)


@signed_in
def download(request: HttpRequest, pk: int) -> FileResponse:
    att = get_object_or_404(Attachment.objects.select_related("submission__org"), pk=pk)
    if not can_read(request.user, att.submission.org):
        raise Http404("ไม่พบไฟล์")
    response = FileResponse(att.file.open("rb"), content_type=att.content_type,
                            as_attachment=att.kind != AttachmentKind.IMAGE,
                            filename=att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@signed_in
@require_POST
def delete_file(request: HttpRequest, pk: int) -> HttpResponse:
    att = get_object_or_404(Attachment.objects.select_related("submission__org", "report__node"),
                            pk=pk)
    if not can_read(request.user, att.submission.org):
        raise Http404("ไม่พบไฟล์")
    node = att.report.node.code if att.report else ""
    back = reverse("reporting:indicator", args=[att.submission_id, node])
    try:
        files.detach(request.user, att)
    except (NotAllowed, Locked) as exc:
        return _fail(request, exc, back)
    messages.success(request, "ลบไฟล์แล้ว")
    return redirect(back)


# --- the evaluator's screen ------------------------------------------------


@signed_in
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    if not can_rate(request.user, sub.org):
        raise NotAllowed()
    rounds = workflow.ratable_rounds(sub)
    nodes = workflow.rated_nodes(sub)
    back = reverse("reporting:rate", args=[sub.pk])
    if request.method == "POST":
        cells = []
        for n in nodes:
            for rnd in rounds if n.method == Method.LEVELS_PER_ROUND else rounds[-1:]:
                raw = request.POST.get(f"level-{n.pk}-{rnd}")
                if raw:
                    cells.append((n, rnd, raw))
        try:
            changed = workflow.set_ratings(request.user, sub, cells)
        except (NotAllowed, Locked, InvalidInput) as exc:
            return _fail(request, exc, back)
        messages.success(request, f"บันทึกระดับคุณภาพแล้ว {changed} รายการ")
        return redirect(back)
    ratings = {(r.node_id, r.round): r for r in Rating.objects.filter(
        org=sub.org, framework=sub.framework)}
    reports = {r.node_id: r for r in sub.reports.prefetch_related("files")}
    prefetch_related_objects(nodes, "elements")
    shown = figures.figures(sub, nodes)
    states = {s.node.pk: s for s in indicator_states(sub)}
    slots = narratives.slots_of(sub, nodes)
    rows = []
    for n in nodes:
        rep = reports.get(n.pk)
        rows.append({
            "node": n, "report": rep, "state": states.get(n.pk),
            "figures": [shown[e.pk] for e in n.elements.all() if shown[e.pk].text],
            "slots": [s for s in slots[n.pk] if s.blocks],
            "evidence": [f for f in rep.files.all() if f.kind == AttachmentKind.EVIDENCE]
            if rep else [],
            "cells": [(rnd, ratings.get((n.pk, rnd)))
                      for rnd in (rounds if n.method == Method.LEVELS_PER_ROUND else rounds[-1:])],
        })
    from tidtam.validation.review import for_evaluator

    return render(request, "reporting/rate.html", {
        "sub": sub, "rows": rows, "round_labels": dict(sub.framework.round_labels()),
        "review": for_evaluator(sub.org, sub.framework.fiscal_year),
        "levels": [1, 2, 3, 4, 5], "transitions": workflow.available(request.user, sub),
    })

