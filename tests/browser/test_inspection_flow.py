"""The inspection report in Debian's Chromium, as four people would make it.

Two units of สมุทรสงคราม (a private school and a vocational college) send the
same success factor for issue 2.1; the ศธจ.'s compiler gathers, merges the
duplicate (one paragraph naming both units), moves a paragraph up and sends
the province's report; the ศธภ.5's compiler gathers the sent province and
reads the regional report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SHARED = "ผู้บริหารและครูร่วมกันเฝ้าระวังความปลอดภัยทุกวัน"


def _setup() -> None:
    from tests.conftest import make_user
    from tests.inspection.helpers import add_units, answer_everything
    from tidtam.frameworks.loader import load_all
    from tidtam.inspection.models import InspectionFramework

    load_all()
    add_units()
    fw = InspectionFramework.objects.get(fiscal_year=2566)
    # The rest of the province has answered already; the two units below add theirs.
    others = {code: make_user(f"pre-{code.lower()}", "reporter", code)
              for code in ("SPP-75", "DOLE-75")}
    answer_everything(fw, others)
    make_user("rt-school", "reporter", "PS-75")
    make_user("rt-college", "reporter", "VC-75")
    make_user("rt-peo", "reporter", "PEO75")
    make_user("rt-reo", "reporter", "REO5")


def _contribute(login: Callable[..., Any], username: str, unit: str) -> None:
    page = login(username, PASSWORD)
    base = page.base_url
    page.goto(f"{base}/inspection/")
    page.click(f"a[href='/inspection/unit/{unit}/']")
    page.click(f"a[href='/inspection/unit/{unit}/issue/2.1/']")
    section = page.locator("#section-factors")
    section.locator("details.add > summary").click()
    section.locator("details.add textarea[name=text]").fill(SHARED)
    section.locator("details.add button[name=final][value='1']").click()
    page.wait_for_url("**/issue/2.1/**")
    assert page.locator("#section-factors .entry-text", has_text=SHARED).count() == 1
    page.context.close()


def test_contribute_merge_reorder_send_and_compile_region(login: Callable[..., Any]) -> None:
    _setup()
    _contribute(login, "rt-school", "PS-75")
    _contribute(login, "rt-college", "VC-75")

    peo = login("rt-peo", PASSWORD)
    base = peo.base_url
    peo.goto(f"{base}/inspection/report/PEO75/")
    peo.click("text=รวบรวมข้อมูลจากหน่วยงานในจังหวัด")
    peo.wait_for_selector(".msg-success")
    peo.goto(f"{base}/inspection/report/PEO75/?issue=2.1")
    ours = peo.locator(".line", has_text=SHARED)
    assert ours.count() == 2
    college_line = peo.locator(".line[data-unit='VC-75']", has_text=SHARED)
    college_line.locator("button", has_text="รวมกับย่อหน้าที่ซ้ำของ").click()
    peo.wait_for_selector(".msg-success")
    merged = peo.locator(".line[data-unit='PS-75']", has_text=SHARED)
    assert "วิทยาลัยสารพัดช่างสมุทรสงคราม" in merged.inner_text()
    assert peo.locator(".line.duplicate[data-unit='VC-75']").count() == 1

    # Move the school's paragraph to the top of the success factors.
    factors = peo.locator(".card", has=peo.locator("h3", has_text="2.1.2")).locator(".line")
    before = factors.first.get_attribute("id")
    for _ in range(factors.count()):
        line = peo.locator(".line[data-unit='PS-75']", has_text=SHARED)
        if factors.first.get_attribute("id") == line.get_attribute("id"):
            break
        line.locator("button[value=up]").click()
        peo.wait_for_load_state("load")
    assert factors.first.get_attribute("data-unit") == "PS-75"
    assert factors.first.get_attribute("id") != before

    peo.click("text=ตรวจความครบถ้วนและส่งรายงาน")
    peo.locator(".state", has_text="ส่งแล้ว").wait_for()

    reo = login("rt-reo", PASSWORD)
    reo.goto(f"{base}/inspection/report/REO5/")
    reo.click("text=รวบรวมข้อมูลจากรายงานของจังหวัด")
    reo.wait_for_selector(".msg-success")
    reo.click("text=ดูรายงาน")
    body = reo.locator(".rt-report")
    body.wait_for()
    assert body.locator("h2").count() == 6
    assert body.locator("h3").count() == 27
    text = body.inner_text()
    assert f"โรงเรียนเทพสุวรรณชาฎวิทยา และ วิทยาลัยสารพัดช่างสมุทรสงคราม {SHARED}" in text
    assert text.count(SHARED) == 1
    with reo.expect_download() as dl:
        reo.click("a:text-is('DOCX')")
    assert dl.value.suggested_filename == "inspection-REO5-2566-r2.docx"
