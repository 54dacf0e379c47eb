"""Index a record whenever it is saved, forget it when it is deleted.

A failure to index must never stop an office saving its report: it is logged,
and ``tidtam search reindex`` puts the index right afterwards.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tidtam.search.index import index_record, remove_record
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


def connect() -> None:
    for source in SOURCES:
        model = source.model()
        uid = f"tidtam.search.{source.kind}"
        post_save.connect(_saved(source), sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted(source), sender=model, weak=False, dispatch_uid=uid)
