"""A large upload is read by a worker: the page sends the person to the task, then to the draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ingest.reviewers import signed_in
from tests.ingest.seeds import SEED_004, seed_text
from tidtam.ingest.models import ImportedSheet
from tidtam.ingest.tasks import PENDING, read_upload
from tidtam.jobs.worker import run
from tidtam.orgs.models import OrgUnit


def _upload(client: Any, data: bytes, name: str = "004.txt") -> Any:
    return client.post("/imports/upload/", {
        "file": SimpleUploadedFile(name, data, content_type="text/plain"),
        "kind": "emes-sheet", "org": ""})


def test_a_large_upload_is_read_in_the_background(db: None, settings: Any) -> None:
    settings.TIDTAM_IMPORT_INLINE_BYTES = 1000  # 004 is 46 KB: "large" here
    client = signed_in("evaluator", OrgUnit.objects.get(code="OBEC"))
    before = ImportedSheet.objects.count()
    resp = _upload(client, seed_text(SEED_004).encode())
    row = DBTaskResult.objects.get(task_path=read_upload.module_path)
    assert resp.status_code == 302 and resp["Location"] == f"/analytics/jobs/{row.id}/"
    assert ImportedSheet.objects.count() == before  # nothing read inside the request
    page = client.get(resp["Location"]).content.decode()
    assert "อ่านเอกสารนำเข้า" in page and "รอดำเนินการ" in page
    assert run(batch=True) == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    draft = ImportedSheet.objects.get(pk=row.return_value["draft"])
    assert draft.org.code == "SPM-52-51" and draft.source_name == "004.txt"
    polled = client.get(resp["Location"], headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == f"/imports/{draft.pk}/"
    assert not list((Path(settings.MEDIA_ROOT) / PENDING).glob("*.upload"))
    # Run again (a worker that died before recording its result): no second draft.
    again = read_upload.call(**row.args_kwargs["kwargs"])
    assert again["draft"] == draft.pk and ImportedSheet.objects.count() == before + 1


def test_a_refused_document_says_why_on_the_task_page(db: None, settings: Any) -> None:
    settings.TIDTAM_IMPORT_INLINE_BYTES = 10
    client = signed_in("evaluator", OrgUnit.objects.get(code="OBEC"))
    resp = _upload(client, b"%PDF-1.7 not text", "sheet.pdf")
    run(batch=True)
    page = client.get(resp["Location"]).content.decode()
    assert "ไม่ใช่ไฟล์ข้อความ" in page and "pdftotext" in page
    other = signed_in("reporter", OrgUnit.objects.get(code="SPP-52-1"), name="someone")
    assert other.get(resp["Location"]).status_code == 404
