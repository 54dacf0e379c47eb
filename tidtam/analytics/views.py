"""Pages: the national synthesis (and its picks) and the dashboard. Thin: the work is elsewhere.

Who may see what: the synthesis is OBEC's national document, readable by
anyone holding a role on the nation's root or on OBEC and editable (picks) by
OBEC's evaluators and approvers; the dashboard shows only the offices the
user may read (``readable_offices``). Anything else is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tidtam.accounts.permissions import can_approve, can_rate, can_read
from tidtam.analytics import charts as chart_mod
from tidtam.analytics.dashboard import (
    build_dashboard,
    readable_offices,
    regions,
    table_csv,
    table_xlsx,
)
from tidtam.analytics.jobs import batch_progress, recent_batches
from tidtam.analytics.models import Section, SourceKind, SynthesisPick
from tidtam.analytics.picking import candidates, pick, unpick
from tidtam.analytics.svgchart import render_svg
from tidtam.analytics.synthesis import build_synthesis
from tidtam.analytics.synthesis_render import CONTENT_TYPES, RENDERERS, chart_json, context
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.orgs.models import OrgType, OrgUnit

FRAMEWORK = "qp"  # the framework code the national synthesis and dashboards default to


def _obec() -> OrgUnit:
    return get_object_or_404(OrgUnit, code="OBEC")


def _may_read_synthesis(request: HttpRequest) -> None:
    if not can_read(request.user, _obec()):
        raise Http404


def _may_pick(request: HttpRequest) -> bool:
    obec = _obec()
    return can_rate(request.user, obec) or can_approve(request.user, obec)


def _framework(year: int, code: str = FRAMEWORK) -> Framework:
    return get_object_or_404(Framework, code=code, fiscal_year=year)


def _years() -> list[int]:
    return list(Framework.objects.filter(code=FRAMEWORK).order_by("-fiscal_year")
                .values_list("fiscal_year", flat=True))


def _round(fw: Framework, wanted: str | None) -> str:
    if wanted in fw.rounds:
        return str(wanted)
    if wanted:
        raise Http404
    return str(fw.rounds[-1])


@login_required
def synthesis(request: HttpRequest) -> HttpResponse:
    _may_read_synthesis(request)
    years = _years()
    if not years:
        raise Http404
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else years[0]
    fw = _framework(year)
    s = build_synthesis(fw, _round(fw, request.GET.get("round")))
    ctx = context(s)
    ctx.update(years=years, can_pick=_may_pick(request))
    return render(request, "analytics/synthesis.html", ctx)


@login_required
def synthesis_download(request: HttpRequest, year: int, round: str, fmt: str) -> HttpResponse:
    _may_read_synthesis(request)
    if fmt not in RENDERERS:
        raise Http404
    fw = _framework(year)
    s = build_synthesis(fw, _round(fw, round))
    resp = HttpResponse(RENDERERS[fmt](s), content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="synthesis-{fw.code}-{year}-{round}.{fmt}"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def pick_view(request: HttpRequest, year: int, round: str, code: str) -> HttpResponse:
    _may_read_synthesis(request)
    if not _may_pick(request):
        raise Http404
    fw = _framework(year)
    rnd = _round(fw, round)
    node = get_object_or_404(FrameworkNode, framework=fw, code=code)
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                if request.POST.get("action") == "remove":
                    unpick(request.user, get_object_or_404(
                        SynthesisPick, pk=int(request.POST.get("pick", "0") or 0), node=node))
                else:
                    pick(request.user, node, request.POST.get("section", ""),
                         request.POST.get("kind", ""), int(request.POST.get("source", "0") or 0))
            return redirect(request.get_full_path())
        except (ValueError, IntegrityError) as exc:
            error = str(exc) if isinstance(exc, ValueError) else "เลือกข้อความนี้ไว้แล้ว"
    q = request.GET.get("q", "").strip()
    ctx = {
        "fw": fw, "round": rnd, "node": node, "q": q, "error": error,
        "picked": SynthesisPick.objects.filter(node=node).select_related("org"),
        "candidates": candidates(node, rnd, q)[:200],
        "sections": Section.choices, "kinds": SourceKind,
        "back": reverse("analytics:synthesis") + f"?year={year}&round={rnd}#ind-{node.code}",
    }
    return render(request, "analytics/pick.html", ctx, status=422 if error else 200)


def _dashboard_params(request: HttpRequest) -> dict[str, object]:
    readable = readable_offices(request.user)
    if not readable:
        raise Http404
    years = _years()
    if not years:
        raise Http404
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else years[0]
    fw = _framework(year)
    rated = [n for n in fw.nodes.all().order_by("position") if n.is_rated]
    code = request.GET.get("indicator") or rated[0].code
    node = next((n for n in rated if n.code == code), None)
    if node is None:
        raise Http404
    office_type = request.GET.get("type", "")
    if office_type not in ("", OrgType.PRIMARY_AREA, OrgType.SECONDARY_AREA):
        raise Http404
    region = None
    if request.GET.get("region"):
        region = get_object_or_404(OrgUnit, code=request.GET["region"],
                                   type=OrgType.REGIONAL_OFFICE)
    return {"framework": fw, "node": node, "round": _round(fw, request.GET.get("round")),
            "office_type": office_type, "region": region, "years": years, "indicators": rated,
            "readable": readable}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    p = _dashboard_params(request)
    d = build_dashboard(request.user, p["framework"], p["node"], p["round"],  # type: ignore[arg-type]
                        p["office_type"], p["region"], p["readable"])  # type: ignore[arg-type]
    query = request.GET.urlencode()
    charts = []
    for name, chart in d.charts.items():
        charts.append({"name": name, "chart": chart, "json": chart_json(chart),
                       "svg": render_svg(chart)})
    ctx = {"d": d, "charts": charts, "query": query, "regions": regions(),
           "types": [("", "ทุกประเภท"), (OrgType.PRIMARY_AREA, "สพป."),
                     (OrgType.SECONDARY_AREA, "สพม.")], **p}
    return render(request, "analytics/dashboard.html", ctx)


@login_required
def dashboard_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    p = _dashboard_params(request)
    d = build_dashboard(request.user, p["framework"], p["node"], p["round"],  # type: ignore[arg-type]
                        p["office_type"], p["region"], p["readable"])  # type: ignore[arg-type]
    if fmt in chart_mod.FORMATS and name in d.charts:
        body, ctype = chart_mod.render(d.charts[name], fmt), chart_mod.CONTENT_TYPES[fmt]
    elif fmt == "csv" and name in d.tables:
        body, ctype = table_csv(d.tables[name]), "text/csv; charset=utf-8"
    elif fmt == "xlsx" and name in d.tables:
        body = table_xlsx(d.tables[name])
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = (
        f'attachment; filename="{d.framework.code}-{d.framework.fiscal_year}-{d.node.code}-'
        f'{name}.{fmt}"')
    return resp


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    """Progress of batch document jobs (OBEC staff)."""
    _may_read_synthesis(request)
    batches = [batch_progress(b) for b in recent_batches()]
    partial = bool(request.headers.get("HX-Request"))
    template = "analytics/_jobs.html" if partial else "analytics/jobs.html"
    return render(request, template, {"batches": batches})
