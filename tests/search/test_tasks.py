"""Rebuilding the index and indexing what an import wrote in bulk run as background tasks."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ingest.seeds import SEED_004, seed_text
from tidtam.evaluation.models import Recommendation
from tidtam.frameworks.models import FrameworkNode
from tidtam.ingest.drafts import create_draft
from tidtam.ingest.emes_sheet import parse_emes_sheet
from tidtam.ingest.models import ImportStatus
from tidtam.jobs.worker import run
from tidtam.search.models import SearchDocument, SourceKind
from tidtam.search.tasks import index_imported, reindex_search


def test_an_accepted_import_is_indexed_by_a_worker_not_by_the_request(
    spm: Any, django_capture_on_commit_callbacks: Any
) -> None:
    raw = seed_text(SEED_004)
    draft = create_draft(parse_emes_sheet(raw, source_name=SEED_004), raw)
    node = FrameworkNode.objects.filter(framework__code="esa", framework__fiscal_year=2566,
                                        ).exclude(recommendation__org=spm).first()
    assert node is not None
    with django_capture_on_commit_callbacks(execute=True):
        # What an accept writes in bulk sends no post_save of its own.
        [rec] = Recommendation.objects.bulk_create([Recommendation(
            org=spm, node=node, text="ให้จัดอบรมความปลอดภัยไซเบอร์แก่ครูทุกโรงเรียน")])
        draft.status = ImportStatus.ACCEPTED
        draft.save()
        draft.save()  # saved twice: queued once
    queued = DBTaskResult.objects.filter(task_path=index_imported.module_path)
    assert queued.count() == 1 and queued[0].status == TaskResultStatus.READY
    assert not SearchDocument.objects.filter(kind=SourceKind.RECOMMENDATION,
                                             source_id=rec.pk).exists()
    assert run(batch=True) == 1
    assert SearchDocument.objects.filter(kind=SourceKind.RECOMMENDATION,
                                         source_id=rec.pk).exists()


def test_reindex_in_the_background(db: None) -> None:
    SearchDocument.objects.all().delete()
    err = io.StringIO()
    call_command("search", "reindex", "--background", stdout=io.StringIO(), stderr=err)
    assert "เข้าคิว" in err.getvalue()
    assert not SearchDocument.objects.exists()
    row = DBTaskResult.objects.get(task_path=reindex_search.module_path)
    run(batch=True)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value["created"] == SearchDocument.objects.count() > 0
