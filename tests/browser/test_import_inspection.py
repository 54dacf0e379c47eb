"""The ศธจ.สมุทรสงคราม's compiler brings seed 001 in through the web, in Debian's Chromium.

Upload → review the tree read beside the repaired text (the empty 1.3.3 is
linked to its line) → accept → the province's inspection report holds the
document's paragraphs and problem table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.ingest.seeds import seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SEED_001 = "001_03cc5f09cf5517c8.txt"


def test_upload_review_accept_and_read_the_compiled_report(
    login: Callable[..., Any], settings: Any
) -> None:
    # Read in the request here (the live server has no worker); the background
    # path is tested in tests/ingest/test_tasks.py.
    settings.TIDTAM_IMPORT_INLINE_BYTES = 10**7
    from tests.conftest import make_user
    from tidtam.frameworks.loader import load_all
    from tidtam.inspection.models import InspectionReport
    from tidtam.narratives.models import Block

    path = seed_path(SEED_001)
    load_all()
    make_user("peo75-compiler", "reporter", "PEO75")

    page = login("peo75-compiler", PASSWORD)
    base = page.base_url
    page.goto(f"{base}/imports/")
    page.select_option("select[name=kind]", "inspection")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]", no_wait_after=True)
    page.wait_for_url("**/imports/*/", timeout=120000)

    assert page.locator("#count-policies").inner_text() == "6"
    assert page.locator("#count-issues").inner_text() == "24"
    assert page.locator("#count-rows").inner_text() == "59"
    # An empty sub-section links to its line in the repaired source.
    page.click("#notes a[href='#L318']")
    assert page.locator("#L318").inner_text().startswith("1.3.3 ปัญหาและอุปสรรค")
    assert page.locator(".insp table.rows tbody tr").count() == 59

    page.click("text=รับเข้า (สร้างรายงานการตรวจราชการของสำนักงานนี้)", no_wait_after=True)
    page.wait_for_selector(".msg-success", timeout=60000)
    assert "รับเข้าแล้ว" in page.locator(".msg-success").inner_text()
    # Linked issues' sub-sections are the units' blocks, the other lines the report's.
    placed = InspectionReport.objects.get(org__code="PEO75").placements.count()
    assert placed > 400 and placed + Block.objects.filter(source_kind="imported").count() > 600

    page.click("text=ดูรายงานการตรวจราชการที่รับเข้าแล้ว")
    page.wait_for_url("**/inspection/report/PEO75/")
    page.goto(f"{base}/inspection/report/PEO75/view/")
    body = page.locator("main").inner_text()
    assert "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาสมุทรสาคร สมุทรสงคราม มีการเฝ้าระวัง" in body
    assert "ความไม่เพียงพอของบุคลากรด้านความปลอดภัย" in body
    assert "2.9 การขับเคลื่อนโครงการโรงเรียนคุณภาพ" in body
    page.context.close()
