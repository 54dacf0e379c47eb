"""Browse organisations, frameworks and result sheets (read-only, signed-in users).

The org tree and the frameworks are for every signed-in user; an office's
result sheet, and the years it has one, only for those who may read that
office (``esa_sheet.sheet_for``: one rule for pages, downloads and the API).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tidtam.accounts.permissions import AnyUser
from tidtam.documents.esa_sheet import SheetNotReadable, SheetUnavailable, sheet_for
from tidtam.documents.render import CONTENT_TYPES, FORMATS, filename, template_context
from tidtam.documents.render import render as render_doc
from tidtam.frameworks.models import EvaluationCycle, Framework
from tidtam.ops.csp import document_policy
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.reporting.approval import ratings_seen_by


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cycles = list(EvaluationCycle.objects.all())
    frameworks = (
        Framework.objects.annotate(n_nodes=Count("nodes")).order_by("-fiscal_year", "order")
    )
    return render(request, "web/home.html", {
        "cycles": cycles, "frameworks": frameworks, "rated_offices": _rated_years(request.user),
    })


def _rated_years(user: AnyUser, org: OrgUnit | None = None) -> list[tuple[OrgUnit, list[int]]]:
    """Area offices (or one unit) with the years of ratings this user may see, newest first."""
    seen = ratings_seen_by(user).filter(org__type__in=AREA_OFFICE_TYPES)
    if org is not None:
        seen = seen.filter(org=org)
    years: dict[int, set[int]] = {}
    for org_id, year in seen.values_list("org_id", "framework__fiscal_year").distinct():
        years.setdefault(org_id, set()).add(year)
    units = OrgUnit.objects.filter(pk__in=list(years)).order_by("code")
    return [(u, sorted(years[u.pk], reverse=True)) for u in units]


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    type_ = request.GET.get("type", "")
    units = OrgUnit.objects.all()
    if q:
        units = units.filter(
            Q(name_th__icontains=q) | Q(short_name_th__icontains=q) | Q(code__icontains=q)
        )
    if type_:
        units = units.filter(type=type_)
    return render(request, "web/org_list.html", {
        "units": units[:500], "total": units.count(), "q": q, "type": type_,
        "types": OrgType.choices,
    })


@login_required
def org_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), code=code)
    rated = _rated_years(request.user, unit)
    years = rated[0][1] if rated else []
    return render(request, "web/org_detail.html", {
        "unit": unit, "ancestors": unit.ancestors(),
        "children": unit.children.all().order_by("type", "code"),
        "provinces": unit.provinces.all(), "area_offices": unit.area_offices.all(),
        "years": years,
    })


@login_required
def framework_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    fw = get_object_or_404(
        Framework.objects.select_related("band_table"), fiscal_year=year, code=code
    )
    return render(request, "web/framework_detail.html", {
        "fw": fw, "nodes": fw.nodes.all().order_by("position"),
        "bands": fw.bands(),
    })


def _sheet_or_404(request: HttpRequest, year: int, code: str) -> dict[str, Any]:
    org = get_object_or_404(OrgUnit, code=code)
    if not org.is_area_office:
        raise Http404("หน่วยงานนี้ไม่ใช่สำนักงานเขตพื้นที่การศึกษา")
    try:
        return sheet_for(request.user, org, year)
    except (SheetUnavailable, SheetNotReadable) as exc:
        raise Http404(str(exc)) from None


@login_required
def sheet(request: HttpRequest, year: int, code: str) -> HttpResponse:
    data = _sheet_or_404(request, year, code)
    context = template_context(data, show_checks=True)
    context["formats"] = [f for f in FORMATS if f != "html"]
    from tidtam.web.years import years_with_data

    org_id = OrgUnit.objects.values_list("pk", flat=True).get(code=code)
    context["other_years"] = [y for y in years_with_data([org_id]) if y != year]
    return render(request, "web/sheet.html", context)


@login_required
@document_policy  # the .html answer is a self-contained document
def sheet_download(request: HttpRequest, year: int, code: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("ไม่รู้จักรูปแบบไฟล์")
    data = _sheet_or_404(request, year, code)
    response = HttpResponse(render_doc(data, fmt), content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{filename(data, fmt)}"'
    return response
