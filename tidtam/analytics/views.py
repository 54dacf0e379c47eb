"""Pages: the national synthesis (and its picks) and the dashboard. Thin: the work is elsewhere.

Who may see what: the synthesis is OBEC's national document, readable by
anyone holding a role on the nation's root or on OBEC and editable (picks) by
OBEC's evaluators and approvers; the dashboard shows only the offices the
user may read (``readable_offices``). Anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_tasks_db.models import DBTaskResult

from tidtam.accounts.permissions import can_approve, can_rate, can_read
from tidtam.analytics import charts as chart_mod
from tidtam.analytics.dashboard import (
    FIGURES,
    Dashboard,
    OfficePage,
    build_dashboard,
    build_office_page,
    readable_offices,
    scope_name,
    table_csv,
    table_xlsx,
)
from tidtam.analytics.models import Section, SourceKind, SynthesisPick
from tidtam.analytics.picking import candidates, pick, unpick
from tidtam.analytics.svgchart import render_svg
from tidtam.analytics.synthesis import build_synthesis
from tidtam.analytics.synthesis_render import CONTENT_TYPES, RENDERERS, chart_json, context
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.ops.csp import document_policy
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit

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
@document_policy  # the .html answer is a self-contained document
def synthesis_download(request: HttpRequest, year: int, round: str,
                       fmt: str) -> HttpResponseBase:
    _may_read_synthesis(request)
    if fmt not in RENDERERS:
        raise Http404
    fw = _framework(year)
    s = build_synthesis(fw, _round(fw, round))
    # Drawing and laying out takes ~10 s: served when a worker has made it from this data.
    from tidtam.analytics.tasks import fresh, refresh_synthesis
    from tidtam.jobs.tasks import enqueue_once

    stored = fresh(s, fmt)
    if stored is None:
        task_id = enqueue_once(refresh_synthesis, code=fw.code, year=year, round=s.round,
                               fmt=fmt, user_id=int(request.user.pk or 0))
        return redirect("analytics:job", pk=task_id)
    return FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[fmt], as_attachment=True,
                        filename=f"synthesis-{fw.code}-{year}-{round}.{fmt}")


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


@dataclass
class DashboardQuery:
    """The dashboard's filters, read from the URL (each one kept in every link the page makes)."""

    readable: list[OrgUnit]
    years: list[int]
    framework: Framework
    indicators: list[FrameworkNode]
    node: FrameworkNode
    round: str
    office_type: str
    scope: OrgUnit | None
    figure: str
    params: QueryDict
    _scope_prefix: str | None = None

    def url(self, **changes: str) -> str:
        """This page's address with some filters changed (an empty value drops one)."""
        q = {k: v for k, v in self.params.items() if k != "region"}  # "region": scope's old name
        for key, value in changes.items():
            if value:
                q[key] = value
            else:
                q.pop(key, None)
        return _DASHBOARD_PATH() + ("?" + urlencode(q) if q else "")

    def scope_url(self, unit: OrgUnit) -> str:
        # A page links to hundreds of units: the rest of the address is made once.
        if self._scope_prefix is None:
            rest = urlencode({k: v for k, v in self.params.items()
                              if k not in ("region", "scope")})
            self._scope_prefix = _DASHBOARD_PATH() + "?" + (rest + "&" if rest else "") + "scope="
        return self._scope_prefix + quote(unit.code)


@cache
def _DASHBOARD_PATH() -> str:  # a constant, once the URLs are loaded
    return reverse("analytics:dashboard")


SCOPE_TYPES = (OrgType.MINISTRY, OrgType.REGIONAL_OFFICE, OrgType.PROVINCE,
               OrgType.PRIMARY_AREA, OrgType.SECONDARY_AREA)


def _dashboard_query(request: HttpRequest) -> DashboardQuery:
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
    scope = None
    code = request.GET.get("scope") or request.GET.get("region") or ""
    if code:
        scope = get_object_or_404(OrgUnit, code=code, type__in=SCOPE_TYPES)
    figure = request.GET.get("figure", "level")
    if figure not in dict(FIGURES):
        raise Http404
    return DashboardQuery(readable, years, fw, rated, node, _round(fw, request.GET.get("round")),
                          office_type, scope, figure, request.GET)


def _build(request: HttpRequest, p: DashboardQuery) -> Dashboard | OfficePage:
    scope = p.scope
    if scope is None or scope.type not in AREA_OFFICE_TYPES:
        d = build_dashboard(request.user, p.framework, p.node, p.round, p.office_type, scope,
                            p.readable, p.figure, p.scope_url, lambda c: p.url(indicator=c))
        if d is None:
            raise Http404
        if d.scope.type not in AREA_OFFICE_TYPES:
            return d
        scope = d.scope  # the user reads one office only: its own page
    page = build_office_page(scope, p.framework, p.round, p.readable)
    if page is None:
        raise Http404
    return page


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    p = _dashboard_query(request)
    d = _build(request, p)
    ctx = {"q": p, "query": request.GET.urlencode(), "years": p.years,
           "framework": p.framework, "round": p.round, "indicators": p.indicators,
           "node": p.node, "office_type": p.office_type,
           "types": [("", "ทุกประเภท"), (OrgType.PRIMARY_AREA, "สพป."),
                     (OrgType.SECONDARY_AREA, "สพม.")]}
    if isinstance(d, OfficePage):
        ctx.update(page=d, crumbs=[(u, p.scope_url(u)) for u in d.crumbs],
                   tables={"years": d.table, "states": d.states},
                   sheet_years=[fw.fiscal_year for fw in d.years])
        return render(request, "analytics/dashboard_office.html", ctx)
    charts = [{"name": name, "chart": chart, "json": chart_json(chart), "svg": render_svg(chart)}
              for name, chart in d.charts.items()]
    ctx.update(d=d, charts=charts, scope_name=scope_name(d.scope),
               crumbs=[(u, p.scope_url(u)) for u in d.crumbs],
               figure_links=[(key, label, p.url(figure=key)) for key, label in d.figures])
    return render(request, "analytics/dashboard.html", ctx)


@login_required
def dashboard_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    p = _dashboard_query(request)
    d = _build(request, p)
    if isinstance(d, OfficePage):
        charts: dict[str, chart_mod.Chart] = {}
        tables = {"years": d.table, "states": d.states}
        stem = f"{p.framework.code}-{d.office.code}"
    else:
        charts, tables = d.charts, d.tables
        stem = f"{d.framework.code}-{d.framework.fiscal_year}-{d.node.code}"
    if fmt in chart_mod.FORMATS and name in charts:
        body, ctype = chart_mod.render(charts[name], fmt), chart_mod.CONTENT_TYPES[fmt]
    elif fmt == "csv" and name in tables:
        body, ctype = table_csv(tables[name]), "text/csv; charset=utf-8"
    elif fmt == "xlsx" and name in tables:
        body = table_xlsx(tables[name])
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{stem}-{name}.{fmt}"'
    return resp


def _visible_tasks(request: HttpRequest) -> QuerySet[DBTaskResult]:
    """The single tasks a user may see: their own, and (OBEC's staff) those nobody asked for."""
    from tidtam.jobs.progress import requested_by, single_tasks

    own = requested_by(int(request.user.pk or 0))
    if can_read(request.user, _obec()):
        return single_tasks().filter(
            Q(pk__in=own.values("pk")) | ~Q(args_kwargs__kwargs__has_key="user_id"))
    return single_tasks().filter(pk__in=own.values("pk"))


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    """Background work: batch progress (OBEC staff) and the tasks the user may see."""
    from tidtam.jobs.progress import batch_progress, recent_batches, task_line

    obec_staff = can_read(request.user, _obec())
    batches = [batch_progress(b) for b in recent_batches()] if obec_staff else []
    tasks = [task_line(r) for r in _visible_tasks(request).order_by("-enqueued_at")[:30]]
    partial = bool(request.headers.get("HX-Request"))
    template = "analytics/_jobs.html" if partial else "analytics/jobs.html"
    return render(request, template, {"batches": batches, "tasks": tasks,
                                      "obec_staff": obec_staff})


@login_required
def job(request: HttpRequest, pk: str) -> HttpResponse:
    """One task: its progress until it ends, then its result (and a link to what it made)."""
    from tidtam.jobs.progress import task_line

    try:
        row = _visible_tasks(request).get(pk=pk)
    except (DBTaskResult.DoesNotExist, ValidationError):
        raise Http404 from None
    line = task_line(row)
    if request.headers.get("HX-Request"):
        if line.finished and line.url and line.status == "SUCCESSFUL":
            resp = HttpResponse(status=204)
            resp["HX-Redirect"] = line.url
            return resp
        return render(request, "analytics/_job.html", {"t": line})
    return render(request, "analytics/job.html", {"t": line})
