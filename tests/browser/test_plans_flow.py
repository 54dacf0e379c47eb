"""Quarterly progress of an action plan in Debian's Chromium.

The owner of project 9 of สพม.พิษณุโลก อุตรดิตถ์ (budget 43,135.20 บาท, seed
003 L2522) records the first quarter; the planning group's dashboard shows
the money spent and the indicator now at risk; the approver accepts; the
annual report, regenerated, carries the spending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
OFFICE = "SPM-65-53"


def _setup() -> tuple[int, int, int]:
    from tests.conftest import make_user
    from tidtam.plans.loader import FIXTURES, load_plan_file

    plan = load_plan_file(FIXTURES / "spm-65-53-fy2565.yaml").plan
    make_user("plan-owner", "reporter", OFFICE)
    make_user("plan-group", "approver", OFFICE)
    project = plan.projects.get(number=9)
    # plan indicators achieved, target ร้อยละ 90; 95.52 at year end (003 L3191)
    indicator = project.indicators.get(source="003 L3191")
    return plan.pk, project.pk, indicator.pk


def test_owner_records_a_quarter_group_sees_it_report_regenerates(
    browser: Any, login: Callable[..., Any]
) -> None:
    plan_id, project_id, indicator_id = _setup()
    base = browser.base_url

    group = login("plan-group", PASSWORD)
    group.goto(f"{base}/plans/{plan_id}/dashboard/")
    assert group.inner_text("#spending tr[data-quarter='1'] .spent") == "0.00"
    # year-end results: 48 of 51 reach their target (the 3 misses of 003)
    assert group.inner_text("#indicator-summary").startswith("ตามเป้าหมาย 48 · มีความเสี่ยง 3")

    owner = login("plan-owner", PASSWORD)
    owner.goto(f"{base}/plans/project/{project_id}/")
    owner.fill("#act1", "ประชุมคณะทำงานจัดทำแผนและติดตามผล")
    owner.fill("#spent1", "๑๒,๕๐๐.๕๐")  # Thai digits, as officers type them
    owner.fill(f"#ind1-{indicator_id}", "25")
    owner.fill("#prob1", "ได้รับจัดสรรงบประมาณล่าช้า")
    owner.click("text=บันทึกไตรมาส 1")
    assert "บันทึกความก้าวหน้าไตรมาส 1 แล้ว" in owner.inner_text(".messages")
    owner.click("text=ส่งรายงานไตรมาส 1")
    assert "ส่งแล้ว" in owner.inner_text("#q1")

    group.reload()
    assert group.inner_text("#spending tr[data-quarter='1'] .spent") == "12,500.50"
    # 25 so far against 90: the indicator is now at risk
    assert group.inner_text("#indicator-summary").startswith("ตามเป้าหมาย 47 · มีความเสี่ยง 4")
    assert "รายงานไตรมาส 1" in group.inner_text("#at-risk")

    group.goto(f"{base}/plans/project/{project_id}/")
    group.click("#q1 >> text=รับรอง")
    assert "รับรองแล้ว" in group.inner_text("#q1")

    group.goto(f"{base}/plans/{plan_id}/report/")
    assert "ใช้งบประมาณตามรายงานรายไตรมาส 12,500.50 บาท" in group.inner_text("main")
    with group.expect_download() as info:
        group.click("text=ดาวน์โหลด DOCX")
    assert info.value.suggested_filename == f"annual-report-{OFFICE}-2565.docx"
