"""Pages of พาน้องกลับมาเรียน, phone-first: small pages, plain forms, no script needed.

Thin views over ``importer``, ``steps``, ``indicators`` and ``privacy``: a
handler of the case's unit reads the child's data (and the read is audited);
anyone else who may read the unit sees counts and masked IDs, never a name.
A case the user does not handle is a 404, as is a unit they may not read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tidtam.accounts.permissions import can_read
from tidtam.audit.models import Action
from tidtam.cells import csv_row
from tidtam.children import importer
from tidtam.children.loader import deadlines, indicator_specs, options
from tidtam.children.models import CLOSED, Case, OptionGroup, State, Step, StepKind
from tidtam.children.nationalid import formatted, keyed_hash, normalise
from tidtam.children.privacy import (
    audit_read,
    handled_cases,
    handles,
    has_any_handler_role,
    readable_cases,
)
from tidtam.children.steps import StepInput, StepRefused, allowed_steps, parse_date, take_step
from tidtam.csvfiles import ImportFailed
from tidtam.limits import OutOfLimits, import_too_large
from tidtam.measures.models import Period, PeriodError
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.thai.dates import MONTHS_SHORT, be_year, fiscal_year_of

PAGE_SIZE = 30


def _unit(request: HttpRequest, code: str) -> OrgUnit:
    org = OrgUnit.objects.filter(code=code).first()
    if org is None or not can_read(request.user, org):
        raise Http404("ไม่พบหน่วยงาน")
    return org


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or fiscal_year_of(timezone.localdate()))
    except ValueError:
        return fiscal_year_of(timezone.localdate())


def _filtered(request: HttpRequest) -> tuple[QuerySet[Case], dict[str, Any]]:
    """The cases the list's parameters ask for, among those the user may read."""
    user = request.user
    qs = readable_cases(user).select_related("org")
    chosen: dict[str, Any] = {}
    if request.GET.get("org"):
        org = _unit(request, request.GET["org"])
        qs = qs.filter(org__path__startswith=org.path)
        chosen["org"] = org
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
        chosen["state"] = State(state).label
    measure = request.GET.get("measure", "")
    specs = indicator_specs()
    if request.GET.get("year") and measure in specs:
        try:
            period = Period.of(_year(request), request.GET.get("period") or "12m")
        except PeriodError as exc:
            raise Http404(str(exc)) from None
        step, states = specs[measure]
        qs = qs.filter(state__in=states, steps__kind=step, steps__on__gte=period.start,
                       steps__on__lte=period.end).distinct()
        chosen["period"] = period.label_th
        chosen["measure"] = measure
    # A name or an ID is personal data: it is posted, never put in an address (which
    # server logs, proxies and the browser's history keep).
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    if q:
        # Looking a child up by name or ID is for the handlers, among their own cases.
        qs = qs.filter(pk__in=handled_cases(user).values("pk"))
        digits = normalise(q)
        if digits.isdigit() and len(digits) == 13:
            qs = qs.filter(id_hash=keyed_hash(digits))
        elif digits.isdigit():
            qs = qs.filter(id_tail__endswith=digits[-4:])
        else:
            for word in q.split()[:3]:
                qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        chosen["q"] = q
    return qs.order_by("org__path", "pk"), chosen


def _rows(request: HttpRequest, cases: list[Case], where: str) -> list[dict[str, Any]]:
    """Each case with whether its personal data is shown; the shown ones are audited."""
    limits = deadlines()
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    personal: list[Case] = []
    for case in cases:
        due = case.overdue_on(limits.get(case.state))
        mine = handles(request.user, case.org)
        if mine:
            personal.append(case)
        rows.append({"case": case, "personal": mine,
                     "due": due, "late": due is not None and due < today})
    audit_read(request.user, personal, where)
    return rows


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    qs, chosen = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = [(k, v) for k, v in request.GET.items() if k != "page"]
    return render(request, "children/list.html", {
        "page": page, "rows": _rows(request, list(page.object_list), "รายชื่อเด็ก"),
        "chosen": chosen, "keep": keep, "states": State.choices,
        "handler": has_any_handler_role(request.user), "q": chosen.get("q", ""),
        "centres": _centres(request),
    })


def _centres(request: HttpRequest) -> list[OrgUnit]:
    """The area offices and provinces the user holds a role on: their coordination tables."""
    from tidtam.accounts.models import RoleAssignment

    held = RoleAssignment.objects.filter(user_id=int(request.user.pk or 0)).values("org")
    return list(OrgUnit.objects.filter(pk__in=held).filter(
        Q(type__in=AREA_OFFICE_TYPES) | Q(type=OrgType.PROVINCE)).order_by("code"))


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """What is late: open cases past their state's deadline, oldest first."""
    limits = deadlines()
    today = timezone.localdate()
    late: list[Case] = [c for c in handled_cases(request.user).exclude(state__in=CLOSED)
            .select_related("org").order_by("state_since", "pk")
            if (d := c.overdue_on(limits.get(c.state))) is not None and d < today]
    page = Paginator(late, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "children/overdue.html", {
        "page": page, "rows": _rows(request, list(page.object_list), "รายการที่เกินกำหนด"),
        "keep": [], "handler": has_any_handler_role(request.user)})


def _handled(request: HttpRequest, pk: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("org"), pk=pk)
    if not handles(request.user, case.org):
        raise Http404("ไม่พบข้อมูลเด็ก")
    return case


def _case_page(request: HttpRequest, case: Case, error: StepRefused | None = None,
               posted: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    audit_read(request.user, [case], "ข้อมูลเด็ก")
    steps = list(case.steps.select_related("by"))
    help_names = dict(options(OptionGroup.HELP))
    agency_names = dict(options(OptionGroup.REFERRAL))
    for s in steps:
        s.help_name = help_names.get(s.help_kind, s.help_kind)  # type: ignore[attr-defined]
        s.agency_name = agency_names.get(s.agency, s.agency)  # type: ignore[attr-defined]
    limits = deadlines()
    due = case.overdue_on(limits.get(case.state))
    return render(request, "children/case.html", {
        "case": case, "full_id": formatted(case.national_id), "steps": steps,
        "allowed": [(k, StepKind(k).label) for k in allowed_steps(case)],
        "help_kinds": options(OptionGroup.HELP), "agencies": options(OptionGroup.REFERRAL),
        "listings": case.listings.select_related("batch"),
        "error": error, "posted": posted or {}, "today": timezone.localdate().isoformat(),
        "due": due, "late": due is not None and due < timezone.localdate(),
    }, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _handled(request, pk))


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    case = _handled(request, pk)
    p = request.POST
    try:
        version = int(p.get("version", "0"))
    except ValueError:
        version = 0
    try:
        data = StepInput(kind=p.get("kind", ""), on=parse_date(p.get("on", "")),
                         version=version, help_kind=p.get("help_kind", ""),
                         agency=p.get("agency", ""), school=p.get("school", ""),
                         note=p.get("note", ""), latitude=p.get("latitude", ""),
                         longitude=p.get("longitude", ""))
        step = take_step(request.user, case, data)
    except StepRefused as exc:
        case.refresh_from_db()
        return _case_page(request, case, exc, {k: str(v) for k, v in p.items()}, status=400)
    messages.success(request, f"บันทึกขั้นตอน '{step.get_kind_display()}' แล้ว")
    return redirect("children:case", pk=case.pk)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    if not has_any_handler_role(request.user):
        raise PermissionDenied("เฉพาะผู้ติดตามเด็กนอกระบบการศึกษาเท่านั้นที่นำเข้ารายชื่อได้")
    context: dict[str, Any] = {"columns": importer.COLUMNS, "required": importer.REQUIRED}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["errors"] = ["กรุณาเลือกไฟล์รายชื่อ (CSV หรือ XLSX)"]
            status = 400
        else:
            try:
                too_large = import_too_large(upload.size or 0, upload.name or "ไฟล์")
                if too_large is not None:
                    raise too_large
                data = upload.read()
                summary = importer.import_list(request.user, data, upload.name or "ไฟล์",
                                               request.POST.get("name", "").strip())
            except ImportFailed as exc:
                context["errors"] = [str(e) for e in exc.errors]
                status = 400
            except OutOfLimits as exc:
                context["errors"] = [exc.message]
                status = 400
            else:
                context["summary"] = summary
    return render(request, "children/import.html", context, status=status)


def _offices_of(unit: OrgUnit) -> list[OrgUnit]:
    if unit.type == OrgType.PROVINCE:
        return list(OrgUnit.objects.filter(provinces=unit).order_by("code"))
    return [unit]


@login_required
def coordination(request: HttpRequest, code: str) -> HttpResponse:
    """The coordination centre's table: counts per school/office and state, no names."""
    unit = _unit(request, code)
    offices = _offices_of(unit)
    q = Q(pk__in=[])
    for o in offices:
        q |= Q(org__path__startswith=o.path)
    table: dict[int, Counter[str]] = defaultdict(Counter)
    units: dict[int, OrgUnit] = {}
    for case in Case.objects.filter(q).select_related("org").only("state", "org"):
        table[case.org_id][case.state] += 1
        units[case.org_id] = case.org
    rows: list[dict[str, Any]] = [{"unit": units[k], "counts": [table[k][s] for s in State.values],
             "total": sum(table[k].values())}
            for k in sorted(units, key=lambda k: units[k].path)]
    totals = [sum(r["counts"][i] for r in rows) for i in range(len(State.values))]
    return render(request, "children/coordination.html", {
        "unit": unit, "offices": offices, "rows": rows, "states": State.choices,
        "totals": totals, "total": sum(totals)})


def _months(fiscal_year: int) -> list[dt.date]:
    start = dt.date(fiscal_year - 543 - 1, 10, 1)
    out = []
    for i in range(12):
        m0 = start.month - 1 + i
        out.append(dt.date(start.year + m0 // 12, m0 % 12 + 1, 1))
    return out


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """An office's children found against returned, month by month, and open cases by age."""
    office = _unit(request, code)
    year = _year(request)
    months = _months(year)
    cases = Case.objects.filter(org__path__startswith=office.path)
    steps = Step.objects.filter(case__in=cases, on__gte=months[0],
                                kind__in=[StepKind.FIND, StepKind.RETURN, StepKind.REFER])
    per: dict[tuple[str, dt.date], int] = Counter()
    for kind, on in steps.values_list("kind", "on"):
        per[(kind, on.replace(day=1))] += 1
    series: list[dict[str, Any]] = []
    found = returned = referred = 0
    for m in months:
        found += per[(StepKind.FIND, m)]
        returned += per[(StepKind.RETURN, m)]
        referred += per[(StepKind.REFER, m)]
        series.append({"month": m, "label": f"{MONTHS_SHORT[m.month - 1]} {be_year(m.year)}",
                       "found": per[(StepKind.FIND, m)],
                       "returned": per[(StepKind.RETURN, m)], "cum_found": found,
                       "cum_returned": returned, "cum_referred": referred})
    top = max([s["cum_found"] for s in series] + [1])
    today = timezone.localdate()
    ages: Counter[str] = Counter()
    for since in cases.exclude(state__in=CLOSED).values_list("state_since", flat=True):
        days = (today - since).days
        ages["0–30 วัน" if days <= 30 else "31–90 วัน" if days <= 90 else "เกิน 90 วัน"] += 1
    by_state = Counter(cases.values_list("state", flat=True))
    return render(request, "children/dashboard.html", {
        "office": office, "year": year, "series": series, "top": top,
        "ages": [(k, ages[k]) for k in ("0–30 วัน", "31–90 วัน", "เกิน 90 วัน")],
        "by_state": [(label, by_state[s]) for s, label in State.choices],
        "years": [year - 1, year, year + 1]})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """CSV of the cases shown by the list's filters: full IDs only for the handlers."""
    qs, _chosen = _filtered(request)
    cases = list(qs[:20000])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_id", "national_id", "first_name", "last_name", "birth_date",
                     "org_code", "org_name", "grade", "affiliation", "source_agency", "state",
                     "state_since"])
    shown: list[Case] = []
    for c in cases:
        personal = handles(request.user, c.org)
        if personal:
            shown.append(c)
        writer.writerow(csv_row([
            c.pk, formatted(c.national_id) if personal else c.masked_id,
            c.first_name if personal else "", c.last_name if personal else "",
            c.birth_date.isoformat() if personal and c.birth_date else "",
            c.org.code, c.org.display_name, c.grade, c.affiliation, c.source_agency,
            c.get_state_display(), c.state_since.isoformat()]))
    audit_read(request.user, cases, "ส่งออกรายชื่อเด็ก", action=Action.CHILD_EXPORT,
               org=_chosen.get("org"))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="children.csv"'
    return response
