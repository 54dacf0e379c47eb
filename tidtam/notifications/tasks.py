"""The notifications' background tasks: sent by a worker, never inside a request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tidtam.jobs.tasks import background

# Messages go before batch documents: a reminder should not wait behind 245 PDFs.
PRIORITY = 10


@background("ส่งการแจ้งเตือนสถานะรายงาน", priority=PRIORITY)
def notify_transition(submission_id: int, transition: str, version: int, comment: str = "",
                      actor_id: int | None = None, on: str = "") -> dict[str, Any]:
    from tidtam.notifications.events import notify_transition as notify

    told = notify(submission_id, transition, version, comment, actor_id, on)
    return {"told": told, "summary": f"แจ้ง {told} คน"}


@background("แจ้งเตือนประจำวัน (เปิดรอบ กำหนดส่ง สรุปงาน)", priority=PRIORITY)
def daily_notifications(today: str = "") -> dict[str, Any]:
    from tidtam.notifications.daily import run_daily

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    result = run_daily(day)
    return {"opened": result.opened, "reminders": result.reminders, "digests": result.digests,
            "summary": result.summary()}


def transition_on_commit(user: Any, submission: Any, transition: str, comment: str) -> None:
    """Called by ``workflow.apply`` inside its transaction: the notice goes after the commit."""
    from tidtam.jobs.tasks import enqueue_on_commit
    from tidtam.notifications.events import NOTICES

    if transition not in NOTICES:
        return
    enqueue_on_commit(notify_transition, submission_id=submission.pk, transition=transition,
                      version=submission.version, comment=comment,
                      actor_id=user.pk if user is not None and user.is_authenticated else None,
                      on=timezone.localdate().isoformat())
