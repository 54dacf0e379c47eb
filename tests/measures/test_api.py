"""The observation endpoints: read by those who read the office, written by its reporters."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tidtam.measures.models import Observation

pytestmark = pytest.mark.django_db
URL = "/api/orgs/SPM-52-51/observations"


def test_a_reporter_writes_reads_and_is_caught_on_a_stale_version(
    client: Client, reporter: Any
) -> None:
    client.force_login(reporter)
    put = client.put(f"{URL}/dropouts_found/2566-12m", json.dumps({"text": "28", "version": 0}),
                     content_type="application/json")
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["value"] == "28" and {("qp", "2"), ("esa", "3.4.2")} <= {
        (p["framework"], p["node"]) for p in body["used_by"]}
    stale = client.put(f"{URL}/dropouts_found/2566-r2", json.dumps({"text": "30", "version": 0}),
                       content_type="application/json")  # inspection round 2: the same fact
    assert stale.status_code == 409 and stale.json()["current"] == {"text": "28"}
    listed = client.get(URL, {"year": 2566}).json()["observations"]
    # what is typed: the one dropouts figure (the demo's AP results are imported)
    typed = [(o["measure"], o["id"]) for o in listed if o["source"]["kind"] == "typed"]
    assert typed == [("dropouts_found", body["id"])]
    bad = client.put(f"{URL}/dropouts_found/2566-x", json.dumps({"text": "1"}),
                     content_type="application/json")
    assert bad.status_code == 422 and "ไม่รู้จักช่วงเวลา" in bad.json()["detail"]
    refused = client.put(f"{URL}/dropouts_found/2566-12m",
                         json.dumps({"text": "๒๘.๕", "version": 1}),
                         content_type="application/json")
    assert refused.status_code == 422 and "จำนวนเต็ม" in refused.json()["detail"]


def test_a_viewer_reads_but_does_not_write(client: Client) -> None:
    from tests.conftest import make_user

    client.force_login(make_user("viewer-obec", "viewer", "OBEC"))
    assert client.get(URL).status_code == 200
    put = client.put(f"{URL}/learners_total/2566-12m", json.dumps({"text": "1"}),
                     content_type="application/json")
    assert put.status_code == 403
    assert not Observation.objects.filter(measure__code="learners_total").exists()
