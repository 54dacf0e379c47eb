"""Deadlines per round are kept in the admin: a due date moves without a deploy, audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tidtam.audit.models import AuditEntry
from tidtam.frameworks.models import Framework
from tidtam.reporting.models import RoundSchedule

pytestmark = pytest.mark.django_db


def _admin() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("adm", password="x-long-pw-1"))
    return client


def _form(framework: Framework, round_code: str, opens: str, due: str) -> dict[str, str]:
    return {"framework": str(framework.pk), "round": round_code, "opens_on": opens,
            "due_on": due, "remind_days": "7,1"}


def test_a_schedule_is_added_in_the_admin_and_audited() -> None:
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    RoundSchedule.objects.filter(framework=qp).delete()
    page = _admin().post("/admin/reporting/roundschedule/add/",
                         _form(qp, "12m", "2023-09-01", "2023-10-15"))
    assert page.status_code == 302
    schedule = RoundSchedule.objects.get(framework=qp, round="12m")
    assert str(schedule.due_on) == "2023-10-15"
    assert AuditEntry.objects.about(schedule).exists()


def test_a_round_the_framework_has_not_and_a_deadline_before_opening_are_refused() -> None:
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    page = _admin().post("/admin/reporting/roundschedule/add/",
                         _form(qp, "9m", "2023-09-01", "2023-08-15")).content.decode()
    assert "กรอบนี้ไม่มีรอบ &#x27;9m&#x27;" in page or "กรอบนี้ไม่มีรอบ '9m'" in page
    assert "6m (" in page and "12m (" in page
    assert "กำหนดส่งต้องไม่ก่อนวันเปิดรับรายงาน" in page
    assert not RoundSchedule.objects.filter(round="9m").exists()


def test_a_second_schedule_of_one_round_is_refused_in_thai() -> None:
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    RoundSchedule.objects.get_or_create(framework=qp, round="12m", defaults={
        "opens_on": "2023-09-01", "due_on": "2023-10-15"})
    page = _admin().post("/admin/reporting/roundschedule/add/",
                         _form(qp, "12m", "2023-09-01", "2023-10-20")).content.decode()
    assert "กรอบการประเมินนี้มีกำหนดการของรอบนี้อยู่แล้ว" in page
    assert RoundSchedule.objects.filter(framework=qp, round="12m").count() == 1
