"""The public pages: a school found by name or code, a tracking code back, CSRF kept."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tidtam.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_find_the_school_by_name_then_report_and_track() -> None:
    client = Client()
    found = client.get("/incidents/report/", {"q": "บุญวาทย์"}).content.decode()
    assert "?school=SCH-1" in found
    page = client.get("/incidents/report/", {"school": "SCH-1"}).content.decode()
    assert 'name="school" value="SCH-1"' in page and "<script" not in page.split("</head>")[1]
    r = client.post("/incidents/report/", {
        "school": "SCH-1", "group": "accident", "threat_type": "buildings",
        "what": "ราวบันไดหลุด", "happened_on": "2023-02-01", "happened_time": "10:30",
        "reporter_contact": "081-000-0000"}, follow=True)
    body = r.content.decode()
    code = re.search(r'id="tracking-code">([A-Z0-9-]+)<', body).group(1)
    case = Incident.objects.get(tracking_code=code)
    assert case.org.code == "SCH-1" and case.threat_type.code == "buildings"
    # shown once: the page does not show it again
    assert client.get("/incidents/report/done/").status_code == 302
    tracked = client.get("/incidents/track/", {"code": code.replace("-", " ").lower()})
    text = tracked.content.decode()
    assert tracked.status_code == 200 and "แจ้งเหตุ" in text and "ราวบันได" not in text
    assert "081-000-0000" not in text


def test_an_unknown_code_and_bad_input_get_thai_messages() -> None:
    client = Client()
    r = client.post("/incidents/report/", {"school": "SCH-1", "group": "violence",
                                           "what": "", "happened_on": "2023-01-01"})
    assert r.status_code == 422 and "กรุณาเล่าเหตุการณ์" in r.content.decode()
    r = client.post("/incidents/report/", {"school": "XX-1", "group": "violence",
                                           "what": "x", "happened_on": "2023-01-01"})
    assert r.status_code == 422 and "ไม่พบสถานศึกษา" in r.content.decode()
    r = client.get("/incidents/track/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert r.status_code == 404 and "ไม่พบเหตุ" in r.content.decode()


def test_csrf_is_kept_on_the_public_form() -> None:
    client = Client(enforce_csrf_checks=True)
    before = Incident.objects.count()
    r = client.post("/incidents/report/", {"school": "SCH-1", "group": "violence",
                                           "what": "x", "happened_on": "2023-01-01"})
    assert r.status_code == 403 and Incident.objects.count() == before
    page = client.get("/incidents/report/", {"school": "SCH-1"})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                      page.content.decode()).group(1)
    r = client.post("/incidents/report/", {"csrfmiddlewaretoken": token, "school": "SCH-1",
                                           "group": "violence", "what": "x",
                                           "happened_on": "2023-01-01"})
    assert r.status_code == 302 and Incident.objects.count() == before + 1
