"""The clock moves past a deadline: reminders, a return notice and the digest reach the outbox.

Days are passed explicitly (``tidtam notify daily --today``). The people: a
reporter of สพม.ลำปาง ลำพูน (has not sent the 12-month Quick Policy report), a
reporter of สพป.ลำปาง เขต 1 (has sent it; an evaluator then returns it), an
evaluator and an approver on OBEC (every office), an evaluator on สพป.ลำปาง
เขต 1 only, and a viewer of Regional Education Office 15 (told nothing).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from tests.conftest import make_user
from tidtam.frameworks.models import Framework
from tidtam.jobs.worker import run
from tidtam.notifications.models import Kind, Notification, Preference
from tidtam.orgs.models import OrgUnit
from tidtam.reporting import workflow
from tidtam.reporting.models import RoundSchedule, State, Submission

SPM, SPP = "สพม.ลำปาง ลำพูน", "สพป.ลำปาง เขต 1"
QP = "ตัวชี้วัดนโยบายเร่งด่วน"


def person(username: str, role: str, org: str) -> Any:
    user = make_user(username, role, org)
    user.email, user.first_name, user.last_name = f"{username}@example.test", "สมศรี", username
    user.save()
    return user


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    return {
        "rep_spm": person("rep-spm", "reporter", "SPM-52-51"),
        "rep_spp": person("rep-spp", "reporter", "SPP-52-1"),
        "eva": person("eva-obec", "evaluator", "OBEC"),
        "app": person("app-obec", "approver", "OBEC"),
        "eva_local": person("eva-spp", "evaluator", "SPP-52-1"),
        "viewer": person("reo-viewer", "viewer", "REO15"),
    }


def daily(day: dt.date) -> str:
    out = io.StringIO()
    call_command("notify", "daily", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def to(user: Any, subject_part: str = "") -> list[Any]:
    return [m for m in mail.outbox if m.to == [user.email] and subject_part in m.subject]


def test_reminder_return_notice_and_digest_past_the_deadline(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    sched = RoundSchedule.objects.get(framework=qp, round="12m")
    sched.remind_days = "7,1"
    sched.save()
    sent = Submission.objects.create(org=OrgUnit.objects.get(code="SPP-52-1"), framework=qp,
                                     round="12m", state=State.SUBMITTED)
    waiting = Submission.objects.create(org=OrgUnit.objects.get(code="SPP-52-2"), framework=qp,
                                        round="12m", state=State.SUBMITTED)

    # Seven days before the deadline: the office that owes the report is reminded.
    daily(sched.due_on - dt.timedelta(days=7))
    [reminder] = to(people["rep_spm"], f"ใกล้กำหนดส่งรายงาน {QP}")  # the QP round, not AP's
    assert reminder.subject.startswith("[ติดตาม] ใกล้กำหนดส่งรายงาน")
    assert "อีก 7 วัน" in reminder.subject
    assert "เรียน สมศรี rep-spm" in reminder.body and SPM in reminder.body
    assert "15 ตุลาคม 2566" in reminder.body  # the deadline, in the Buddhist era
    assert "/tasks/" in reminder.body
    assert not to(people["rep_spp"], f"ใกล้กำหนดส่งรายงาน {QP}")  # sent already
    assert not to(people["viewer"]) and not to(people["eva"], "ใกล้กำหนดส่ง")
    # Run twice (or by two timers): nobody is reminded twice.
    count = len(mail.outbox)
    daily(sched.due_on - dt.timedelta(days=7))
    assert len(mail.outbox) == count
    daily(sched.due_on - dt.timedelta(days=5))  # two days on: still the 7-day reminder's key
    assert not [m for m in mail.outbox[count:] if "สรุปงานที่รออยู่" not in m.subject]
    count = len(mail.outbox)

    # The evaluator returns สพป.ลำปาง เขต 1's report: told by a worker after the commit.
    comment = "กรุณาแนบหลักฐานจำนวนนักเรียนที่กลับเข้าเรียนให้ครบทุกโรงเรียน"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(people["eva"], sent, "return", comment)
    assert len(mail.outbox) == count  # not inside the request
    assert run(batch=True) >= 1
    [notice] = to(people["rep_spp"], "ส่งกลับ")
    assert notice.subject == f"[ติดตาม] รายงานถูกส่งกลับให้แก้ไข: {sent}"
    assert comment in notice.body and "ส่งรายงานฉบับแก้ไข" in notice.body
    assert f"/submissions/{sent.pk}/" in notice.body
    assert not to(people["rep_spm"], "ส่งกลับ") and not to(people["eva"], "ส่งกลับ")

    # The day after the deadline: a late notice, and the digest for evaluators and approvers.
    mail.outbox.clear()
    after = sched.due_on + dt.timedelta(days=1)
    assert "สรุปประจำวัน" in daily(after)
    [late] = to(people["rep_spm"], f"เลยกำหนดส่งรายงาน {QP}")
    assert SPM in late.body
    [late_spp] = to(people["rep_spp"], f"เลยกำหนดส่งรายงาน {QP}")
    assert SPP in late_spp.body  # returned, not sent again: owes it still
    [digest] = to(people["eva"], "สรุปงานที่รออยู่")
    assert "รายงานที่รอการประเมิน" in digest.body and str(waiting) in digest.body
    assert "หน่วยงานที่ยังไม่ส่งรายงาน" in digest.body and SPM in digest.body
    assert "ประจำวันที่ 16 ตุลาคม 2566" in digest.subject
    [local] = to(people["eva_local"], "สรุปงานที่รออยู่")
    assert SPP in local.body and SPM not in local.body and str(waiting) not in local.body
    [approver] = to(people["app"], "สรุปงานที่รออยู่")
    assert "รายงานที่รอการประเมิน" not in approver.body and SPM in approver.body
    assert not to(people["viewer"])
    count = len(mail.outbox)
    daily(after)
    assert len(mail.outbox) == count
    # Every message is also in the person's list in the app.
    assert Notification.objects.filter(user=people["eva"], kind=Kind.DIGEST,
                                       key=f"digest:{after.isoformat()}").count() == 1


def test_what_a_person_chose_not_to_receive(people: dict[str, Any]) -> None:
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    sched = RoundSchedule.objects.get(framework=qp, round="12m")
    Preference.objects.create(user=people["rep_spm"], kind=Kind.DEADLINE, email=False,
                              in_app=True)
    Preference.objects.create(user=people["rep_spp"], kind=Kind.DEADLINE, email=False,
                              in_app=False)
    daily(sched.due_on - dt.timedelta(days=1))
    assert not to(people["rep_spm"], "ใกล้กำหนดส่ง") and not to(people["rep_spp"], "ใกล้กำหนดส่ง")
    note = Notification.objects.get(user=people["rep_spm"], key=f"deadline:{sched.pk}:1")
    assert note.shown and "อีก 1 วัน" in note.subject
    assert not Notification.objects.filter(user=people["rep_spp"], kind=Kind.DEADLINE).exists()


def test_a_round_opening_is_announced_once(people: dict[str, Any]) -> None:
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    sched = RoundSchedule.objects.get(framework=qp, round="12m")
    daily(sched.opens_on)
    [opened] = to(people["rep_spm"], f"เปิดรับรายงาน {QP}")
    assert "1 สิงหาคม 2566" in opened.body and SPM in opened.body
    daily(sched.opens_on + dt.timedelta(days=1))
    assert len(to(people["rep_spm"], f"เปิดรับรายงาน {QP}")) == 1
    assert not to(people["eva"], "เปิดรับ")


def test_a_bad_day_is_refused_in_thai(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ไม่ถูกต้อง"):
        call_command("notify", "daily", "--today", "16/10/2566")
