"""Index a record whenever it is saved, forget it when it is deleted.

Two kinds of change send no post_save: reporting edits (queryset updates
guarded by a version number) and records an accepted import writes with
bulk_create. The first always writes an audit entry and the second marks the
draft accepted, and both of those are saves we listen to.

A failure to index must never stop an office saving its report: it is logged,
and ``tidtam search reindex`` puts the index right afterwards.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.reporting.models import AuditEntry
from tidtam.search.index import index_record, refresh_imported, refresh_submission, remove_record
from tidtam.search.sources import SOURCES, Source

log = logging.getLogger(__name__)


def _saved(source: Source) -> Any:
    def receiver(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # loaddata: related rows may not exist yet; reindex afterwards
            return
        try:
            # A savepoint, so a failed write here leaves the caller's transaction usable.
            with transaction.atomic():
                index_record(source, instance)
        except Exception:
            log.exception("search: could not index %s %s", source.kind, instance.pk)

    return receiver


def _deleted(source: Source) -> Any:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        try:
            with transaction.atomic():
                remove_record(source, instance.pk)
        except Exception:
            log.exception("search: could not unindex %s %s", source.kind, instance.pk)

    return receiver


def _audited(sender: Any, instance: Any, created: bool = False, raw: bool = False,
             **kwargs: Any) -> None:
    """Reporting edits update rows by version, without post_save; their audit entry tells us."""
    if raw or not created or instance.submission_id is None:
        return
    try:
        with transaction.atomic():
            refresh_submission(instance.submission_id)
    except Exception:
        log.exception("search: could not index submission %s", instance.submission_id)


def _imported(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """An accepted import may have written entries, recommendations or plans in bulk."""
    if raw or instance.status != ImportStatus.ACCEPTED:
        return
    try:
        with transaction.atomic():
            refresh_imported()
    except Exception:
        log.exception("search: could not index what import %s wrote", instance.pk)


def connect() -> None:
    for source in SOURCES:
        model = source.model()
        uid = f"tidtam.search.{source.kind}"
        post_save.connect(_saved(source), sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted(source), sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(_audited, sender=AuditEntry, dispatch_uid="tidtam.search.audit")
    post_save.connect(_imported, sender=ImportedSheet, dispatch_uid="tidtam.search.accepted")
