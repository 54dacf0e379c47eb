"""Notices of a submission's transitions: returned, rated, approved, reopened.

``workflow.apply`` queues ``notify_transition`` when its transaction commits;
the task (in a worker, never in the request) finds the recipients and tells
them. The event's key is the submission at the version the transition gave
it, so the task may run again without telling anyone twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tidtam.accounts.models import Role
from tidtam.notifications.deliver import deliver, display_name
from tidtam.notifications.models import Kind
from tidtam.notifications.recipients import holders
from tidtam.thai.dates import thai_date


@dataclass(frozen=True)
class Notice:
    kind: str
    roles: tuple[str, ...]
    subject: str  # formatted with the submission
    body: str  # formatted with submission, actor, date and comment


NOTICES = {
    "return": Notice(
        Kind.RETURNED, (Role.REPORTER,), "รายงานถูกส่งกลับให้แก้ไข: {sub}",
        "{actor} ส่งรายงาน {sub} กลับให้แก้ไขเมื่อ {date}\n\nความเห็นของผู้ประเมิน:\n{comment}\n\n"
        "กรุณาแก้ไขตามความเห็นแล้วกด “ส่งรายงานฉบับแก้ไข”"),
    "finish_rating": Notice(
        Kind.RATED, (Role.REPORTER,), "รายงานได้รับการประเมินแล้ว: {sub}",
        "{actor} ยืนยันผลการประเมินรายงาน {sub} เมื่อ {date} ขั้นต่อไปคือการอนุมัติผลการประเมิน"),
    "approve": Notice(
        Kind.APPROVED, (Role.REPORTER,), "ผลการประเมินได้รับการอนุมัติแล้ว: {sub}",
        "{actor} อนุมัติผลการประเมินรายงาน {sub} เมื่อ {date} รายงานนี้เป็นฉบับทางการแล้ว"),
    "reopen": Notice(
        Kind.REOPENED, (Role.REPORTER, Role.EVALUATOR), "รายงานถูกเปิดแก้ไขหลังอนุมัติ: {sub}",
        "{actor} เปิดรายงาน {sub} ให้แก้ไขหลังอนุมัติเมื่อ {date}\n\nเหตุผล:\n{comment}"),
}


def notify_transition(submission_id: int, transition: str, version: int, comment: str = "",
                      actor_id: int | None = None, on: str = "") -> int:
    """Tell the office's people (and, for a reopening, its evaluators); returns how many."""
    from tidtam.reporting.models import Submission

    notice = NOTICES.get(transition)
    if notice is None:
        return 0
    sub = Submission.objects.select_related("org", "framework").get(pk=submission_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    fields: dict[str, Any] = {
        "sub": str(sub), "actor": display_name(actor) if actor else "ระบบ",
        "date": thai_date(dt.date.fromisoformat(on) if on else timezone.localdate()),
        "comment": comment or "-",
    }
    told = 0
    people = {u.pk: u for role in notice.roles for u in holders(role, sub.org)}
    for user in people.values():
        if actor is not None and user.pk == actor.pk:
            continue  # not told of what one did oneself
        note = deliver(user, notice.kind, f"{transition}:{sub.pk}:v{version}",
                       notice.subject.format(**fields), notice.body.format(**fields),
                       reverse("reporting:overview", args=[sub.pk]))
        told += note is not None
    return told
