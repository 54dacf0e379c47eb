"""The national synthesis documents are made by a worker and served once made from this data."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_user
from tidtam.analytics.tasks import refresh_synthesis
from tidtam.evaluation.models import Rating
from tidtam.jobs.worker import run

URL = "/analytics/synthesis/2566/12m.html"


def test_a_download_waits_for_the_worker_then_is_served_until_the_data_changes(
    db: None, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    c = Client()
    c.force_login(make_user("obec-viewer", "viewer", "OBEC"))
    first = c.get(URL)
    assert first.status_code == 302 and first["Location"].startswith("/analytics/jobs/")
    assert c.get(URL)["Location"] == first["Location"]  # asked twice: queued once
    assert DBTaskResult.objects.filter(task_path=refresh_synthesis.module_path).count() == 1
    assert run(batch=True) == 1
    polled = c.get(first["Location"], headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == URL
    doc = c.get(URL)
    assert doc.status_code == 200 and 'filename="synthesis-qp-2566-12m.html"' in \
        doc["Content-Disposition"]
    body = b"".join(doc.streaming_content)  # type: ignore[attr-defined]
    assert "สรุปผล".encode() in body or "ตัวชี้วัด".encode() in body
    assert list((tmp_path / "synthesis").glob("*.html"))
    # A rating changes: the stored document is out of date and is made again.
    r = Rating.objects.filter(framework__code="qp", framework__fiscal_year=2566, round="12m",
                              level__isnull=False).first()
    assert r is not None
    Rating.objects.filter(pk=r.pk).update(level=1 if r.level != 1 else 5)
    again = c.get(URL)
    assert again.status_code == 302 and again["Location"] != first["Location"]
    # Someone without a role on OBEC: 404 before anything is queued.
    other = Client()
    other.force_login(make_user("reo", "viewer", "REO15"))
    assert other.get(URL).status_code == 404
    assert other.get(again["Location"]).status_code == 404
