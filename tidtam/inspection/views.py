"""Inspection screens: units contribute, the ศธจ. and the ศธภ. compile.

Thin views over contributions/compile/render. What a user may not read is a
404; plain form posts (no JavaScript needed), each followed by a redirect.
A refused entry is shown again with what was typed, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tidtam.accounts.models import Role, RoleAssignment
from tidtam.accounts.permissions import can_read, can_report
from tidtam.audit.describe import for_page
from tidtam.audit.models import AuditEntry
from tidtam.inspection import compile as comp
from tidtam.inspection import figures as figs
from tidtam.inspection import words
from tidtam.inspection.completeness import check_report
from tidtam.inspection.contributions import (
    EntryData,
    delete_entry,
    provinces_of,
    save_entry,
    visible_entries,
)
from tidtam.inspection.document import build
from tidtam.inspection.models import (
    Entry,
    EntryKind,
    InspectionFramework,
    InspectionReport,
    Issue,
    Placement,
)
from tidtam.inspection.render import CONTENT_TYPES, FORMATS, filename
from tidtam.inspection.render import render as render_doc
from tidtam.narratives.models import topic_of
from tidtam.ops.csp import document_policy
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed

ROUND = figs.ROUND  # the seeds are round 2 reports; one round per year is compiled here


def _framework() -> InspectionFramework:
    fw = InspectionFramework.objects.order_by("-fiscal_year").first()
    if fw is None:
        raise Http404("ยังไม่มีกรอบการตรวจราชการ (โปรดรัน tidtam init)")
    return fw


def _unit_for_contributor(request: HttpRequest, code: str) -> OrgUnit:
    unit = get_object_or_404(OrgUnit, code=code)
    if not can_report(request.user, unit) or not provinces_of(unit):
        raise Http404
    return unit


def _report(request: HttpRequest, code: str) -> InspectionReport:
    org = get_object_or_404(OrgUnit, code=code)
    if not can_read(request.user, org) or org.type not in comp.LEVEL_OF_OFFICE:
        raise Http404
    return comp.report_for(_framework(), org, ROUND)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    offices = OrgUnit.objects.filter(
        type__in=[OrgType.PROVINCIAL_OFFICE, OrgType.REGIONAL_OFFICE]
    ).order_by("path")
    compiled = [o for o in offices if can_read(user, o)]
    roles = RoleAssignment.objects.filter(
        user_id=user.pk or 0, role=Role.REPORTER
    ).select_related("org")
    units = [r.org for r in roles if provinces_of(r.org)]
    if user.is_superuser:
        units = []
    return render(request, "inspection/home.html", {
        "framework": InspectionFramework.objects.order_by("-fiscal_year").first(),
        "units": units, "offices": compiled[:40],
    })


@login_required
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for_contributor(request, code)
    fw = _framework()
    counts: dict[int, int] = {}
    for e in Entry.objects.filter(framework=fw, round=ROUND, unit=unit):
        counts[e.issue_id] = counts.get(e.issue_id, 0) + 1
    policies = [
        (p, [(i, counts.get(i.pk, 0)) for i in p.issues.all()]) for p in fw.policies.all()
    ]
    return render(request, "inspection/unit.html", {
        "unit": unit, "framework": fw, "policies": policies,
        "provinces": provinces_of(unit),
    })


def _entry_data(request: HttpRequest, issue: Issue) -> EntryData:
    post = request.POST
    question = None
    if post.get("question"):
        question = issue.questions.filter(pk=post["question"]).first()
    return EntryData(
        section=post.get("section", ""), part=post.get("part", ""), question=question,
        kind=post.get("kind", EntryKind.TEXT), title=post.get("title", ""),
        text=post.get("text", ""), steps=post.get("steps", "").splitlines(),
        solutions=post.get("solutions", "").splitlines(), value=post.get("value", ""),
        value_unit=post.get("value_unit", ""), day=post.get("day", ""),
        image=request.FILES.get("image"),
    )


@login_required
def unit_issue(request: HttpRequest, code: str, issue_code: str) -> HttpResponse:
    unit = _unit_for_contributor(request, code)
    fw = _framework()
    issue = get_object_or_404(fw.issues(), code=issue_code)
    error = ""
    typed: dict[str, Any] = {}
    asked = figs.bindings(fw, issue.questions)
    if request.method == "POST" and request.POST.get("action") == "figures":
        error = _save_figures(request, unit, fw, asked)
        if not error:
            messages.success(request, "บันทึกตัวเลขแล้ว (ใช้ร่วมกับแบบรายงานอื่นที่ถามตัวเลขเดียวกัน)")
            return redirect(reverse("inspection:unit_issue", args=[unit.code, issue.code])
                            + "#figures")
        typed = request.POST.dict()
    elif request.method == "POST" and request.POST.get("action") in ("block_add", "block_edit"):
        try:
            if request.POST["action"] == "block_add":
                words.add(request.user, unit, issue, fw, ROUND, request.POST.get("section", ""),
                          request.POST.get("part", ""), request.POST.get("text", ""))
            else:
                words.edit(request.user, unit, issue, fw, ROUND, int(request.POST["block"]),
                           request.POST.get("text", ""), int(request.POST.get("version") or 0))
        except (InvalidInput, NotAllowed) as exc:
            error = getattr(exc, "message", str(exc))
        except Conflict as exc:
            latest = exc.current.get("text", "") if isinstance(exc.current, dict) else exc.current
            error = f"{exc.message} ข้อความล่าสุด: {latest}"
        else:
            messages.success(request, "บันทึกข้อความแล้ว (ใช้ร่วมกับแบบรายงานอื่นในประเด็นเดียวกัน)")
            return redirect(reverse("inspection:unit_issue", args=[unit.code, issue.code]))
    elif request.method == "POST":
        entry = None
        if request.POST.get("entry"):
            entry = get_object_or_404(Entry, pk=request.POST["entry"], unit=unit, issue=issue)
        version = int(request.POST["version"]) if request.POST.get("version") else None
        try:
            saved = save_entry(request.user, unit, issue, _entry_data(request, issue),
                               final=request.POST.get("final") == "1", entry=entry,
                               version=version, round_=ROUND)
        except (InvalidInput, Locked, NotAllowed) as exc:
            error = getattr(exc, "message", str(exc))
            typed = request.POST.dict()
        except Conflict as exc:
            error = f"{exc.message} ข้อความล่าสุด: {exc.current}"
            typed = request.POST.dict()
        else:
            for w in saved.warnings:
                messages.warning(request, w)
            messages.success(request, "บันทึกแล้ว")
            return redirect(reverse("inspection:unit_issue", args=[unit.code, issue.code])
                            + f"#entry-{saved.entry.pk}")
    entries = list(
        Entry.objects.filter(framework=fw, round=ROUND, unit=unit, issue=issue)
        .select_related("question", "author")
    )
    said = words.unit_blocks(unit, issue, fw, ROUND)
    sections = []
    for n, s in enumerate(fw.sections, start=1):
        mine = [e for e in entries if e.section == s["key"]]
        # A sub-section the topic's blocks fill offers only the blocks (and "ไม่มี").
        only_blocks = words.written_as_blocks(issue, fw, s["key"])
        sections.append({
            "key": s["key"], "number": f"{issue.code}.{n}",
            "title": s["title"].replace("{issue}", issue.title),
            "parts": s.get("parts") or [], "entries": mine, "blocks": said.get(s["key"], []),
            "only_blocks": only_blocks,
        })
    questions = list(issue.questions)
    shown = figs.figures(fw, [unit], ROUND, asked)
    figure_rows = [{"figure": f, "typed": typed.get(f"figure-{f.element.pk}"),
                    "question": next((q for q in questions if q.pk == f.element.node_id), None)}
                   for f in shown]
    return render(request, "inspection/unit_issue.html", {
        "unit": unit, "issue": issue, "framework": fw, "sections": sections,
        "questions": questions, "kinds": EntryKind.choices, "error": error, "typed": typed,
        "figures": figure_rows, "shared": words.shared(issue), "topic": topic_of(issue),
    }, status=400 if error else 200)


def _save_figures(request: HttpRequest, unit: OrgUnit, fw: InspectionFramework,
                  asked: list[Any]) -> str:
    """Write the figures the unit typed into the observation store; a Thai error, or ""."""
    from tidtam.measures import store

    if not can_report(request.user, unit):
        return "ไม่มีสิทธิ์บันทึกข้อมูลของหน่วยงานนี้"
    post = request.POST
    wanted = [(e, post.get(f"figure-{e.pk}", "").strip(), int(post.get(f"version-{e.pk}") or 0))
              for e in asked if f"figure-{e.pk}" in post]
    for e, text, _ in wanted:  # all or nothing: check every value before writing any
        if text:
            try:
                store.parse(e.measure, text)
            except store.ValueRefused as exc:
                return f"{e.name_th}: {exc}"
    try:
        with transaction.atomic():
            for e, text, version in wanted:
                if text:
                    figs.write(request.user, unit, fw, e, text, version, ROUND)
    except store.ObservationConflict as exc:
        o = exc.observation
        who = o.updated_by.get_username() if o.updated_by else "ผู้ใช้อื่น"
        return (f"{o.measure.name_th} ถูกแก้ไขโดย {who} แล้ว ค่าล่าสุด: {o.text} "
                "(โปรดตรวจสอบแล้วบันทึกอีกครั้ง)")
    return ""


@login_required
@require_POST
def entry_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit_for_contributor(request, code)
    entry = get_object_or_404(Entry, pk=pk, unit=unit)
    issue_code = entry.issue.code
    try:
        delete_entry(request.user, entry)
        messages.success(request, "ลบแล้ว")
    except (Locked, NotAllowed) as exc:
        messages.error(request, exc.message)
    return redirect("inspection:unit_issue", unit.code, issue_code)


@login_required
def image(request: HttpRequest, pk: int) -> FileResponse:
    entry = get_object_or_404(Entry, pk=pk)
    if not entry.image or not visible_entries(request.user, Entry.objects.filter(pk=pk)).exists():
        raise Http404
    return FileResponse(entry.image.open("rb"))


@login_required
def report_page(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(request, code)
    issues = report.framework.issues()
    current = issues.filter(code=request.GET.get("issue", "")).first() or issues.first()
    assert current is not None
    by_slot = comp.lines(report)
    candidates = comp.duplicate_candidates(report)
    blocks = []
    for n, s in enumerate(report.framework.sections, start=1):
        slots = [(k, v) for k, v in by_slot.items() if k[0] == current.pk and k[1] == s["key"]]
        groups = []
        for (_, _, part, _q), placements in sorted(slots, key=lambda kv: kv[1][0].order):
            q = placements[0].entry.question
            label = q.printed if q else next(
                (p["title"] for p in s.get("parts", []) if p["key"] == part), "")
            groups.append({"label": label, "lines": placements})
        blocks.append({"number": f"{current.code}.{n}",
                       "title": s["title"].replace("{issue}", current.title), "groups": groups})
    findings = check_report(report)
    return render(request, "inspection/report.html", {
        "report": report, "issues": issues, "current": current, "blocks": blocks,
        "candidates": candidates, "can_compile": comp.may_compile(request.user, report),
        "errors": [f for f in findings if f.is_error],
        "warnings": [f for f in findings if not f.is_error],
        "omitted": set(report.omitted_issues.values_list("code", flat=True)),
        "formats": FORMATS,
    })


def _compiler_action(request: HttpRequest, code: str) -> tuple[InspectionReport, str]:
    report = _report(request, code)
    back = reverse("inspection:report", args=[code])
    if request.POST.get("issue"):
        back += f"?issue={request.POST['issue']}"
    return report, back


def _line(report: InspectionReport, pk: int) -> Placement:
    return get_object_or_404(Placement, pk=pk, report=report)


@login_required
@require_POST
def report_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    report, back = _compiler_action(request, code)
    user = request.user
    post = request.POST
    try:
        if action == "gather":
            n = comp.gather(user, report)
            messages.success(request, f"รวบรวมเพิ่ม {n} รายการ")
        elif action == "move":
            comp.move(user, _line(report, int(post["line"])), -1 if post["dir"] == "up" else 1)
        elif action == "duplicate":
            of = _line(report, int(post["of"])) if post.get("of") else None
            comp.mark_duplicate(user, _line(report, int(post["line"])), of)
            messages.success(request, "รวมย่อหน้าที่ซ้ำแล้ว" if of else "แยกย่อหน้าแล้ว")
        elif action == "edit":
            comp.edit_text(user, _line(report, int(post["line"])), post.get("text", ""),
                           int(post.get("version", "0")))
            messages.success(request, "บันทึกข้อความแล้ว")
        elif action == "omit":
            comp.set_omitted(user, report, post.getlist("omit"))
            messages.success(request, "ปรับประเด็นที่ไม่รายงานแล้ว")
        elif action == "send":
            for w in comp.send(user, report):
                messages.warning(request, f"{w.where}: {w.message}")
            messages.success(request, "ส่งรายงานแล้ว")
        else:
            raise Http404
    except (InvalidInput, Locked, NotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    except Conflict as exc:
        messages.error(request, f"{exc.message} ข้อความล่าสุด: {exc.current}")
    return redirect(back)


@login_required
def report_audit(request: HttpRequest, code: str) -> HttpResponse:
    """What the compilers did to the report and its lines, newest first, in Thai words."""
    report = _report(request, code)
    entries = (
        AuditEntry.objects.about(report)
        | AuditEntry.objects.about_any(Placement, report.placements.values("pk"))
    ).select_related("user").prefetch_related("obj")
    return render(request, "inspection/report_audit.html", {
        "report": report, "shown": for_page(entries.order_by("-at", "-pk")[:500]),
    })


@login_required
def report_view(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(request, code)
    return render(request, "inspection/report_view.html", {
        "report": report, "doc": build(report), "formats": FORMATS,
    })


@login_required
@document_policy  # the .html answer is a self-contained document
def report_file(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    report = _report(request, code)
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(render_doc(report, fmt), content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    return response
