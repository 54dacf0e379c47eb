"""Keeping the index in step with the records it copies.

``index_record`` is called after every save (signals.py) and ``reindex``
rebuilds the whole index from the database (``tidtam search reindex``).
Repairing text is the costly step, so neither repairs what it has already
stored: a text equal to the stored repaired text repairs to itself (repair is
idempotent), and then only the title, office, year and link are compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from tidtam.search.models import SearchDocument, SourceKind
from tidtam.search.sources import SOURCES, Doc, Source
from tidtam.search.text import fold, prepare, token_string

Progress = Callable[[Source, int, int], None]


def _values(doc: Doc, stored: SearchDocument | None, full: bool = False
            ) -> dict[str, Any] | None:
    """The fields to write for ``doc``, or None when ``stored`` already says the same.

    ``full`` recomputes the words of texts that are already spelled right too
    (after PyThaiNLP's dictionary or the word cutting changed).
    """
    meta = {"org_id": doc.org_id, "fiscal_year": doc.fiscal_year, "title": doc.title,
            "route": doc.route, "route_args": list(doc.route_args)}
    if stored is not None and stored.text == doc.text and not full:
        if all(getattr(stored, k) == v for k, v in meta.items()):
            return None
        folded = fold(doc.text)
        return {**meta, "text": doc.text, "folded": folded, "tokens": token_string(folded)}
    repaired, folded, tokens = prepare(doc.text, repaired_already=doc.repaired)
    if stored is not None and stored.text == repaired and stored.tokens == tokens and all(
        getattr(stored, k) == v for k, v in meta.items()
    ):
        return None
    return {**meta, "text": repaired, "folded": folded, "tokens": tokens}


def index_record(source: Source, obj: Any) -> bool:
    """Bring the one document of ``obj`` up to date; True when something was written."""
    doc = source.build(obj)
    docs = SearchDocument.objects.filter(kind=source.kind, source_id=obj.pk)
    if doc is None:
        return docs.delete()[0] > 0
    stored = docs.first()
    values = _values(doc, stored)
    if values is None:
        return False
    with transaction.atomic():
        SearchDocument.objects.update_or_create(kind=source.kind, source_id=obj.pk,
                                                defaults=values)
    return True


def remove_record(source: Source, pk: int) -> None:
    SearchDocument.objects.filter(kind=source.kind, source_id=pk).delete()


@dataclass
class ReindexResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def summary(self) -> str:
        return (f"ดัชนีค้นหา: เพิ่มใหม่ {self.created} ปรับปรุง {self.updated} "
                f"ไม่เปลี่ยนแปลง {self.unchanged} ลบออก {self.removed} รายการ")


BATCH = 500


def reindex(progress: Progress | None = None, full: bool = False) -> ReindexResult:
    """Every source, whole: add what is missing, fix what changed, drop what is gone."""
    result = ReindexResult()
    for source in SOURCES:
        _reindex_source(source, result, progress, full)
    return result


def _reindex_source(source: Source, result: ReindexResult, progress: Progress | None,
                    full: bool) -> None:
    seen = refresh(source, source.queryset(), result, progress, full)
    stored = SearchDocument.objects.filter(kind=source.kind).values_list("pk", "source_id")
    gone = [pk for pk, source_id in stored if source_id not in seen]
    for i in range(0, len(gone), BATCH):  # in batches: SQLite limits the parameters of a query
        result.removed += SearchDocument.objects.filter(pk__in=gone[i:i + BATCH]).delete()[0]


def refresh(
    source: Source, records: QuerySet[Any], result: ReindexResult | None = None,
    progress: Progress | None = None, full: bool = False,
) -> set[int]:
    """Index ``records`` of one source; returns the ids that have a document."""
    result = result if result is not None else ReindexResult()
    ids = list(records.values_list("pk", flat=True))
    stored = {d.source_id: d for d in SearchDocument.objects.filter(kind=source.kind)
              .filter(source_id__in=ids)} if len(ids) < BATCH else {
        d.source_id: d for d in SearchDocument.objects.filter(kind=source.kind)}
    seen: set[int] = set()
    new: list[SearchDocument] = []
    total = len(ids)
    for done, obj in enumerate(records.iterator(chunk_size=BATCH), start=1):
        doc = source.build(obj)
        old = stored.get(obj.pk)
        if doc is None:
            if old is not None:
                old.delete()
                result.removed += 1
        else:
            seen.add(obj.pk)
            values = _values(doc, old, full)
            if values is None:
                result.unchanged += 1
            elif old is None:
                new.append(SearchDocument(kind=source.kind, source_id=obj.pk, **values))
                result.created += 1
            else:
                SearchDocument.objects.filter(pk=old.pk).update(**values)
                result.updated += 1
        if len(new) >= BATCH:
            SearchDocument.objects.bulk_create(new)
            new = []
        if progress is not None and (done % BATCH == 0 or done == total):
            progress(source, done, total)
    SearchDocument.objects.bulk_create(new)
    return seen


# Texts the reporting app changes with queryset updates (optimistic versions), which
# send no post_save; every such change writes an audit entry, which does.
REPORTING_KINDS = (SourceKind.NARRATIVE,)
# Texts an accepted import may write in bulk (bulk_create sends no post_save).
IMPORTED_KINDS = (SourceKind.INSPECTION, SourceKind.RECOMMENDATION, SourceKind.PLAN,
                  SourceKind.PROJECT)


def refresh_submission(submission_id: int) -> ReindexResult:
    """The office's blocks of the submission's period (what its forms edit)."""
    from tidtam.measures.models import Period
    from tidtam.reporting.models import Submission

    result = ReindexResult()
    sub = Submission.objects.select_related("framework").filter(pk=submission_id).first()
    if sub is None:
        return result
    from tidtam.narratives.models import Block

    period = Period.of(sub.framework.fiscal_year, sub.round)
    for source in SOURCES:
        if source.kind in REPORTING_KINDS:
            refresh(source, source.queryset().filter(org_id=sub.org_id, period=period), result)
    # A deleted block is kept (a sent report may print it) but is no longer found.
    deleted = Block.objects.filter(org_id=sub.org_id, period=period, deleted_at__isnull=False)
    result.removed += SearchDocument.objects.filter(
        kind__in=REPORTING_KINDS, source_id__in=deleted.values("pk")).delete()[0]
    return result


def refresh_imported() -> ReindexResult:
    """Index the records of those kinds that have no document yet (bulk_create writes new rows)."""
    result = ReindexResult()
    for source in SOURCES:
        if source.kind in IMPORTED_KINDS:
            indexed = SearchDocument.objects.filter(kind=source.kind).values("source_id")
            refresh(source, source.queryset().exclude(pk__in=indexed), result)
    return result
