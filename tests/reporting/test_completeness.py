"""Submitting an incomplete report: what is missing is named per indicator, and confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tidtam.audit.models import AuditEntry
from tidtam.frameworks.models import DataElement
from tidtam.reporting import editing, workflow
from tidtam.reporting.completeness import gaps, indicator_states
from tidtam.reporting.errors import Incomplete
from tidtam.reporting.models import State

pytestmark = pytest.mark.django_db


def _value(reporter: Any, sub: Any, node: str, code: str, text: str) -> None:
    el = DataElement.objects.get(node__framework=sub.framework, node__code=node, code=code)
    editing.save_value(reporter, editing.report_for(sub, el.node), el, text, 0)


def test_an_empty_report_lists_every_indicator(submission: Any) -> None:
    states = indicator_states(submission)
    assert states and all(not s.entered for s in states)
    assert [s.node.code for s in gaps(submission)] == [s.node.code for s in states]
    assert "ยังไม่ได้กรอกข้อมูลใดเลย" in states[0].describe()
    codes = {s.node.code for s in states}
    assert "6a" not in codes and "6b" in codes  # 6a is for a สพป. only; this is a สพม.


def test_required_figures_left_empty_are_named(submission: Any, reporter: Any) -> None:
    _value(reporter, submission, "2", "dropouts_found", "10")
    two = next(s for s in indicator_states(submission) if s.node.code == "2")
    assert two.entered and not two.complete and two.values == 1 and two.elements == 3
    line = two.describe()
    assert "ข้อมูลที่จำเป็น 2 รายการ" in line
    assert "เด็กออกกลางคันที่ได้รับการช่วยเหลือ" in line and "ค้นพบ" not in line


def test_a_text_alone_makes_an_indicator_entered_but_not_complete(
    submission: Any, reporter: Any,
) -> None:
    report = editing.report_for(submission, submission.framework.nodes.get(code="1"))
    editing.save_narrative(reporter, report, "drive", "ข้อความ", 0)
    one = next(s for s in indicator_states(submission) if s.node.code == "1")
    assert one.entered and one.texts == 1 and len(one.missing) == 3


def test_filling_every_required_figure_completes_the_indicator(
    submission: Any, reporter: Any,
) -> None:
    for code, text in [("learners_total", "100"), ("learners_all_threats", "90"),
                       ("learners_cyber", "80")]:
        _value(reporter, submission, "1", code, text)
    one = next(s for s in indicator_states(submission) if s.node.code == "1")
    assert one.complete and one.describe() == ""
    assert "1" not in {g.node.code for g in gaps(submission)}


def test_submit_refuses_until_confirmed_and_audits_the_gaps(
    submission: Any, reporter: Any,
) -> None:
    with pytest.raises(Incomplete) as refused:
        workflow.apply(reporter, submission, "submit")
    assert len(refused.value.problems) == len(gaps(submission))
    submission.refresh_from_db()
    assert submission.state == State.DRAFT
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    assert sub.state == State.SUBMITTED
    entry = AuditEntry.objects.get(submission=sub, action="workflow")
    assert "ส่งโดยยังกรอกไม่ครบ" in entry.comment and "ตัวชี้วัดที่ 10" in entry.comment


def test_overview_never_says_no_errors_for_an_empty_report(
    client: Client, submission: Any, reporter: Any,
) -> None:
    client.force_login(reporter)
    body = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert "ไม่พบข้อผิดพลาด" not in body
    assert "ยังไม่มีข้อมูลให้ตรวจสอบ" in body
    _value(reporter, submission, "2", "dropouts_found", "10")
    body = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert "ไม่พบข้อผิดพลาดในข้อมูลที่กรอกแล้ว" in body and "แต่ยังกรอกไม่ครบ" in body


def test_submit_button_leads_to_the_list_then_confirming_sends(
    client: Client, submission: Any, reporter: Any,
) -> None:
    client.force_login(reporter)
    url = f"/submissions/{submission.pk}/action/"
    first = client.post(url, {"action": "submit", "version": submission.version})
    assert first.status_code == 302
    assert first["Location"] == f"/submissions/{submission.pk}/submit/"
    page = client.get(first["Location"]).content.decode()
    assert "ตัวชี้วัดที่ 10" in page and "ยังไม่ได้กรอกข้อมูลใดเลย" in page
    assert "ยืนยันส่งรายงานทั้งที่ยังไม่ครบ" in page
    submission.refresh_from_db()
    assert submission.state == State.DRAFT
    client.post(url, {"action": "submit", "version": submission.version,
                      "confirm_incomplete": "1"})
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED
    # Once sent there is nothing left to confirm.
    assert client.get(f"/submissions/{submission.pk}/submit/").status_code == 404


def test_the_api_refuses_an_incomplete_submit_unless_confirmed(
    client: Client, submission: Any, reporter: Any,
) -> None:
    client.force_login(reporter)
    url = f"/api/submissions/{submission.pk}/actions/submit"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 409
    assert any("ยังไม่ได้กรอกข้อมูลใดเลย" in p for p in refused.json()["problems"])
    ok = client.post(url, {"confirm_incomplete": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "submitted"
