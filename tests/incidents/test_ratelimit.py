"""An anonymous address posting 100 reports a minute is refused in Thai; the rest store nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tidtam.incidents.models import Incident
from tidtam.incidents.ratelimit import DEFAULTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the clock: a run that crossed a window's edge would count from zero again."""
    monkeypatch.setattr("tidtam.incidents.ratelimit.time.time", lambda: 1_700_000_000.0)

FORM = {"school": "SCH-1", "group": "violence", "what": "ถูกรังแก", "happened_on": "2023-01-05"}


def test_a_hundred_posts_a_minute_are_refused_and_store_nothing() -> None:
    cache.clear()
    client = Client()
    before = Incident.objects.count()
    limit = DEFAULTS["incident_report"][0]
    statuses = []
    for _ in range(100):
        r = client.post("/incidents/report/", FORM)
        statuses.append(r.status_code)
    assert statuses[:limit] == [302] * limit
    assert set(statuses[limit:]) == {429}
    assert Incident.objects.count() == before + limit
    r = client.post("/incidents/report/", FORM)
    assert r.status_code == 429 and "มากเกินไป" in r.content.decode()
    # another address is not held back
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/incidents/report/", FORM).status_code == 302
    cache.clear()


def test_guessing_tracking_codes_is_limited_too() -> None:
    cache.clear()
    client = Client()
    limit = DEFAULTS["incident_track"][0]
    codes = [client.get("/incidents/track/", {"code": f"AAAA-BBBB-{i:04d}"}).status_code
             for i in range(limit + 5)]
    assert codes[:limit] == [404] * limit and set(codes[limit:]) == {429}
    cache.clear()
