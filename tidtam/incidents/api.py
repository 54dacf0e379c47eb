"""REST endpoints of the incidents register (a django-ninja Router mounted by tidtam/api).

A school's own system pushes incidents with an API token of one of its staff
(any role held on the school or above it); listing and reading cases is for
their handlers (SC-Operator, SC-Action) only, like the pages, and each read
of the personal fields is audited. A case the caller does not handle is a 404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from tidtam.accounts.permissions import can_read
from tidtam.incidents import privacy, workflow
from tidtam.incidents.models import Channel, Incident, State
from tidtam.incidents.views import handled
from tidtam.reporting.errors import InvalidInput, NotAllowed

router = Router(tags=["ทะเบียนเหตุความปลอดภัย"])


class IncidentIn(Schema):
    org: str
    group: str
    what: str
    happened_on: dt.date
    threat_type: str = ""
    happened_time: dt.time | None = None
    place: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""
    people_involved: str = ""


class StepOut(Schema):
    state: str
    at: dt.datetime
    org: str
    note: str


class IncidentOut(Schema):
    id: int
    tracking_code: str
    org: str
    handler: str
    group: str
    threat_type: str
    state: str
    state_th: str
    happened_on: dt.date
    place: str
    what: str
    closing_level: str
    fiscal_year: int
    reported_at: dt.datetime
    reporter_name: str | None = None
    reporter_contact: str | None = None
    people_involved: str | None = None
    steps: list[StepOut] = []


def _out(request: HttpRequest, case: Incident, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": case.pk, "tracking_code": case.tracking_code, "org": case.org.code,
        "handler": case.handler.code, "group": case.group.code,
        "threat_type": case.threat_type.code if case.threat_type else "",
        "state": case.state, "state_th": case.get_state_display(),
        "happened_on": case.happened_on, "place": case.place, "what": case.what,
        "closing_level": case.closing_level, "fiscal_year": case.fiscal_year,
        "reported_at": case.reported_at,
        "steps": [{"state": s.to_state, "at": s.at, "org": s.org.code, "note": s.note}
                  for s in case.steps.select_related("org")],
    }
    out.update(privacy.personal(request.user, case, where) or {})
    return out


@router.get("/incidents", response=list[IncidentOut])
def list_incidents(request: HttpRequest, org: str | None = None, state: str | None = None,
                   year: int | None = None) -> list[dict[str, Any]]:
    """The cases the caller handles (SC-Operator/SC-Action of the unit or above)."""
    qs = handled(request.user).select_related("org", "handler", "group", "threat_type")
    if org:
        qs = qs.filter(org__path__regex=rf"(^|/){re.escape(org)}/")
    if state in State.values:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(fiscal_year=year)
    return [_out(request, c, "API รายการเหตุ") for c in qs[:500]]


@router.post("/incidents", response={201: IncidentOut})
def create_incident(request: HttpRequest, data: IncidentIn) -> Status[dict[str, Any]]:
    """Report a case for a unit the token's user works for; a tracking code comes back."""
    unit = workflow.find_unit(data.org)
    if unit is None or not can_read(request.user, unit):
        raise NotAllowed("แจ้งเหตุผ่าน API ได้เฉพาะหน่วยงานที่บัญชีของโทเคนสังกัด")
    try:
        case = workflow.report(request.user, workflow.Report(
            org_code=data.org, group_code=data.group, what=data.what,
            happened_on=data.happened_on, type_code=data.threat_type,
            happened_time=data.happened_time, place=data.place,
            reporter_name=data.reporter_name, reporter_contact=data.reporter_contact,
            people_involved=data.people_involved), channel=Channel.API)
    except workflow.Refused as exc:
        raise InvalidInput(exc.field, exc.message) from None
    if not workflow.may_handle(request.user, case):
        # the sender is not a handler: it gets the code and the status, nothing personal
        return Status(201, {**_out(request, case, "API แจ้งเหตุ"), "what": ""})
    return Status(201, _out(request, case, "API แจ้งเหตุ"))


@router.get("/incidents/{incident_id}", response=IncidentOut)
def get_incident(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    case = handled(request.user).select_related("org", "handler", "group", "threat_type").filter(
        pk=incident_id).first()
    if case is None:
        raise Http404("ไม่พบเหตุ")
    return _out(request, case, "API รายละเอียดเหตุ")
