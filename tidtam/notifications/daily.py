"""The daily round: a round opening, reminders before (and after) a deadline, digests.

``run_daily(today)`` is what ``tidtam notify daily`` (from cron or a systemd
timer, once a day) runs; ``today`` is explicit so a test, or an operator
catching up, can name the day. It is safe to run twice, or late: every
message has a key (the schedule and the reminder, or the day of a digest)
and ``deliver`` tells nobody twice of one key.

- **Round opening**: from ``opens_on`` to ``due_on``, the reporters of every
  office that owes the round are told once that it is open.
- **Reminders**: ``RoundSchedule.remind_days`` (e.g. 7,1) days before the
  deadline, the reporters of offices that have not sent the round yet; if the
  command missed a day, the latest reminder due is sent, not every one
  missed. The day after the deadline, once, a notice that it has passed.
- **Digest** (every day it has something to say): evaluators get the reports
  waiting for their rating, approvers those waiting for approval, compilers
  of inspection reports (reporters of a provincial or regional office) the
  reports not yet sent and the units' entries not yet gathered; evaluators,
  approvers get the offices late with a round (for 90 days after its deadline).

Recipients are the holders of the role over each office (``recipients``); a
person gets one message per reminder listing their offices, not one per office.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tidtam.accounts.models import Role
from tidtam.notifications.deliver import deliver
from tidtam.notifications.models import Kind
from tidtam.notifications.recipients import reach
from tidtam.orgs.models import OrgUnit
from tidtam.thai.dates import thai_date

LIST_AT_MOST = 20
SENT_STATES = ("submitted", "resubmitted", "rated", "approved")
# How long after a deadline the digest keeps listing the offices still owing.
LATE_FOR = dt.timedelta(days=90)


@dataclass
class DailyResult:
    opened: int = 0
    reminders: int = 0
    digests: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"แจ้งเปิดรับรายงาน {self.opened} เตือนกำหนดส่ง {self.reminders} "
                f"สรุปประจำวัน {self.digests} รายการ")


def _listing(offices: list[OrgUnit]) -> str:
    lines = [f"- {o.display_name}" for o in offices[:LIST_AT_MOST]]
    if len(offices) > LIST_AT_MOST:
        lines.append(f"- และอีก {len(offices) - LIST_AT_MOST} หน่วยงาน")
    return "\n".join(lines)


def _round_name(sched: Any) -> str:
    label = dict(sched.framework.round_labels()).get(sched.round, sched.round)
    return f"{sched.framework.full_name} {label}"


def owing(sched: Any) -> list[OrgUnit]:
    """Area offices that have not sent this round (no report, a draft, or a returned one)."""
    from tidtam.reporting.models import Submission

    sent = Submission.objects.filter(framework=sched.framework, round=sched.round,
                                     state__in=SENT_STATES).values("org_id")
    return list(OrgUnit.objects.area_offices().filter(is_active=True).exclude(pk__in=sent)
                .order_by("code"))


def _schedules(today: dt.date) -> list[Any]:
    from tidtam.reporting.models import RoundSchedule

    return list(RoundSchedule.objects.select_related("framework").filter(opens_on__lte=today)
                .order_by("due_on", "framework__order"))


def round_openings(today: dt.date) -> int:
    told = 0
    for sched in _schedules(today):
        if today > sched.due_on:
            continue
        name = _round_name(sched)
        for user, offices in reach(Role.REPORTER, owing(sched)).items():
            body = (f"เปิดรับรายงาน {name} แล้วตั้งแต่ {thai_date(sched.opens_on)} "
                    f"กำหนดส่งภายใน {thai_date(sched.due_on)}\n\nหน่วยงานที่ต้องรายงาน:\n"
                    f"{_listing(offices)}")
            told += deliver(user, Kind.ROUND_OPEN, f"open:{sched.pk}",
                            f"เปิดรับรายงาน {name}", body, reverse("reporting:tasks")) is not None
    return told


def _reminder_due(sched: Any, today: dt.date) -> str | None:
    """The reminder of ``sched`` due on ``today``: "7", "1" (days before) or "late"."""
    if today > sched.due_on:
        return "late" if today - sched.due_on <= dt.timedelta(days=7) else None
    due = [n for n in sched.reminder_days() if sched.due_on - dt.timedelta(days=n) <= today]
    return str(min(due)) if due else None


def deadline_reminders(today: dt.date) -> int:
    told = 0
    for sched in _schedules(today):
        which = _reminder_due(sched, today)
        if which is None:
            continue
        name, due = _round_name(sched), thai_date(sched.due_on)
        left = (sched.due_on - today).days
        for user, offices in reach(Role.REPORTER, owing(sched)).items():
            if which == "late":
                subject = f"เลยกำหนดส่งรายงาน {name} แล้ว"
                body = (f"กำหนดส่งรายงาน {name} คือ {due} ซึ่งเลยมาแล้ว "
                        f"แต่หน่วยงานต่อไปนี้ยังไม่ได้ส่งรายงาน:\n{_listing(offices)}")
                if sched.block_late:
                    body += "\n\nรอบนี้ปิดรับรายงานหลังกำหนด กรุณาติดต่อผู้ประเมิน"
            else:
                when = "วันนี้" if left == 0 else f"อีก {left} วัน"
                subject = f"ใกล้กำหนดส่งรายงาน {name} ({when})"
                body = (f"กำหนดส่งรายงาน {name} คือ {due} ({when}) "
                        f"หน่วยงานต่อไปนี้ยังไม่ได้ส่งรายงาน:\n{_listing(offices)}")
            told += deliver(user, Kind.DEADLINE, f"deadline:{sched.pk}:{which}", subject, body,
                            reverse("reporting:tasks")) is not None
    return told


def _late(today: dt.date) -> list[tuple[Any, list[OrgUnit]]]:
    """Rounds whose deadline passed in the last ``LATE_FOR``, with the offices still owing."""
    return [(s, offices) for s in _schedules(today)
            if s.due_on < today <= s.due_on + LATE_FOR and (offices := owing(s))]


def _waiting(role: str, states: tuple[str, ...]) -> dict[Any, list[Any]]:
    from tidtam.reporting.models import Submission

    subs = list(Submission.objects.filter(state__in=states).select_related("org", "framework")
                .order_by("submitted_at", "pk"))
    by_office: dict[int, list[Any]] = defaultdict(list)
    for s in subs:
        by_office[s.org_id].append(s)
    offices = [s.org for s in subs]
    unique = list({o.pk: o for o in offices}.values())
    return {user: [s for o in found for s in by_office[o.pk]]
            for user, found in reach(role, unique).items()}


def _compiling() -> dict[Any, list[str]]:
    """Compilers of inspection reports → a line per report of theirs not yet sent."""
    from tidtam.inspection.models import Entry, InspectionReport, ReportStatus

    lines: dict[int, list[str]] = defaultdict(list)
    users: dict[int, Any] = {}
    reports = InspectionReport.objects.exclude(status=ReportStatus.SENT).select_related(
        "org", "framework")
    for report in reports:
        province = report.province  # a regional report gathers provinces' reports instead
        new = 0 if province is None else Entry.objects.filter(
            framework=report.framework, round=report.round, is_final=True, province=province,
        ).exclude(placements__report=report).count()
        line = f"- {report}: ยังไม่ได้ส่ง" + (f" มีข้อมูลจากหน่วยงานที่ยังไม่ได้รวบรวม {new} รายการ"
                                            if new else "")
        for user in reach(Role.REPORTER, [report.org]):
            users[user.pk] = user
            lines[user.pk].append(line)
    return {users[pk]: found for pk, found in lines.items()}


def digests(today: dt.date) -> int:
    """One message per evaluator, approver and compiler with something waiting or late."""
    parts: dict[int, list[str]] = defaultdict(list)
    people: dict[int, Any] = {}

    def add(user: Any, text: str) -> None:
        people[user.pk] = user
        parts[user.pk].append(text)

    for user, subs in _waiting(Role.EVALUATOR, ("submitted", "resubmitted")).items():
        add(user, f"รายงานที่รอการประเมิน {len(subs)} ฉบับ:\n" + "\n".join(
            f"- {s}" for s in subs[:LIST_AT_MOST]))
    for user, subs in _waiting(Role.APPROVER, ("rated",)).items():
        add(user, f"รายงานที่รอการอนุมัติ {len(subs)} ฉบับ:\n" + "\n".join(
            f"- {s}" for s in subs[:LIST_AT_MOST]))
    for user, lines in _compiling().items():
        add(user, "รายงานการตรวจราชการที่กำลังรวบรวม:\n" + "\n".join(lines[:LIST_AT_MOST]))
    late = _late(today)
    for role in (Role.EVALUATOR, Role.APPROVER):
        for sched, offices in late:
            for user, mine in reach(role, offices).items():
                add(user, f"หน่วยงานที่ยังไม่ส่งรายงาน {_round_name(sched)} "
                          f"(กำหนดส่ง {thai_date(sched.due_on)}) {len(mine)} หน่วยงาน:\n"
                          f"{_listing(mine)}")
    told = 0
    for pk, texts in parts.items():
        body = f"สรุปงานที่รออยู่ ณ วันที่ {thai_date(today)}\n\n" + "\n\n".join(texts)
        told += deliver(people[pk], Kind.DIGEST, f"digest:{today.isoformat()}",
                        f"สรุปงานที่รออยู่ประจำวันที่ {thai_date(today)}", body,
                        reverse("reporting:tasks")) is not None
    return told


def run_daily(today: dt.date) -> DailyResult:
    return DailyResult(opened=round_openings(today), reminders=deadline_reminders(today),
                       digests=digests(today))

