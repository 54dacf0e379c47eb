"""Odd input through the API: a Thai 422 and nothing stored, the same on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tidtam.frameworks.models import DataElement
from tidtam.measures.models import Observation
from tidtam.narratives.models import Block

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client, reporter: Any) -> Client:
    client.force_login(reporter)
    return client


def test_negative_paging_is_refused_in_thai(api: Client) -> None:
    for query, message in (("offset=-1", "offset ต้องไม่ติดลบ (ได้รับ -1)"),
                           ("limit=-5", "limit ต้องเป็นจำนวนเต็มบวก (ได้รับ -5)"),
                           ("limit=0", "limit ต้องเป็นจำนวนเต็มบวก (ได้รับ 0)")):
        response = api.get(f"/api/orgs?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"] == message
    unreadable = api.get("/api/orgs?limit=abc")
    assert unreadable.status_code == 422
    assert unreadable.json()["detail"] == "ข้อมูลที่ส่งมาไม่ถูกต้อง: limit ต้องเป็นจำนวนเต็ม"
    assert len(api.get("/api/orgs?offset=0&limit=2").json()) == 2


def test_a_nul_byte_and_a_wide_figure_are_refused(api: Client, submission: Any) -> None:
    base = f"/api/submissions/{submission.pk}/indicators"
    nul = api.put(f"{base}/1/narratives/drive", {"text": "ก\u0000ข", "version": 0},
                  content_type="application/json")
    assert nul.status_code == 422 and "U+0000" in nul.json()["detail"]
    surrogate = api.put(f"{base}/1/narratives/drive", '{"text": "\\ud800", "version": 0}',
                        content_type="application/json")
    assert surrogate.status_code == 422 and "U+D800" in surrogate.json()["detail"]
    assert not Block.objects.filter(org=submission.org).exists()
    el = DataElement.objects.filter(node__framework=submission.framework,
                                    measure__value_type="integer").first()
    assert el is not None
    wide = api.put(f"{base}/{el.node.code}/values/{el.pk}", {"text": "9" * 16, "version": 0},
                   content_type="application/json")
    assert wide.status_code == 422
    assert wide.json()["detail"].startswith(f"{el.name_th}: ตัวเลขต้องน้อยกว่า 100,000,000,000")
    assert not Observation.objects.filter(org=submission.org, source_kind="typed").exists()
