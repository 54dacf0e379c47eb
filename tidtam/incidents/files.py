"""Evidence files of a case: the same checks as a report's evidence (type by bytes, size)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.incidents.models import Incident, IncidentFile
from tidtam.incidents.workflow import Refused, may_handle
from tidtam.limits import OutOfLimits, check_values
from tidtam.reporting.errors import InvalidInput
from tidtam.reporting.files import _check
from tidtam.reporting.models import AttachmentKind


def attach(user: Any, incident: Incident, upload: UploadedFile, caption: str = ""
           ) -> IncidentFile:
    if not may_handle(user, incident):
        raise Refused("แนบไฟล์ได้เฉพาะผู้รับผิดชอบเหตุนี้ (SC-Operator/SC-Action)")
    try:
        content_type, digest = _check(upload, AttachmentKind.EVIDENCE)
        texts = check_values(IncidentFile, {"original_name": upload.name or "file",
                                            "caption": caption.strip()},
                             {"original_name": "ชื่อไฟล์", "caption": "คำอธิบายไฟล์"})
    except InvalidInput as exc:
        raise Refused(exc.message, "file") from None
    except OutOfLimits as exc:
        raise Refused(exc.message, "file") from None
    with transaction.atomic():
        f = IncidentFile(incident=incident, original_name=texts["original_name"],
                         content_type=content_type, size=upload.size or 0,
                         sha256=digest.decode(), caption=texts["caption"], uploaded_by=user)
        f.file.save(upload.name or "file", upload, save=False)
        f.save()
        record(user, Action.INCIDENT_FILE, f, org=incident.org, target=str(f),
               after=f.original_name)
    return f
