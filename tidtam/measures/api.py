"""REST endpoints for the observation store (a django-ninja Router mounted by tidtam/api).

The same permission checks as the forms: an office's observations are read by
whoever may read the office, written by its reporters; an office the caller
may not read is a 404. Writing is optimistic like every form: send the
version you read; a 409 carries the stored value.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from tidtam.accounts.permissions import can_read, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.measures import store
from tidtam.measures.importer import audit_target
from tidtam.measures.models import Measure, Observation, Period, PeriodError, SourceKind
from tidtam.measures.usage import as_json, bindings_of, describe, used_by
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import Conflict, InvalidInput, NotAllowed

router = Router(tags=["ค่าข้อมูล"])


class ObservationIn(Schema):
    text: str
    version: int = 0
    category: str = ""


def _org(request: HttpRequest, code: str) -> OrgUnit:
    org = get_object_or_404(OrgUnit, code=code)
    if not can_read(request.user, org):
        raise Http404("ไม่พบหน่วยงาน")
    return org


@router.get("/measures/{year}")
def list_measures(request: HttpRequest, year: int) -> dict[str, Any]:
    """The register of the fiscal year, each measure with the places that ask for it."""
    measures = list(Measure.objects.filter(fiscal_year=year))
    bindings = bindings_of(measures)
    return {"fiscal_year": year, "measures": [{
        "code": m.code, "name_th": m.name_th, "value_type": m.value_type, "unit": m.unit,
        "aggregation": m.aggregation, "categories": m.categories,
        "bindings": [describe(e) for e in bindings.get(m.pk, [])],
    } for m in measures]}


@router.get("/orgs/{code}/observations")
def list_observations(request: HttpRequest, code: str, year: int | None = None,
                      measure: str | None = None) -> dict[str, Any]:
    org = _org(request, code)
    qs = (Observation.objects.filter(org=org).select_related("org", "measure", "period")
          .order_by("period__start", "measure__code", "category"))
    if year:
        qs = qs.filter(period__fiscal_year=year)
    if measure:
        qs = qs.filter(measure__code=measure)
    found = list(qs)
    places = used_by(found)
    return {"org": org.code, "fiscal_year": year,
            "observations": [as_json(o, places[o.pk]) for o in found]}


@router.put("/orgs/{code}/observations/{measure}/{period}")
def put_observation(request: HttpRequest, code: str, measure: str, period: str,
                    data: ObservationIn) -> dict[str, Any]:
    org = _org(request, code)
    if not can_report(request.user, org):
        raise NotAllowed()
    try:
        per = Period.parse(period)
    except PeriodError as exc:
        raise InvalidInput("period", str(exc)) from None
    m = Measure.objects.filter(fiscal_year=per.fiscal_year, code=measure).first()
    if m is None:
        raise InvalidInput("measure", f"ไม่พบรายการข้อมูล '{measure}' ในปีงบประมาณ "
                                      f"{per.fiscal_year}")
    try:
        written = store.write(request.user, org, m, per, data.text, data.version,
                              category=data.category, source_kind=SourceKind.TYPED,
                              source={"api": True})
    except store.ValueRefused as exc:
        raise InvalidInput("text", f"{m.name_th}: {exc}") from None
    except store.ObservationConflict as exc:
        o = exc.observation
        who = o.updated_by.get_username() if o.updated_by else "ผู้ใช้อื่น"
        raise Conflict({"text": o.text}, o.version, who, o.updated_at) from None
    obs = written.observation
    if written.changed:
        record(request.user, Action.OBSERVATION, obs, target=audit_target(obs), org=org,
               before=written.before or None, after=obs.text, comment="ผ่าน API")
    return as_json(obs, used_by([obs])[obs.pk])
