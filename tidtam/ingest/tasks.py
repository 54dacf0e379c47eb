"""Reading a large uploaded document in a worker: repairing and parsing 003 takes ~5 s.

The upload page stores the file under ``MEDIA_ROOT/imports/pending/`` and
queues ``read_upload``; the person is sent to the task's page, which opens the
draft when the worker has made it. The task is idempotent: a draft of the same
text, kind and file by the same person, still waiting for review, is the one
made by an earlier attempt, and is returned instead of a second one; once the
upload is removed, a small marker beside it (``<name>.draft``) names the draft.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tidtam.jobs.tasks import background

PENDING = "imports/pending"


def store_pending(data: bytes) -> str:
    """Keep the uploaded bytes for the worker; returns their name under ``MEDIA_ROOT``."""
    rel = f"{PENDING}/{uuid.uuid4().hex}.upload"
    path = Path(settings.MEDIA_ROOT) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


@background("อ่านเอกสารนำเข้า")
def read_upload(pending: str, name: str, kind: str, org: str, user_id: int) -> dict[str, Any]:
    from tidtam.accounts.permissions import can_read
    from tidtam.ingest.kinds import handler
    from tidtam.ingest.models import ImportedSheet, ImportStatus
    from tidtam.ingest.sources import ImportRejected, SourceError, decode_text
    from tidtam.orgs.models import OrgUnit

    path = Path(settings.MEDIA_ROOT) / pending
    if not path.resolve().is_relative_to((Path(settings.MEDIA_ROOT) / PENDING).resolve()):
        raise ValueError(f"ไฟล์รอนำเข้า {pending} อยู่นอกที่เก็บ")
    user = get_user_model().objects.get(pk=user_id)
    unit = OrgUnit.objects.filter(code=org).first() if org else None
    marker = path.with_suffix(".draft")
    if marker.exists():  # an earlier attempt made the draft and removed the upload
        return _made(ImportedSheet.objects.get(pk=int(marker.read_text())), name)
    try:
        raw = decode_text(path.read_bytes(), name)
    except FileNotFoundError:
        raise ValueError(f"ไม่พบไฟล์ {name} ที่รอนำเข้า กรุณาอัปโหลดใหม่") from None
    except SourceError as exc:
        path.unlink(missing_ok=True)
        return {"refused": True, "summary": str(exc)}
    same = ImportedSheet.objects.filter(created_by=user, kind=kind, source_name=name[:255],
                                        status=ImportStatus.DRAFT, raw_text=raw).first()
    if same is None:
        k = handler(kind)
        try:
            parsed = k.parse(raw, name, unit)
        except ImportRejected as exc:
            path.unlink(missing_ok=True)
            return {"refused": True, "summary": exc.report()}
        if not can_read(user, parsed.org):
            path.unlink(missing_ok=True)
            return {"refused": True,
                    "summary": f"คุณไม่มีสิทธิ์ในหน่วยงาน {parsed.org.display_name}"}
        same = k.create_draft(parsed, raw, user)
    marker.write_text(str(same.pk))  # before the upload goes: a re-run finds the draft
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return _made(same, name)


def _made(draft: Any, name: str) -> dict[str, Any]:
    return {"draft": draft.pk, "url": reverse("ingest:detail", args=[draft.pk]),
            "summary": f"อ่าน {name} แล้ว บันทึกเป็นร่างรอตรวจเลขที่ {draft.pk}"}
