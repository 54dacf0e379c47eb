"""An office's planning officer brings seed 003 in through the web, in Debian's Chromium.

The demo has the office's FY2565 plan from the hand-made fixture; the officer
is migrating, so it is removed first. Upload → review beside the repaired
text → accept → the plan's page shows what the report held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.ingest.seeds import seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SEED_003 = "003_aa69ecb6a0438ce4.txt"


def test_upload_review_and_accept_an_annual_report(
    login: Callable[..., Any], settings: Any
) -> None:
    # Read in the request here (the live server has no worker); the background
    # path is tested in tests/ingest/test_tasks.py.
    settings.TIDTAM_IMPORT_INLINE_BYTES = 10**7
    from tests.conftest import make_user
    from tidtam.plans.models import Plan

    path = seed_path(SEED_003)
    Plan.objects.filter(office__code="SPM-65-53", fiscal_year=2565).delete()
    make_user("planner-65", "reporter", "SPM-65-53")

    page = login("planner-65", PASSWORD)
    base = page.base_url
    page.goto(f"{base}/imports/")
    page.select_option("select[name=kind]", "annual-report")
    page.set_input_files("input[name=file]", str(path))
    # Repairing and reading 3,700 lines takes a while: the page says so, the test waits.
    page.click("form[enctype] button[type=submit]", no_wait_after=True)
    page.wait_for_url("**/imports/*/", timeout=120000)

    assert "บรรลุ 48 จาก 51" in page.locator("#indicators").inner_text()
    assert page.locator("#projects tbody tr").count() == 14
    assert "734,115.44" in page.locator("#budget-total").inner_text()
    # A contradiction links to its line in the repaired source, which is marked.
    page.click("#discrepancies a[href='#L1933']")
    line = page.locator("#L1933")
    assert "๓๔๘,๔๔๕" in line.inner_text()
    assert "marked" in (line.get_attribute("class") or "")

    page.click("text=รับเข้า (บันทึกเป็นแผนปฏิบัติการของหน่วยงาน)", no_wait_after=True)
    page.wait_for_selector(".msg-success", timeout=60000)
    assert "14 โครงการ" in page.locator(".msg-success").inner_text()

    plan = Plan.objects.get(office__code="SPM-65-53", fiscal_year=2565)
    page.goto(f"{base}/plans/{plan.pk}/")
    assert "บรรลุค่าเป้าหมาย 48 จาก 51" in page.locator("#achievement").inner_text()
    assert page.locator("table tbody tr").count() == 14
    page.context.close()
