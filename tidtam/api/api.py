"""The REST API (django-ninja; OpenAPI at /api/docs).

It calls the same functions as the web UI — editing, workflow, files — so
the same permission checks apply: a resource the caller may not read is a
404, an action they may not take a 403. Authentication is a bearer token
(``Authorization: Bearer tt_…``, issued with ``tidtam tokens create``) or the
browser session.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja import Status as Reply
from ninja.errors import ValidationError
from ninja.security import HttpBearer, django_auth

from tidtam.accounts.models import ApiToken
from tidtam.accounts.permissions import can_read, can_see_unapproved, org_filter
from tidtam.audit.describe import describe_text, for_page
from tidtam.documents.esa_sheet import SheetNotReadable, SheetUnavailable, sheet_for
from tidtam.evaluation import actuals
from tidtam.evaluation.models import Status
from tidtam.frameworks.models import DataElement, Framework, FrameworkNode
from tidtam.orgs.models import OrgUnit
from tidtam.reporting import editing, figures, narratives, workflow
from tidtam.reporting.approval import ratings_of, submission_log
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed, TransitionRefused
from tidtam.reporting.models import Attachment, State, Submission


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="tidtam API", version="1", docs_url="/docs", urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    description="ระบบติดตาม ประเมินผลการศึกษา: หน่วยงาน กรอบการประเมิน รายงาน และผลการประเมิน",
)


def _error(request: HttpRequest, status: int, message: str, **extra: Any) -> Any:
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> Any:
    return _error(request, 403, exc.message)


@api.exception_handler(Locked)
def _locked(request: HttpRequest, exc: Locked) -> Any:
    return _error(request, 409, exc.message)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> Any:
    return _error(request, 409, exc.message, current=exc.current, version=exc.version)


@api.exception_handler(InvalidInput)
def _invalid(request: HttpRequest, exc: InvalidInput) -> Any:
    return _error(request, 422, exc.message, field=exc.field)


@api.exception_handler(TransitionRefused)
def _refused(request: HttpRequest, exc: TransitionRefused) -> Any:
    return _error(request, 409, exc.message, problems=exc.problems)


# What pydantic says of a parameter or body it couldn't read, said in Thai.
_INVALID = {
    "missing": "ต้องระบุ", "int_parsing": "ต้องเป็นจำนวนเต็ม", "int_type": "ต้องเป็นจำนวนเต็ม",
    "decimal_parsing": "ต้องเป็นตัวเลข", "decimal_type": "ต้องเป็นตัวเลข",
    "string_type": "ต้องเป็นข้อความ", "bool_parsing": "ต้องเป็น true หรือ false",
    "json_invalid": "ไม่ใช่ JSON ที่ถูกต้อง", "dict_type": "ต้องเป็นออบเจกต์ JSON",
}


@api.exception_handler(ValidationError)
def _unreadable(request: HttpRequest, exc: ValidationError) -> Any:
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ())[1:]) or "ข้อมูล"
        problems.append(f"{where} {_INVALID.get(error.get('type', ''), 'ไม่ถูกต้อง')}")
    return _error(request, 422, "ข้อมูลที่ส่งมาไม่ถูกต้อง: " + "; ".join(problems),
                  errors=exc.errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> Any:
    return _error(request, 404, str(exc) or "ไม่พบข้อมูล")


# --- schemas ---------------------------------------------------------------


class OrgOut(Schema):
    code: str
    name_th: str
    short_name_th: str
    type: str
    parent: str | None
    provinces: list[str]


class ElementOut(Schema):
    id: int
    code: str
    key: str
    name_th: str
    value_type: str
    unit: str


class NodeOut(Schema):
    code: str
    heading: str
    title_th: str
    method: str
    applies_to: str
    parent: str | None
    elements: list[ElementOut]


class FrameworkOut(Schema):
    code: str
    fiscal_year: int
    name_th: str
    abbr: str
    rounds: list[str]


class FrameworkDetail(FrameworkOut):
    nodes: list[NodeOut]


class SubmissionOut(Schema):
    id: int
    org: str
    framework: str
    fiscal_year: int
    round: str
    state: str
    state_label: str
    version: int
    late: bool


class SubmissionIn(Schema):
    org: str
    framework: str
    fiscal_year: int
    round: str


class TextIn(Schema):
    text: str
    version: int = 0


class SavedOut(Schema):
    version: int
    text: str


class ActionIn(Schema):
    comment: str = ""
    version: int | None = None
    # Submitting with indicators or required figures empty is refused (409,
    # listing them) unless the caller confirms, as the web page asks.
    confirm_incomplete: bool = False


class RatingIn(Schema):
    level: int | None = None
    status: str = Status.RATED
    actual: Decimal | None = None


class RatingOut(Schema):
    node: str
    round: str
    level: int | None
    status: str
    actual: Decimal | None
    observation: int | None = None  # the observation the actual is read from


class ChangeOut(Schema):
    label: str
    before: str
    after: str


class AuditOut(Schema):
    at: str
    user: str | None
    action: str
    target: str
    before: Any
    after: Any
    comment: str
    # the same in Thai words: what was done, to what, and field by field before → after
    action_label: str
    subject: str
    description: str
    changes: list[ChangeOut]


def _org_out(o: OrgUnit) -> dict[str, Any]:
    return {"code": o.code, "name_th": o.name_th, "short_name_th": o.short_name_th,
            "type": o.type, "parent": o.parent.code if o.parent else None,
            "provinces": [p.code for p in o.provinces.all()]}


def _sub_out(s: Submission) -> dict[str, Any]:
    return {"id": s.pk, "org": s.org.code, "framework": s.framework.code,
            "fiscal_year": s.framework.fiscal_year, "round": s.round, "state": s.state,
            "state_label": State(s.state).label, "version": s.version, "late": s.is_late}


def _readable_sub(request: HttpRequest, pk: int) -> Submission:
    sub = get_object_or_404(Submission.objects.select_related("org", "framework"), pk=pk)
    if not can_read(request.user, sub.org):
        raise Http404("ไม่พบรายงาน")
    return sub


def _readable_org(request: HttpRequest, code: str) -> OrgUnit:
    org = get_object_or_404(OrgUnit.objects.select_related("parent"), code=code)
    if not can_read(request.user, org):
        raise Http404("ไม่พบหน่วยงาน")
    return org


# --- organisations and frameworks -------------------------------------------

MAX_PAGE = 1000


@api.get("/orgs", response=list[OrgOut], tags=["หน่วยงาน"])
def list_orgs(request: HttpRequest, type: str | None = None, q: str | None = None,
              limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    if offset < 0:
        raise InvalidInput("offset", f"offset ต้องไม่ติดลบ (ได้รับ {offset})")
    if limit < 1:
        raise InvalidInput("limit", f"limit ต้องเป็นจำนวนเต็มบวก (ได้รับ {limit})")
    qs = OrgUnit.objects.filter(org_filter(request.user)).select_related("parent")
    if type:
        qs = qs.filter(type=type)
    if q:
        qs = qs.filter(name_th__icontains=q)
    page = qs.prefetch_related("provinces")[offset:offset + min(limit, MAX_PAGE)]
    return [_org_out(o) for o in page]


@api.get("/orgs/{code}", response=OrgOut, tags=["หน่วยงาน"])
def get_org(request: HttpRequest, code: str) -> dict[str, Any]:
    return _org_out(_readable_org(request, code))


@api.get("/frameworks", response=list[FrameworkOut], tags=["กรอบการประเมิน"])
def list_frameworks(request: HttpRequest) -> list[Framework]:
    return list(Framework.objects.all())


@api.get("/frameworks/{year}/{code}", response=FrameworkDetail, tags=["กรอบการประเมิน"])
def get_framework(request: HttpRequest, year: int, code: str) -> dict[str, Any]:
    fw = get_object_or_404(Framework, fiscal_year=year, code=code)
    nodes = fw.nodes.select_related("parent").prefetch_related("elements").order_by("position")
    return {
        "code": fw.code, "fiscal_year": fw.fiscal_year, "name_th": fw.name_th, "abbr": fw.abbr,
        "rounds": fw.rounds,
        "nodes": [{
            "code": n.code, "heading": n.heading, "title_th": n.title_th, "method": n.method,
            "applies_to": n.applies_to, "parent": n.parent.code if n.parent else None,
            "elements": [{"id": e.pk, "code": e.code, "key": f"{n.code}.{e.code}",
                          "name_th": e.name_th, "value_type": e.value_type, "unit": e.unit}
                         for e in n.elements.all()],
        } for n in nodes],
    }


# --- submissions -------------------------------------------------------------


@api.get("/submissions", response=list[SubmissionOut], tags=["รายงาน"])
def list_submissions(request: HttpRequest, state: str | None = None,
                     fiscal_year: int | None = None) -> list[dict[str, Any]]:
    qs = Submission.objects.filter(org_filter(request.user, field="org__")).select_related(
        "org", "framework")
    if state:
        qs = qs.filter(state=state)
    if fiscal_year:
        qs = qs.filter(framework__fiscal_year=fiscal_year)
    return [_sub_out(s) for s in qs.order_by("pk")[:1000]]


@api.post("/submissions", response={201: SubmissionOut}, tags=["รายงาน"])
def create_submission(request: HttpRequest, data: SubmissionIn) -> Reply[dict[str, Any]]:
    org = _readable_org(request, data.org)
    fw = get_object_or_404(Framework, code=data.framework, fiscal_year=data.fiscal_year)
    sub, _ = workflow.start(request.user, org, fw, data.round)
    return Reply(201, _sub_out(sub))


@api.get("/submissions/{pk}", tags=["รายงาน"])
def get_submission(request: HttpRequest, pk: int) -> dict[str, Any]:
    sub = _readable_sub(request, pk)
    by_node: dict[str, dict[str, Any]] = {}
    for f in figures.figures(sub).values():
        if f.shown is None:
            continue
        by_node.setdefault(f.element.node.code, {})[f.element.code] = {
            "text": f.text, "version": f.version,
            "value": str(f.parsed) if f.parsed is not None else None,
            "observation": f.observation_id, "measure": f.element.measure.code,
            "period": f.period.code,
            "source_kind": f.shown.source_kind,
            # a register's figure names the cases it counts (ids only: nothing personal)
            "register": ({"name": f.register.get("register"), "cases": f.register.get("cases", []),
                          "url": f.register.get("url")} if f.register else None),
        }
    files_of: dict[str, list[dict[str, Any]]] = {}
    for r in sub.reports.select_related("node").prefetch_related("files"):
        files_of[r.node.code] = [{"id": f.pk, "name": f.original_name, "kind": f.kind,
                                  "size": f.size} for f in r.files.all()]
    reports = []
    for node in sub.framework.nodes.order_by("position"):
        if not node.applies(sub.org):
            continue
        slots = narratives.slots(sub, node)
        texts = {s.code: {"text": s.first.content.text, "version": s.first.version,
                          "block": s.first.pk}
                 for s in slots if s.first and not (s.kind.solutions or s.kind.practice)}
        problems = [{"id": b.pk, "problem": b.content.text, "solution": b.content.solution,
                     "level": b.block.level.code if b.block.level else "", "version": b.version}
                    for s in slots if s.kind.solutions for b in s.blocks]
        practices = [{"id": b.pk, "unit_name": b.content.unit_name, "model_name": b.content.title,
                      "steps": b.content.text, "version": b.version,
                      "images": [i.pk for i in b.block.images.all()]}
                     for s in slots if s.kind.practice for b in s.blocks]
        values = by_node.get(node.code, {})
        if not (values or texts or problems or practices or files_of.get(node.code)):
            continue
        reports.append({"node": node.code, "values": values, "narratives": texts,
                        "problems": problems, "best_practices": practices,
                        "files": files_of.get(node.code, [])})
    return {**_sub_out(sub), "return_comment": sub.return_comment, "reports": reports,
            "actions": [t.name for t in workflow.available(request.user, sub)]}


@api.put("/submissions/{pk}/indicators/{node}/values/{element}", response=SavedOut,
         tags=["รายงาน"])
def put_value(request: HttpRequest, pk: int, node: str, element: int,
              data: TextIn) -> dict[str, Any]:
    sub = _readable_sub(request, pk)
    n = get_object_or_404(FrameworkNode, framework=sub.framework, code=node)
    el = get_object_or_404(DataElement, pk=element, node=n)
    saved = editing.save_value(request.user, editing.report_for_checked(request.user, sub, n),
                               el, data.text, data.version)
    return {"version": saved.version, "text": saved.text}


@api.put("/submissions/{pk}/indicators/{node}/narratives/{kind}", response=SavedOut,
         tags=["รายงาน"])
def put_narrative(request: HttpRequest, pk: int, node: str, kind: str,
                  data: TextIn) -> dict[str, Any]:
    sub = _readable_sub(request, pk)
    n = get_object_or_404(FrameworkNode, framework=sub.framework, code=node)
    saved = editing.save_narrative(request.user, editing.report_for_checked(request.user, sub, n),
                                   kind, data.text, data.version)
    return {"version": saved.version, "text": saved.text}


@api.post("/submissions/{pk}/actions/{action}", response=SubmissionOut, tags=["รายงาน"])
def post_action(request: HttpRequest, pk: int, action: str, data: ActionIn) -> dict[str, Any]:
    sub = workflow.apply(request.user, _readable_sub(request, pk), action, data.comment,
                         data.version, confirm_incomplete=data.confirm_incomplete)
    return _sub_out(sub)


@api.get("/submissions/{pk}/audit", response=list[AuditOut], tags=["รายงาน"])
def get_audit(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    sub = _readable_sub(request, pk)
    out = []
    for shown in for_page(submission_log(request.user, sub)[:1000]):
        e = shown.entry
        out.append({
            "at": timezone.localtime(e.at).isoformat(),
            "user": e.user.get_username() if e.user else None,
            "action": e.action, "target": e.target, "before": e.before, "after": e.after,
            "comment": e.comment, "action_label": shown.action, "subject": shown.subject,
            "description": describe_text(e), "changes": [vars(c) for c in shown.changes],
        })
    return out


@api.get("/submissions/{pk}/ratings", response=list[RatingOut], tags=["ผลการประเมิน"])
def get_ratings(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    sub = _readable_sub(request, pk)
    results = actuals.shown(sub.org, sub.framework,
                            approved_only=not can_see_unapproved(request.user, sub.org))
    return [{"node": r.node.code if r.node else "*", "round": r.round, "level": r.level,
             "status": r.status, **_actual_of(results.get(r.node_id or 0))}
            for r in ratings_of(request.user, sub)]


def _actual_of(value: Any) -> dict[str, Any]:
    return {"actual": actuals.decimal_of(value), "observation": actuals.observation_id(value)}


@api.put("/submissions/{pk}/ratings/{node}/{round}", response=RatingOut, tags=["ผลการประเมิน"])
def put_rating(request: HttpRequest, pk: int, node: str, round: str,
               data: RatingIn) -> dict[str, Any]:
    sub = _readable_sub(request, pk)
    n = get_object_or_404(FrameworkNode, framework=sub.framework, code=node)
    if data.status not in Status.values:
        raise InvalidInput("status", f"สถานะ '{data.status}' ไม่ถูกต้อง")
    r = workflow.set_rating(request.user, sub, n, round, data.level, data.status, data.actual)
    results = actuals.observations_of(sub.org, sub.framework)
    return {"node": n.code, "round": r.round, "level": r.level, "status": r.status,
            **_actual_of(results.get(n.pk))}


@api.get("/files/{pk}", tags=["รายงาน"])
def get_file(request: HttpRequest, pk: int) -> FileResponse:
    att = get_object_or_404(Attachment.objects.select_related("submission__org"), pk=pk)
    if not can_read(request.user, att.submission.org):
        raise Http404("ไม่พบไฟล์")
    return FileResponse(att.file.open("rb"), content_type=att.content_type, as_attachment=True,
                        filename=att.original_name)


def _add_app_routers() -> None:
    """Routers of the other apps, under the same authentication and error handling."""
    from tidtam.children.api import router as children_router
    from tidtam.incidents.api import router as incidents_router
    from tidtam.measures.api import router as measures_router
    from tidtam.plans.api import router as plans_router

    api.add_router("/", plans_router)
    api.add_router("/", measures_router)
    api.add_router("/", children_router)
    api.add_router("/", incidents_router)


@api.get("/sheets/{year}/{code}", tags=["ผลการประเมิน"])
def get_sheet(request: HttpRequest, year: int, code: str) -> dict[str, Any]:
    org = get_object_or_404(OrgUnit, code=code)
    try:
        return sheet_for(request.user, org, year)
    except (SheetUnavailable, SheetNotReadable) as exc:
        raise Http404(str(exc)) from None


_add_app_routers()
