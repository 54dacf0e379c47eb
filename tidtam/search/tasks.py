"""Search indexing that takes long runs in a worker, not in a web request.

Indexing one record after a save stays where it is (on commit, ``signals``):
one text is quick. Rebuilding the index (``tidtam search reindex
--background``, or asked for by an administrator) and indexing what an
accepted import wrote in bulk are background tasks. Both are idempotent:
``reindex`` and ``refresh_imported`` compare with what is stored and write
only what differs, so a task run again after its worker died does nothing
twice.
"""

from __future__ import annotations

from typing import Any

from tidtam.jobs.tasks import background


@background("สร้างดัชนีค้นหาใหม่")
def reindex_search(full: bool = False, user_id: int | None = None) -> dict[str, Any]:
    """``user_id``: who asked for it, when someone did (they see it on the jobs page)."""
    from tidtam.search.index import reindex

    result = reindex(full=full)
    return {"created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "removed": result.removed,
            "summary": result.summary()}


@background("เพิ่มเอกสารนำเข้าในดัชนีค้นหา")
def index_imported() -> dict[str, Any]:
    from tidtam.search.index import refresh_imported

    result = refresh_imported()
    return {"created": result.created, "updated": result.updated, "summary": result.summary()}
