"""Approved, reopened, returned: the office's reporters are told (a reopening, evaluators too)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.notifications.test_daily import person
from tidtam.jobs.worker import run
from tidtam.notifications.models import Kind, Notification
from tidtam.notifications.tasks import notify_transition
from tidtam.reporting import workflow
from tidtam.reporting.models import State

DEMO = "@example.invalid"  # the demo accounts' addresses (tidtam/demo/fixtures/users.yaml)


def test_each_transition_tells_the_right_people_once(
    submission: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rep = person("rep-spm", "reporter", "SPM-52-51")
    other = person("rep-other", "reporter", "SPP-52-1")
    eva = person("eva-obec", "evaluator", "OBEC")
    app = person("app-obec", "approver", "OBEC")
    type(submission).objects.filter(pk=submission.pk).update(state=State.RATED)
    submission.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(app, submission, "approve")
    run(batch=True)
    [approved] = [m for m in mail.outbox if m.to == [rep.email]]
    assert "อนุมัติแล้ว" in approved.subject and "สมศรี app-obec" in approved.body
    assert not [m for m in mail.outbox if m.to in ([other.email], [app.email], [eva.email])]
    assert {m.to[0] for m in mail.outbox if m.to[0].endswith(DEMO)} <= {
        u.email for u in type(rep).objects.filter(role_assignments__org__code="SPM-52-51",
                                                  role_assignments__role="reporter")}

    mail.outbox.clear()
    submission.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(app, submission, "reopen", "ตัวเลขผู้เรียนคลาดเคลื่อน ต้องแก้ก่อนเผยแพร่")
    row = DBTaskResult.objects.get(task_path=notify_transition.module_path,
                                   args_kwargs__kwargs__transition="reopen")
    run(batch=True)
    # The demo's own reporter and evaluator of the office are told as well (DEMO).
    told = sorted(m.to[0] for m in mail.outbox if not m.to[0].endswith(DEMO))
    assert told == sorted([rep.email, eva.email])
    assert all("ตัวเลขผู้เรียนคลาดเคลื่อน" in m.body for m in mail.outbox)
    sent = len(mail.outbox)
    # The task run again (a worker died after sending): nobody is told twice.
    notify_transition.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(kind=Kind.REOPENED, user__in=[rep, eva]).count() == 2
    assert Notification.objects.filter(kind=Kind.REOPENED, user__username="spm5251").exists()

    mail.outbox.clear()
    submission.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(eva, submission, "return", "แก้ตัวเลขแล้วส่งใหม่")
    run(batch=True)
    assert [m.to for m in mail.outbox if not m.to[0].endswith(DEMO)] == [[rep.email]]


def test_a_rolled_back_transition_queues_nothing(submission: Any) -> None:
    import pytest
    from django.db import transaction

    app = person("app-obec", "approver", "OBEC")
    type(submission).objects.filter(pk=submission.pk).update(state=State.RATED)
    submission.refresh_from_db()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.apply(app, submission, "approve")
        raise RuntimeError
    assert not DBTaskResult.objects.filter(task_path=notify_transition.module_path).exists()
