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
