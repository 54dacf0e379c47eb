"""Index a record when the transaction that saved or deleted it commits.

Indexing waits for the commit so a rolled-back change never reaches the index,
a record saved several times in one transaction is read once as it ended up,
and tests that never commit (most of them) pay nothing for it. The job reads
the record again by its id: gone means deleted.

Two kinds of change send no post_save: reporting edits (queryset updates
guarded by a version number) and records an accepted import writes with
bulk_create. The first always writes an audit entry and the second marks the
draft accepted, and both of those are saves we listen to.

A failure to index must never undo or stop the change that triggered it: it
is logged, and ``tidtam search reindex`` puts the index right afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tidtam.audit.models import AuditEntry
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.search.index import index_record, refresh_submission, remove_record
from tidtam.search.sources import SOURCES, Source, source_for

log = logging.getLogger(__name__)


def after_commit(job: Callable[[], object], what: str) -> None:
    def guarded() -> None:
        try:
            with transaction.atomic():
                job()
        except Exception:
            log.exception("search: could not index %s", what)

    transaction.on_commit(guarded)


def index_pk(source: Source, pk: int) -> None:
    obj = source.queryset().filter(pk=pk).first()
    if obj is None:
        remove_record(source, pk)
    else:
        index_record(source, obj)


def _changed(source: Source) -> Any:
    def receiver(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # loaddata: related rows may not exist yet; reindex afterwards
            return
        pk = instance.pk
        after_commit(lambda: index_pk(source, pk), f"{source.kind} {pk}")

    return receiver


def _audited(sender: Any, instance: Any, created: bool = False, raw: bool = False,
             **kwargs: Any) -> None:
    """Reporting edits update rows by version, without post_save; their audit entry tells us."""
    if raw or not created or instance.submission_id is None:
        return
    from django.contrib.contenttypes.models import ContentType

    from tidtam.measures.models import Observation
    from tidtam.narratives.models import Block

    # An autosave audits one object: a figure is not indexed at all, a block is
    # indexed by itself. Re-reading every block of the office's period on each
    # keystroke-save was most of an autosave's cost; other audited changes
    # (sending, returning, …) still refresh the whole submission.
    if instance.content_type_id is not None and instance.object_id is not None:
        model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
        if model is Observation:
            return
        if model is Block:
            source = source_for(Block)
            pk = instance.object_id
            if source is not None:
                after_commit(lambda: index_pk(source, pk), f"{source.kind} {pk}")
                return
    submission_id = instance.submission_id
    after_commit(lambda: refresh_submission(submission_id), f"submission {submission_id}")


def _imported(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """An accepted import may have written entries, recommendations or plans in bulk.

    Indexing those scans every imported kind: a background task, queued on
    commit (once, however many imports are accepted before a worker gets to it).
    """
    if raw or instance.status != ImportStatus.ACCEPTED:
        return
    from tidtam.jobs.tasks import enqueue_on_commit
    from tidtam.search.tasks import index_imported

    enqueue_on_commit(index_imported, once=True)


def connect() -> None:
    for source in SOURCES:
        model = source.model()
        uid = f"tidtam.search.{source.kind}"
        post_save.connect(_changed(source), sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_changed(source), sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(_audited, sender=AuditEntry, dispatch_uid="tidtam.search.audit")
    post_save.connect(_imported, sender=ImportedSheet, dispatch_uid="tidtam.search.accepted")
