"""The national synthesis documents, refreshed in a worker rather than in a download request.

Aggregating the nation takes a tenth of a second; drawing its ~26 charts and
laying out the DOCX or PDF takes about ten. So a download builds the
synthesis (the national aggregation and the editors' picks), sums it up in a
digest, and serves the stored document when it was made from exactly that; if
not, ``refresh_synthesis`` is queued and the person waits on the task's page,
which brings them back to the download when the document is made. Stored
under ``DATA_DIR/synthesis/`` with the manifest the batch documents use
(``documents.tasks``): a document is never served half-written, and a task run
again after its worker died finds the document made and stops.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

import tidtam
from tidtam.jobs.tasks import background


def document_path(code: str, year: int, round: str, fmt: str) -> Path:
    return Path(settings.DATA_DIR) / "synthesis" / f"synthesis-{code}-{year}-{round}.{fmt}"


def synthesis_digest(s: Any, fmt: str) -> str:
    """Everything the document prints: figures, charts' data, picked texts, titles."""
    printed = repr((s.framework.pk, s.round, s.title, s.subtitle, s.offices, s.indicators))
    return hashlib.sha256(f"{printed}\0{fmt}\0{tidtam.__version__}".encode()).hexdigest()


def fresh(s: Any, fmt: str) -> Path | None:
    """The stored document of ``s`` in ``fmt`` when it is up to date, else None."""
    from tidtam.documents.tasks import already_made

    out = document_path(s.framework.code, s.framework.fiscal_year, s.round, fmt)
    return out if already_made(out, synthesis_digest(s, fmt)) else None


@background("ปรับปรุงเอกสารสังเคราะห์ผลระดับประเทศ")
def refresh_synthesis(code: str, year: int, round: str, fmt: str,
                      user_id: int | None = None) -> dict[str, Any]:
    from tidtam.analytics.synthesis import build_synthesis
    from tidtam.analytics.synthesis_render import RENDERERS
    from tidtam.documents.tasks import write_document
    from tidtam.frameworks.models import Framework

    fw = Framework.objects.get(code=code, fiscal_year=year)
    s = build_synthesis(fw, round)
    url = reverse("analytics:synthesis_download", args=[year, round, fmt])
    out = document_path(code, year, round, fmt)
    if fresh(s, fmt) is not None:
        return {"made": False, "url": url, "summary": f"{out.name} เป็นฉบับล่าสุดอยู่แล้ว"}
    write_document(out, RENDERERS[fmt](s), synthesis_digest(s, fmt))
    return {"made": True, "url": url, "summary": f"สร้าง {out.name} จากข้อมูลล่าสุดแล้ว"}
