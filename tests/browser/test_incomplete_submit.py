"""Submitting a report with most indicators empty, in Chromium, as a reporter would.

The report has one indicator partly filled and the rest empty. Pressing
ส่งรายงาน does not send it: a page lists, per indicator, what is missing —
naming the required figures still empty — with links to fill them; the
reporter may go back, or confirm, and the evaluator then sees the gaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _setup() -> Any:
    from tests.conftest import make_user
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    make_user("inc-reporter", "reporter", "SPP-52-2")
    make_user("inc-evaluator", "evaluator", "OBEC")
    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPP-52-2"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )


def test_incomplete_submit_lists_what_is_missing(login: Callable[..., Any]) -> None:
    from tidtam.audit.models import AuditEntry
    from tidtam.frameworks.models import DataElement
    from tidtam.reporting.models import Submission

    sub = _setup()
    page = login("inc-reporter", PASSWORD)
    base = page.base_url
    page.goto(f"{base}/submissions/{sub.pk}/")
    assert "ไม่พบข้อผิดพลาด" not in page.locator("main").inner_text()

    # One figure of indicator 2, through the form.
    page.get_by_role("link", name=re.compile("ตัวชี้วัดที่ 2 ")).click()
    found = DataElement.objects.get(node__framework=sub.framework, node__code="2",
                                    code="dropouts_found")
    field = page.locator(f"#el-{found.pk}")
    field.fill("12")
    field.press("Tab")
    field.locator("xpath=ancestor::form[1]").locator(".status .save-ok").wait_for()

    page.get_by_role("link", name="ภาพรวมรายงาน").click()
    summary = page.locator("main").inner_text()
    assert "ไม่พบข้อผิดพลาดในข้อมูลที่กรอกแล้ว" in summary and "แต่ยังกรอกไม่ครบ" in summary
    page.get_by_role("button", name="ส่งรายงาน", exact=True).click()
    page.wait_for_url(re.compile(r".*/submit/$"))
    gaps = page.locator("#gaps > ul > li")
    assert gaps.count() == 13  # every indicator of a สพป., 6a included
    two = gaps.filter(has_text="ตัวชี้วัดที่ 2 ")
    assert "เด็กออกกลางคันที่ได้รับการช่วยเหลือให้กลับเข้าสู่ระบบการศึกษา" in two.inner_text()
    assert "เด็กออกกลางคันทั้งหมดที่ค้นพบ" not in two.inner_text()
    assert "ยังไม่ได้กรอกข้อมูลใดเลย" in gaps.filter(has_text="ตัวชี้วัดที่ 10").inner_text()
    sub.refresh_from_db()
    assert sub.state == "draft"  # nothing sent yet

    # A link leads to the indicator to fill; the reporter comes back and confirms.
    two.get_by_role("link").click()
    assert page.url.endswith(f"/submissions/{sub.pk}/i/2/")
    page.go_back()
    page.get_by_role("button", name="ยืนยันส่งรายงานทั้งที่ยังไม่ครบ").click()
    assert "ส่งแล้ว รอการประเมิน" in page.locator(".state").first.inner_text()
    assert Submission.objects.get(pk=sub.pk).state == "submitted"
    entry = AuditEntry.objects.get(submission=sub, action="workflow")
    assert "ส่งโดยยังกรอกไม่ครบ" in entry.comment

    # The evaluator sees which required figures were left empty.
    evaluator = login("inc-evaluator", PASSWORD)
    evaluator.goto(f"{base}/submissions/{sub.pk}/rate/")
    assert "ยังไม่ได้กรอกข้อมูลที่จำเป็น" in evaluator.locator("#rate-2").inner_text()
