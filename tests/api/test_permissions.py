"""Every API endpoint refuses office B's data to office A's reporter.

The endpoints are enumerated from the OpenAPI schema, so an endpoint added
without a permission check fails here until it has one.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tidtam.accounts.models import ApiToken
from tidtam.api.api import api
from tidtam.frameworks.models import DataElement
from tidtam.reporting import editing
from tidtam.reporting.files import attach
from tidtam.reporting.models import AttachmentKind

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


def test_schema_lists_the_endpoints() -> None:
    ops = _operations()
    assert len(ops) >= 14
    assert ("PUT", "/api/submissions/{pk}/indicators/{node}/narratives/{kind}") in ops


@pytest.fixture
def b_objects(other_submission: Any, other_reporter: Any) -> dict[str, Any]:
    """Office B (สพป.ลำปาง เขต 1) with a figure, a narrative and a file."""
    el = DataElement.objects.filter(node__framework=other_submission.framework,
                                    measure__value_type="integer").first()
    assert el is not None
    report = editing.report_for(other_submission, el.node)
    editing.save_value(other_reporter, report, el, "10", 0)
    editing.save_narrative(other_reporter, report, "drive", "ข้อความลับของเขต B", 0)
    from django.core.files.uploadedfile import SimpleUploadedFile

    att = attach(other_reporter, report, SimpleUploadedFile("b.png", PNG, "image/png"),
                 AttachmentKind.IMAGE)
    from tidtam.plans.models import Plan

    plan = Plan.objects.get(office__code="SPM-65-53")  # a third office's action plan
    from tidtam.children.models import Case
    from tidtam.children.nationalid import generate, keyed_hash

    child_id = generate("3520", 777)  # a child of office B out of school
    child = Case.objects.create(org=other_submission.org, id_hash=keyed_hash(child_id),
                                national_id=child_id, id_tail=child_id[-4:],
                                first_name="ข้อความลับของเขต B", state_since="2023-01-01")
    import datetime as dt

    from tidtam.incidents import workflow as incidents

    incident = incidents.report(None, incidents.Report(
        org_code="SPP-52-1", group_code="violence", what="ข้อความลับของเขต B",
        happened_on=dt.date(2023, 1, 5), reporter_contact="ข้อความลับของเขต B"))
    return {"case_id": child.pk, "incident_id": incident.pk,
            "pk": other_submission.pk, "code": other_submission.org.code, "year": 2566,
            "node": el.node.code, "element": el.pk, "kind": "drive", "round": "12m",
            "action": "submit", "file": att.pk, "plan_id": plan.pk,
            "project_id": plan.projects.first().pk, "quarter": 1,
            "measure": el.measure.code, "period": "2566-12m"}


def _fill(path: str, b: dict[str, Any]) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "pk" and path.startswith("/api/files/"):
            return str(b["file"])
        if name == "code" and path.startswith("/api/frameworks/"):
            return "qp"  # frameworks are shared metadata: the answer must still not leak B
        return str(b[name])

    return re.sub(r"\{(\w+)\}", value, path)


BODIES = {
    "POST /api/submissions": {"org": "SPP-52-1", "framework": "qp", "fiscal_year": 2566,
                              "round": "6m"},
    "PUT /api/submissions/{pk}/indicators/{node}/values/{element}": {"text": "99", "version": 1},
    "PUT /api/submissions/{pk}/indicators/{node}/narratives/{kind}": {"text": "แก้", "version": 1},
    "POST /api/submissions/{pk}/actions/{action}": {"comment": ""},
    "PUT /api/submissions/{pk}/ratings/{node}/{round}": {"level": 5},
    "PUT /api/projects/{project_id}/progress/{quarter}": {"money_spent": "100"},
    "PUT /api/orgs/{code}/observations/{measure}/{period}": {"text": "99", "version": 1},
    "POST /api/children/cases": {"name": "B", "cases": [
        {"national_id": "3520000007771", "first_name": "ข้อความลับของเขต B",
         "org_code": "SPP-52-1"}]},
    "POST /api/children/cases/{case_id}/steps": {"kind": "verify", "version": 1},
    "POST /api/incidents": {"org": "SPP-52-1", "group": "violence", "what": "x",
                            "happened_on": "2023-01-01"},
}


@pytest.mark.parametrize("how", ["token", "session"])
def test_reporter_of_a_cannot_reach_office_b(
    client: Client, reporter: Any, b_objects: dict[str, Any], how: str
) -> None:
    headers = {}
    if how == "token":
        _, key = ApiToken.issue(reporter, "test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    else:
        client.force_login(reporter)
    secret = "ข้อความลับของเขต B"
    seen: list[tuple[str, str, int]] = []
    for method, path in _operations():
        url = _fill(path, b_objects)
        body = BODIES.get(f"{method} {path}")
        response = client.generic(method, url, json.dumps(body) if body else "",
                                  content_type="application/json", **headers)
        text = response.content.decode(errors="replace")
        seen.append((method, path, response.status_code))
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, f"{method} {path}: {response.status_code} {text}"
        for leak in (b_objects["code"], "SPM-65-53", secret):
            assert leak not in text, f"{method} {path} leaks {leak}"
    # The refusals must be real refusals, not e.g. a wrong URL: B's own
    # resources are refused, only listings and shared metadata answer 200.
    answered = {(m, p) for m, p, status in seen if status == 200}
    assert answered == {("GET", "/api/orgs"), ("GET", "/api/frameworks"),
                        ("GET", "/api/frameworks/{year}/{code}"), ("GET", "/api/submissions"),
                        ("GET", "/api/plans"), ("GET", "/api/measures/{year}"),
                        ("GET", "/api/children/cases"),
                        ("GET", "/api/incidents")}  # the cases one handles: none
    # And nothing was changed in B.
    from tidtam.narratives.models import Block
    from tidtam.reporting.models import Submission

    assert Block.objects.get(org__code="SPP-52-1", kind__code="drive").text == secret
    assert not Submission.objects.filter(org__code="SPP-52-1", round="6m").exists()
    assert Submission.objects.get(pk=b_objects["pk"]).state == "draft"
    from tidtam.measures.models import Observation

    typed = Observation.objects.filter(source_kind="typed")  # not the registers' or imports'
    assert typed.get(org__code="SPP-52-1").text == "10"


def test_anonymous_gets_401_everywhere(client: Client, b_objects: dict[str, Any]) -> None:
    for method, path in _operations():
        response = client.generic(method, _fill(path, b_objects))
        assert response.status_code == 401, f"{method} {path}"


def test_reporter_works_on_own_office_through_the_api(
    client: Client, reporter: Any, submission: Any
) -> None:
    _, key = ApiToken.issue(reporter, "test")
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/submissions/{submission.pk}/indicators/1/narratives/drive"
    r = client.put(url, {"text": "ขับเคลื่อนตามแผน", "version": 0}, content_type="application/json",
                   **h)
    assert r.status_code == 200 and r.json()["version"] == 1
    stale = client.put(url, {"text": "อีกฉบับ", "version": 0}, content_type="application/json",
                       **h)
    assert stale.status_code == 409
    assert stale.json()["current"] == {"text": "ขับเคลื่อนตามแผน"}
    bad = client.put(url.replace("narratives/drive", "narratives/nope"),
                     {"text": "x", "version": 0}, content_type="application/json", **h)
    assert bad.status_code == 422 and "ไม่รู้จักหัวข้อ" in bad.json()["detail"]
    listed = client.get("/api/submissions", **h).json()
    assert [s["org"] for s in listed] == ["SPM-52-51"]
    sheet = client.get("/api/sheets/2566/SPM-52-51", **h)
    assert sheet.status_code == 200 and sheet.json()["qp"]["overall"]["average"] == "3.83"


def test_openapi_docs_are_served(client: Client, reporter: Any) -> None:
    client.force_login(reporter)
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200


def test_evaluator_through_the_api_score_of_6_is_refused(
    client: Client, reporter: Any, evaluator: Any, submission: Any
) -> None:
    from tidtam.reporting import workflow

    workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    _, key = ApiToken.issue(evaluator, "test")
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/submissions/{submission.pk}/ratings/1/12m"
    six = client.put(url, {"level": 6}, content_type="application/json", **h)
    assert six.status_code == 422 and "1–5" in six.json()["detail"]
    ok = client.put(url, {"level": 4}, content_type="application/json", **h)
    assert ok.status_code == 200 and ok.json()["level"] == 4
    audit = client.get(f"/api/submissions/{submission.pk}/audit", **h).json()
    assert any(e["action"] == "rating" and e["after"]["level"] == 4 for e in audit)


def test_api_docs_load_nothing_from_another_site(client: Client, reporter: Any) -> None:
    """Swagger UI comes from the app's own static files, so /api/docs works offline."""
    client.force_login(reporter)
    page = client.get("/api/docs").content.decode()
    refs = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(r.endswith("swagger-ui-bundle.js") for r in refs)
    assert not [r for r in refs if "//" in r], refs  # no CDN, no other host
    for ref in refs:
        assert client.get(ref).status_code == 200, ref
