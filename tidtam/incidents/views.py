"""The register's pages: the public report and tracking pages, and the handlers' pages.

The public pages need no account and no JavaScript: plain forms, a school
found by its code or by a name search that lists links. Handlers' pages are
for the SC-Operators and SC-Action staff of a unit (roles reach the unit's
subtree); the dashboard's counts, which name nobody, for anyone who may read
the office.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tidtam.accounts.models import Role, RoleAssignment
from tidtam.accounts.permissions import can_read, has_role, org_filter, roles_of
from tidtam.incidents import files, privacy, ratelimit, workflow
from tidtam.incidents.models import (
    ENDED,
    Incident,
    IncidentFile,
    State,
    StateDeadline,
    ThreatGroup,
)
from tidtam.incidents.workflow import HANDLING, TRANSITIONS, Refused, may_handle
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.views import signed_in

REPORTABLE = (OrgType.SCHOOL, OrgType.PRIMARY_AREA, OrgType.SECONDARY_AREA)
CODE_SESSION_KEY = "incident_tracking_code"
TOO_MANY = ("มีการส่งจากเครื่องนี้มากเกินไปในช่วงเวลาสั้น ๆ กรุณารอสักครู่แล้วลองใหม่ "
            "หากเป็นเหตุฉุกเฉิน โทร 191 หรือศูนย์ MOE Safety Center 0-2126-6565")


# --- the public pages ------------------------------------------------------------


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _parse_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def report(request: HttpRequest) -> HttpResponse:
    """Report an incident: no account, no script; gives a tracking code back."""
    q = request.GET.get("q", "").strip()[:100]
    school_code = (request.POST.get("school") or request.GET.get("school", "")).strip()[:32]
    found: list[OrgUnit] = []
    if q:
        found = list(OrgUnit.objects.filter(type__in=REPORTABLE).filter(
            Q(name_th__icontains=q) | Q(short_name_th__icontains=q) | Q(code__iexact=q))
            .order_by("name_th")[:20])
    school = workflow.find_unit(school_code) if school_code else None
    values = {k: request.POST.get(k, "") for k in (
        "group", "threat_type", "what", "happened_on", "happened_time", "place",
        "reporter_name", "reporter_contact", "people_involved")}
    error, field, status = "", "", 200
    if request.method == "POST":
        if not ratelimit.allow(request, "incident_report"):
            error, status = TOO_MANY, 429
        else:
            data = workflow.Report(
                org_code=school_code, group_code=values["group"], what=values["what"],
                happened_on=_parse_date(values["happened_on"]),
                type_code=values["threat_type"],
                happened_time=_parse_time(values["happened_time"]), place=values["place"],
                reporter_name=values["reporter_name"],
                reporter_contact=values["reporter_contact"],
                people_involved=values["people_involved"])
            try:
                case = workflow.report(request.user, data)
            except Refused as exc:
                error, field, status = exc.message, exc.field, 422
            else:
                request.session[CODE_SESSION_KEY] = case.tracking_code
                return redirect("incidents:reported")
    groups = ThreatGroup.objects.prefetch_related("types")
    return render(request, "incidents/report.html", {
        "q": q, "found": found, "school": school, "school_code": school_code,
        "groups": groups, "values": values, "error": error, "field": field,
        "today": timezone.localdate().isoformat(),
    }, status=status)


def reported(request: HttpRequest) -> HttpResponse:
    code = request.session.pop(CODE_SESSION_KEY, "")
    if not code:
        return redirect("incidents:report")
    return render(request, "incidents/reported.html", {"code": code})


def track(request: HttpRequest) -> HttpResponse:
    """A case's status by its tracking code: nothing else about it."""
    code = request.GET.get("code", "").strip()[:40]
    case, error, status = None, "", 200
    if code:
        if not ratelimit.allow(request, "incident_track"):
            error, status = TOO_MANY, 429
        else:
            from tidtam.incidents.models import normalise_code

            case = (Incident.objects.select_related("handler")
                    .filter(tracking_code=normalise_code(code)).first())
            if case is None:
                error, status = f"ไม่พบเหตุรหัสติดตาม '{code}' กรุณาตรวจสอบรหัสอีกครั้ง", 404
    steps = list(case.steps.values_list("to_state", "at")) if case else []
    return render(request, "incidents/track.html", {
        "code": code, "case": case, "error": error,
        "steps": [(State(s).label, at) for s, at in steps],
    }, status=status)


# --- the handlers' pages -----------------------------------------------------------


def handled(user: Any) -> QuerySet[Incident]:
    """The cases ``user`` handles: where they happened lies in the user's handling subtree."""
    return Incident.objects.filter(org_filter(user, HANDLING, "org__"))


def _deadlines() -> dict[str, int]:
    return dict(StateDeadline.objects.values_list("state", "hours"))


def _office(request: HttpRequest) -> OrgUnit | None:
    code = request.GET.get("org", "").strip()
    if not code:
        return None
    org = OrgUnit.objects.filter(code=code).first()
    if org is None:
        raise Http404("ไม่พบหน่วยงาน")
    return org


def _span(request: HttpRequest) -> tuple[dt.date, dt.date] | None:
    """The days a figure's period covers (``from``/``to``), as a QP figure links to it."""
    raw = (request.GET.get("from", ""), request.GET.get("to", ""))
    if not any(raw):
        return None
    try:
        start, end = (dt.date.fromisoformat(r) for r in raw)
    except ValueError:
        messages.error(request, "ช่วงวันที่เกิดเหตุไม่ถูกต้อง (ต้องเป็น ปปปป-ดด-วว ทั้งสองค่า) "
                                "จึงแสดงทุกวันที่")
        return None
    return start, end


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    """Cases of an office (or all one handles): open by age and group, overdue per state."""
    if not roles_of(request.user) & (HANDLING | {Role.ADMIN}):
        raise PermissionDenied("หน้านี้สำหรับผู้รับแจ้งเหตุ (SC-Operator) และผู้ดำเนินการ "
                               "(SC-Action) เท่านั้น")
    office = _office(request)
    qs = handled(request.user).select_related("org", "handler", "group", "assignee")
    if office is not None:
        if not has_role(request.user, HANDLING, office):
            raise Http404("ไม่พบหน่วยงาน")
        qs = qs.filter(org__path__startswith=office.path)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(fiscal_year=int(year))
    span = _span(request)
    if span is not None:
        qs = qs.filter(happened_on__gte=span[0], happened_on__lte=span[1])
    group = request.GET.get("group", "")
    if group:
        qs = qs.filter(group__category=group)
    level = request.GET.get("level", "")
    if level:
        qs = qs.filter(closing_level=level)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.exclude(state__in=ENDED)
    elif state == "ended":
        qs = qs.filter(state__in=ENDED)
    elif state in State.values:
        qs = qs.filter(state=state)
    deadlines = _deadlines()
    now = timezone.now()
    cases = list(qs.order_by("-reported_at")[:2000])
    open_cases = [c for c in cases if c.is_open]
    overdue = sorted((c for c in open_cases if workflow.overdue(c, deadlines, now)),
                     key=lambda c: c.state_since)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    keep = [(k, v) for k, v in request.GET.items() if k != "page"]
    return render(request, "incidents/index.html", {
        "office": office, "page": page, "keep": keep, "overdue": overdue,
        "by_age": _by_age(open_cases, now), "by_group": _by_group(open_cases),
        "filters": {"year": year, "group": group, "level": level, "state": state},
        "span": span, "deadlines": deadlines, "now": now,
    })


AGE_BANDS = ((1, "ไม่เกิน 1 วัน"), (3, "2–3 วัน"), (7, "4–7 วัน"), (30, "8–30 วัน"),
             (None, "เกิน 30 วัน"))


def _by_age(cases: list[Incident], now: dt.datetime) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for c in cases:
        days = (now - c.reported_at).days
        for limit, label in AGE_BANDS:
            if limit is None or days < limit:
                counts[label] += 1
                break
    return [(label, counts[label]) for _, label in AGE_BANDS]


def _by_group(cases: list[Incident]) -> list[tuple[ThreatGroup, int]]:
    counts = Counter(c.group_id for c in cases)
    return [(g, counts[g.pk]) for g in ThreatGroup.objects.all()]


def sc_operators(unit: OrgUnit) -> int:
    """SC-Operators held on the unit itself (003 L706 asks for at least two per school)."""
    return RoleAssignment.objects.filter(role=Role.SC_OPERATOR, org=unit,
                                         user__is_active=True).count()


@signed_in
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """An office's counts by state, group and closing level, and its SC staffing: no names."""
    office = get_object_or_404(OrgUnit, code=code)
    if not can_read(request.user, office):
        raise Http404("ไม่พบหน่วยงาน")
    year = request.GET.get("year", "")
    qs = Incident.objects.filter(org__path__startswith=office.path)
    years = sorted(set(qs.values_list("fiscal_year", flat=True)), reverse=True)
    if year.isdigit():
        qs = qs.filter(fiscal_year=int(year))
    elif years:
        year = str(years[0])
        qs = qs.filter(fiscal_year=years[0])
    rows = list(qs.select_related("group"))
    states = Counter(c.state for c in rows)
    now, deadlines = timezone.now(), _deadlines()
    levels = Counter(c.closing_level for c in rows if not c.is_open)
    schools = list(OrgUnit.objects.filter(path__startswith=office.path, type=OrgType.SCHOOL)
                   .order_by("name_th")[:500])
    ops = _ops_by_unit(schools)
    short = [s for s in schools if ops.get(s.pk, 0) < 2]
    return render(request, "incidents/dashboard.html", {
        "office": office, "year": year, "years": years, "total": len(rows),
        "states": [(State(s).label, states[s]) for s in State.values],
        "by_group": _by_group([c for c in rows if c.is_open]),
        "by_group_all": _by_group(rows),
        "by_age": _by_age([c for c in rows if c.is_open], now),
        "overdue": sum(1 for c in rows if workflow.overdue(c, deadlines, now)),
        "levels": [(label, levels[code]) for code, label in CLOSING_LABELS],
        "own_operators": sc_operators(office), "is_school": office.type == OrgType.SCHOOL,
        "short": short, "handles": has_role(request.user, HANDLING, office),
    })


CLOSING_LABELS = (("school", "สถานศึกษา"), ("area", "สำนักงานเขตพื้นที่การศึกษา"),
                  ("above", "หน่วยงานระดับสูงกว่า"))


def _ops_by_unit(units: list[OrgUnit]) -> dict[int, int]:
    counts: Counter[int] = Counter(RoleAssignment.objects.filter(
        role=Role.SC_OPERATOR, org__in=units, user__is_active=True).values_list("org_id",
                                                                                flat=True))
    return dict(counts)


def _case_or_404(request: HttpRequest, pk: int) -> Incident:
    case = get_object_or_404(Incident.objects.select_related(
        "org", "handler", "group", "threat_type", "assignee"), pk=pk)
    if not may_handle(request.user, case):  # a role over the handler covers the case too
        raise Http404("ไม่พบเหตุ")
    return case


@signed_in
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    actions = workflow.allowed_actions(request.user, case)
    return render(request, "incidents/detail.html", {
        "case": case, "personal": privacy.personal(request.user, case, "หน้ารายละเอียดเหตุ"),
        "actions": [(a, TRANSITIONS[a]) for a in actions],
        "candidates": workflow.action_candidates(case.handler) if "assign" in actions else [],
        "steps": case.steps.select_related("by", "org"),
        "files": case.files.all(), "overdue": workflow.overdue(case, _deadlines()),
        "escalate_to": workflow.escalation_target(case.handler),
        "operators": sc_operators(case.org) if case.org.type == OrgType.SCHOOL else None,
        "groups": ThreatGroup.objects.prefetch_related("types") if case.is_open and has_role(
            request.user, HANDLING, case.handler) else None,
    })


@signed_in
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    action = request.POST.get("action", "")
    assignee = None
    if request.POST.get("assignee", "").isdigit():
        assignee = get_user_model().objects.filter(pk=int(request.POST["assignee"])).first()
    version = request.POST.get("version", "")
    try:
        workflow.apply(request.user, case, action, note=request.POST.get("note", ""),
                       version=int(version) if version.isdigit() else None, assignee=assignee)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"บันทึกขั้นตอน '{TRANSITIONS[action].label}' แล้ว")
    if not may_handle(request.user, Incident.objects.get(pk=case.pk)) and action == "escalate":
        return redirect("incidents:index")
    return redirect("incidents:detail", pk=case.pk)


@signed_in
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    version = request.POST.get("version", "")
    try:
        workflow.reclassify(request.user, case, request.POST.get("group", ""),
                            request.POST.get("threat_type", ""),
                            version=int(version) if version.isdigit() else None)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "บันทึกกลุ่มภัยแล้ว")
    return redirect("incidents:detail", pk=case.pk)


@signed_in
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        messages.error(request, "กรุณาเลือกไฟล์ที่จะแนบ")
    else:
        try:
            files.attach(request.user, case, upload_file, request.POST.get("caption", ""))
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "แนบไฟล์แล้ว")
    return redirect("incidents:detail", pk=case.pk)


@signed_in
def download(request: HttpRequest, pk: int) -> FileResponse:
    f = get_object_or_404(IncidentFile.objects.select_related("incident__org"), pk=pk)
    if not may_handle(request.user, f.incident):
        raise Http404("ไม่พบไฟล์")
    response = FileResponse(f.file.open("rb"), content_type=f.content_type, as_attachment=True,
                            filename=f.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
