"""The plans router (mounted by tidtam/api) with the same permissions as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from ninja.testing import TestClient

from tests.conftest import make_user
from tidtam.plans.api import router


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(router)


def test_summary_is_computed(client: TestClient, plan: Any) -> None:
    viewer = make_user("api-viewer", "viewer", "SPM-65-53")
    assert [p["office"] for p in client.get("/plans", user=viewer).json()] == ["SPM-65-53"]
    data = client.get(f"/plans/{plan.pk}", user=viewer).json()
    assert data["achievement"] | {"not_achieved": None} == {
        "achieved": 48, "total": 51, "pct": "94.12", "not_achieved": None}
    assert [m["source"] for m in data["achievement"]["not_achieved"]] == [
        "003 L3124", "003 L3193", "003 L3238"]
    assert data["budget"] == {"allocated": "318223938.00", "disbursed": "317489822.56",
                              "remaining": "734115.44", "pct": "99.77"}
    assert any(f["kind"] == "words_vs_amount" and f["printed"].endswith("สี่สิบบาทถ้วน")
               for f in data["findings"])


def test_progress_permissions(client: TestClient, plan: Any, reporter: Any) -> None:
    owner = make_user("api-owner", "reporter", "SPM-65-53")
    viewer = make_user("api-viewer2", "viewer", "SPM-65-53")
    project = plan.projects.get(number=3)
    url = f"/projects/{project.pk}/progress/2"
    body = {"money_spent": "1,000", "activities_done": "อบรม"}
    assert client.put(url, json=body, user=reporter).status_code == 404  # another office
    assert client.get(f"/plans/{plan.pk}", user=reporter).status_code == 404
    assert client.put(url, json=body, user=viewer).status_code == 403
    bad = client.put(url, json={"money_spent": "มาก"}, user=owner)
    assert bad.status_code == 422 and "เงินที่ใช้ในไตรมาส" in bad.json()["detail"]
    ok = client.put(url, json=body, user=owner)
    assert ok.status_code == 200 and ok.json()["money_spent"] == "1000.00"
    rows = client.get(f"/plans/{plan.pk}/progress", user=viewer).json()
    assert [(r["project_no"], r["quarter"], r["spent"]) for r in rows] == [("3", "2", "1000.00")]


def test_a_stale_version_answers_409_with_what_was_saved(plan: Any) -> None:
    from django.test import Client

    first, second = (make_user(n, "reporter", "SPM-65-53") for n in ("api-q-1", "api-q-2"))
    project = plan.projects.get(number=4)
    url = f"/api/projects/{project.pk}/progress/3"
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    saved = a.put(url, {"money_spent": "700", "activities_done": "จัดประชุม"},
                  content_type="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == 1
    rows = b.get(f"/api/plans/{plan.pk}/progress").json()
    assert [(r["project_id"], r["quarter"], r["version"]) for r in rows] == [
        (project.pk, "3", 1)]
    stale = b.put(url, {"money_spent": "900", "activities_done": "อบรม", "version": 0},
                  content_type="application/json")
    assert stale.status_code == 409
    data = stale.json()
    assert "บันทึกข้อความนี้ก่อนคุณ" in data["detail"] and data["version"] == 1
    assert data["current"]["activities_done"] == "จัดประชุม"
    assert project.progress.get(quarter=3).activities_done == "จัดประชุม"
    assert b.put(url, {"money_spent": "900", "activities_done": "อบรม", "version": 1},
                 content_type="application/json").status_code == 200
