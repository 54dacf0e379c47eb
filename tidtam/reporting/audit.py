"""The audit log: every change that matters, with who, when, before and after."""

from __future__ import annotations

from typing import Any

from tidtam.orgs.models import OrgUnit
from tidtam.reporting.models import AuditEntry, Submission


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def record(
    user: Any, action: str, target: str, *,
    submission: Submission | None = None, org: OrgUnit | None = None,
    before: Any = None, after: Any = None, comment: str = "",
) -> AuditEntry:
    if org is None:
        assert submission is not None
        org = submission.org
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        org=org, submission=submission, action=action, target=target,
        before=_jsonable(before), after=_jsonable(after), comment=comment,
    )


ACTION_LABELS = {
    "create": "สร้างรายงาน",
    "value": "แก้ไขข้อมูลตัวเลข",
    "narrative": "แก้ไขข้อความ",
    "problem": "แก้ไขปัญหา/แนวทางแก้ไข",
    "problem_delete": "ลบปัญหา/แนวทางแก้ไข",
    "best_practice": "แก้ไขวิธีปฏิบัติที่เป็นเลิศ",
    "best_practice_delete": "ลบวิธีปฏิบัติที่เป็นเลิศ",
    "file": "แนบไฟล์",
    "file_delete": "ลบไฟล์",
    "answer": "ระบุเหตุผลต่อคำเตือน",
    "rating": "ให้ระดับคุณภาพ",
    "workflow": "เปลี่ยนสถานะ",
}
