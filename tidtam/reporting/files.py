"""Uploads: images of best practices and evidence files.

A file is accepted by what its bytes are, not by its name: the first bytes
must match the declared type. Files live in MEDIA_ROOT (outside the
database) and are only ever served by a view that checks the reader's rights.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.limits import OutOfLimits, check_values
from tidtam.narratives.models import Block
from tidtam.reporting.editing import ensure_editable
from tidtam.reporting.errors import InvalidInput
from tidtam.reporting.models import Attachment, AttachmentKind, IndicatorReport

MB = 1024 * 1024
MAX_IMAGE = int(getattr(settings, "TIDTAM_MAX_IMAGE_MB", 5)) * MB
MAX_EVIDENCE = int(getattr(settings, "TIDTAM_MAX_FILE_MB", 20)) * MB

# suffix → (content type, magic prefix)
IMAGE_TYPES = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".webp": ("image/webp", b"RIFF"),
}
EVIDENCE_TYPES = {
    **IMAGE_TYPES,
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}


def _check(upload: UploadedFile, kind: str) -> tuple[str, bytes]:
    name = upload.name or "file"
    suffix = Path(name).suffix.lower()
    allowed = IMAGE_TYPES if kind == AttachmentKind.IMAGE else EVIDENCE_TYPES
    limit = MAX_IMAGE if kind == AttachmentKind.IMAGE else MAX_EVIDENCE
    if suffix not in allowed:
        raise InvalidInput("file", (
            f"ไฟล์ '{name}' เป็นชนิดที่ไม่รับ (รับเฉพาะ {', '.join(sorted(allowed))})"
        ))
    if (upload.size or 0) > limit:
        raise InvalidInput("file", (
            f"ไฟล์ '{name}' มีขนาด {(upload.size or 0) / MB:.1f} MB เกินกำหนด {limit // MB} MB"
        ))
    content_type, magic = allowed[suffix]
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        raise InvalidInput("file", (
            f"เนื้อไฟล์ '{name}' ไม่ตรงกับนามสกุล {suffix} (ไฟล์อาจเสียหายหรือเปลี่ยนนามสกุลมา)"
        ))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest().encode()


def attach(
    user: Any, report: IndicatorReport, upload: UploadedFile, kind: str,
    block: Block | None = None, caption: str = "",
) -> Attachment:
    ensure_editable(user, report.submission)
    if block is not None and (block.org_id != report.submission.org_id
                              or not block.kind.practice):
        raise InvalidInput("file", "วิธีปฏิบัติที่เป็นเลิศนี้ไม่ใช่ของหน่วยงานนี้")
    content_type, digest = _check(upload, kind)
    try:
        texts = check_values(Attachment, {"original_name": upload.name or "file",
                                          "caption": caption.strip()},
                             {"original_name": "ชื่อไฟล์", "caption": "คำอธิบายภาพ/ไฟล์"})
    except OutOfLimits as exc:
        raise InvalidInput("file", exc.message) from None
    with transaction.atomic():
        att = Attachment(
            submission=report.submission, report=report, block=block,
            kind=kind, original_name=texts["original_name"], content_type=content_type,
            size=upload.size or 0, sha256=digest.decode(), caption=texts["caption"],
            uploaded_by=user,
        )
        att.file.save(upload.name or "file", upload, save=False)
        att.save()
        record(user, Action.FILE, att, target=f"{report.node.heading} · {att.get_kind_display()}",
               submission=report.submission, after=att.original_name)
    return att


def detach(user: Any, att: Attachment) -> None:
    ensure_editable(user, att.submission)
    with transaction.atomic():
        heading = att.report.node.heading if att.report else ""
        record(user, Action.FILE_DELETE, att,
               target=f"{heading} · {att.get_kind_display()}".strip(" ·"),
               submission=att.submission, before=att.original_name)
        att.file.delete(save=False)
        att.delete()
