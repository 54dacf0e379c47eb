"""Errors a user can cause while reporting; each carries a Thai message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone


class NotAllowed(PermissionDenied):
    def __init__(self, message: str = "คุณไม่มีสิทธิ์ดำเนินการนี้กับหน่วยงานนี้"):
        super().__init__(message)
        self.message = message


class Locked(Exception):
    """The submission's state does not allow this change."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class Conflict(Exception):
    """Someone else saved first; their text is kept and shown, ours is not lost."""

    def __init__(self, current: Any, version: int, by: str, at: dt.datetime | None):
        self.current = current
        self.version = version
        self.by = by
        self.at = at
        # Stored times are UTC; the notice speaks Bangkok time (a save at 20:42
        # must not read 13:42).
        when = f" เมื่อ {timezone.localtime(at):%H:%M} น." if at else ""
        self.message = (
            f"มีผู้อื่น ({by}) บันทึกข้อความนี้ก่อนคุณ{when} ระบบยังไม่บันทึกข้อความของคุณ "
            "และยังเก็บไว้ในช่องด้านล่าง กรุณาตรวจสอบข้อความล่าสุดแล้วรวมข้อความก่อนบันทึกอีกครั้ง"
        )
        super().__init__(self.message)


class TransitionRefused(Exception):
    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class Incomplete(TransitionRefused):
    """Submitting a report with indicators or required figures left empty.

    Not an error that blocks: the reporter sees the list and may send it
    anyway, saying so (``confirm_incomplete``); the list goes to the audit log.
    """

    def __init__(self, problems: list[str]):
        super().__init__(
            "รายงานยังกรอกไม่ครบ กรุณาตรวจสอบรายการที่ยังไม่ได้กรอก แล้วยืนยันหากต้องการส่งทั้งที่ยังไม่ครบ",
            problems,
        )
