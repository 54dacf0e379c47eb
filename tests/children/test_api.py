"""The REST endpoints: a school's system pushes its list and its steps, all or nothing,
with the pages' Thai messages; the schema documents them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tidtam.accounts.models import ApiToken
from tidtam.children.models import Case
from tidtam.children.nationalid import generate, keyed_hash

pytestmark = pytest.mark.django_db


def test_a_school_system_pushes_a_list_and_a_step(client: Client, handler: object) -> None:
    _, key = ApiToken.issue(handler, "ระบบของโรงเรียน")
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    new = generate("3520", 9001)
    r = client.post("/api/children/cases", {"name": "จากระบบโรงเรียน", "cases": [
        {"national_id": new, "first_name": "ทดสอบ", "org_code": "SCH-1"}]},
        content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["created"], r.content
    case = Case.objects.get(id_hash=keyed_hash(new))
    bad = client.post("/api/children/cases", {"cases": [
        {"national_id": new[:12] + "0" if new[12] != "0" else new[:12] + "1",
         "first_name": "x", "org_code": "SCH-1"}]}, content_type="application/json", **h)
    assert bad.status_code == 422 and "หลักตรวจสอบไม่ตรง" in bad.json()["detail"]
    r = client.post(f"/api/children/cases/{case.pk}/steps",
                    {"kind": "help", "version": case.version}, content_type="application/json",
                    **h)
    assert r.status_code == 422 and "สถานะ" in r.json()["detail"]
    r = client.post(f"/api/children/cases/{case.pk}/steps",
                    {"kind": "verify", "version": case.version,
                     "on": dt.date.today().isoformat()},
                    content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["state"] == "verified"
    assert r.json()["first_name"] == "ทดสอบ"
    schema = client.get("/api/openapi.json", **h).json()
    assert "/api/children/cases/{case_id}/steps" in schema["paths"]
