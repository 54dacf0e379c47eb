"""REST endpoints of พาน้องกลับมาเรียน (a django-ninja Router mounted by tidtam/api).

A school's own system pushes its list and its steps here and reads its cases
back, under the pages' rules: a handler of the case's unit gets the child's
data (and the read is audited); anyone else who may read the unit gets the
masked ID and no name; a unit or case they may not read is a 404. A pushed
list is all or nothing, like a file, with the same Thai messages (422).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from tidtam.accounts.permissions import can_read
from tidtam.children import importer
from tidtam.children.models import Case, State
from tidtam.children.privacy import (
    audit_read,
    handler_view,
    handles,
    has_any_handler_role,
    public_view,
    readable_cases,
)
from tidtam.children.steps import NotHandler, StepInput, StepRefused, take_step
from tidtam.csvfiles import ImportFailed
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import InvalidInput, NotAllowed

router = Router(tags=["พาน้องกลับมาเรียน"])


class CaseOut(Schema):
    id: int
    national_id: str
    org: str
    org_name: str
    grade: str
    affiliation: str
    source_agency: str
    state: str
    state_label: str
    state_since: str
    personal: bool
    first_name: str | None = None
    last_name: str | None = None
    birth_date: str | None = None
    address: str | None = None
    latitude: str | None = None
    longitude: str | None = None


class CaseList(Schema):
    cases: list[CaseOut]


class ChildIn(Schema):
    national_id: str
    first_name: str
    org_code: str
    last_name: str = ""
    birth_date: str = ""
    affiliation: str = ""
    grade: str = ""
    address: str = ""
    source_agency: str = ""


class ListIn(Schema):
    name: str = "ส่งผ่าน API"
    cases: list[ChildIn]


class ImportOut(Schema):
    rows: int
    created: list[int]
    duplicates: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    message: str


class StepIn(Schema):
    kind: str
    version: int
    on: dt.date | None = None
    help_kind: str = ""
    agency: str = ""
    school: str = ""
    note: str = ""
    latitude: str = ""
    longitude: str = ""


def _view(request: HttpRequest, cases: list[Case], where: str) -> list[dict[str, Any]]:
    out, personal = [], []
    for c in cases:
        if handles(request.user, c.org):
            personal.append(c)
            out.append(handler_view(c))
        else:
            out.append(public_view(c))
    audit_read(request.user, personal, where)
    return out


@router.get("/children/cases", response=CaseList)
def list_cases(request: HttpRequest, org: str = "", state: str = "",
               limit: int = 200, offset: int = 0) -> dict[str, Any]:
    """Cases of ``org``'s subtree the caller may read (at most ``limit``, from ``offset``)."""
    qs = readable_cases(request.user).select_related("org")
    if org:
        unit = get_object_or_404(OrgUnit, code=org)
        if not can_read(request.user, unit):
            raise Http404("ไม่พบหน่วยงาน")
        qs = qs.filter(org__path__startswith=unit.path)
    if state:
        if state not in State.values:
            raise InvalidInput("state",
                           f"ไม่รู้จักสถานะ '{state}' (ใช้ได้: {', '.join(State.values)})")
        qs = qs.filter(state=state)
    limit = max(1, min(limit, 1000))
    cases = list(qs.order_by("pk")[max(offset, 0): max(offset, 0) + limit])
    return {"cases": _view(request, cases, "API รายชื่อเด็ก")}


def _readable(request: HttpRequest, pk: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("org"), pk=pk)
    if not can_read(request.user, case.org):
        raise Http404("ไม่พบข้อมูลเด็ก")
    return case


@router.get("/children/cases/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _view(request, [_readable(request, case_id)], "API ข้อมูลเด็ก")[0]


@router.post("/children/cases", response={200: ImportOut})
def push_cases(request: HttpRequest, payload: ListIn) -> dict[str, Any]:
    """A list pushed by a school's system: one case per child, all or nothing."""
    if not has_any_handler_role(request.user):
        raise NotAllowed("เฉพาะผู้ติดตามเด็กนอกระบบการศึกษาเท่านั้นที่ส่งรายชื่อได้")
    columns = list(importer.COLUMNS)
    table = [columns, *([str(getattr(c, k) or "") for k in columns] for c in payload.cases)]
    try:
        summary = importer.import_rows(request.user, importer.check_rows(request.user, table),
                                       payload.name[:200] or "ส่งผ่าน API")
    except ImportFailed as exc:
        # Row numbers count the header, as in a file: the first case is row 2.
        raise InvalidInput("cases", "; ".join(str(e) for e in exc.errors)) from None
    return {**summary.as_json(), "message": summary.message()}


@router.post("/children/cases/{case_id}/steps", response=CaseOut)
def post_step(request: HttpRequest, case_id: int, payload: StepIn) -> dict[str, Any]:
    """Take the case's next step (the version read with the case; 422 with the reason)."""
    case = _readable(request, case_id)
    try:
        take_step(request.user, case, StepInput(**payload.dict()))
    except NotHandler as exc:
        raise NotAllowed(exc.message) from None
    except StepRefused as exc:
        raise InvalidInput(exc.field, exc.message) from None
    case.refresh_from_db()
    return _view(request, [case], "API ข้อมูลเด็ก")[0]
