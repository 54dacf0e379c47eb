"""A school's own system pushes incidents with its token; handlers list and read them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.incidents.helpers import staff
from tidtam.accounts.models import ApiToken
from tidtam.api.api import api
from tidtam.incidents.models import Channel, Incident

pytestmark = pytest.mark.django_db

BODY = {"org": "SCH-1", "group": "right", "threat_type": "fraud", "what": "ผู้ปกครองถูกหลอกโอนเงิน",
        "happened_on": "2023-03-01", "reporter_contact": "api-contact@example.invalid"}


def _h(user: object) -> dict[str, str]:
    _, key = ApiToken.issue(user, "t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_endpoints_are_in_the_schema() -> None:
    paths = api.get_openapi_schema()["paths"]
    assert {"get", "post"} <= set(paths["/api/incidents"])
    assert "get" in paths["/api/incidents/{incident_id}"]


def test_the_school_pushes_a_case_and_its_handlers_read_it(client: Client) -> None:
    school_system = make_user("api-sch", "reporter", "SCH-1")
    r = client.post("/api/incidents", BODY, content_type="application/json", **_h(school_system))
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["state"] == "reported" and len(out["tracking_code"]) == 14
    assert out["reporter_contact"] is None and out["what"] == ""  # not a handler
    case = Incident.objects.get(pk=out["id"])
    assert case.channel == Channel.API
    s = staff("api")
    listed = client.get("/api/incidents", {"org": "SCH-1"}, **_h(s["office_op"])).json()
    assert [c["id"] for c in listed if c["id"] == case.pk] == [case.pk]
    got = client.get(f"/api/incidents/{case.pk}", **_h(s["school_action"])).json()
    assert got["reporter_contact"] == "api-contact@example.invalid"
    assert got["steps"][0]["state"] == "reported"


def test_pushing_for_another_office_or_bad_input_is_refused(client: Client) -> None:
    before = Incident.objects.count()
    other = make_user("api-other", "reporter", "SPP-52-1")
    r = client.post("/api/incidents", BODY, content_type="application/json", **_h(other))
    assert r.status_code == 403 and "หน่วยงาน" in r.json()["detail"]
    mine = make_user("api-sch2", "reporter", "SCH-1")
    r = client.post("/api/incidents", {**BODY, "group": "nope"},
                    content_type="application/json", **_h(mine))
    assert r.status_code == 422 and "กลุ่มภัย" in r.json()["detail"]
    assert Incident.objects.count() == before
