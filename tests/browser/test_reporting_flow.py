"""The whole reporting cycle in Debian's Chromium, as three people would do it.

A reporter of สพป.ลำปาง เขต 2 fills an indicator (figures, a narrative, a best
practice with an image), answers a validation warning and submits; an
evaluator returns it with a comment; the reporter fixes and resubmits; the
evaluator rates both rounds; the approver approves; the result sheet shows
the new ratings and the submission is read-only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
OFFICE = "SPP-52-2"
#: the first block of "how the work was driven" (its id carries the block's number once saved)
DRIVE = "textarea[id^='n-drive'] >> nth=0"


def _png() -> bytes:
    """A valid 1×1 white PNG, built here so its checksums are right."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def _users() -> None:
    from tests.conftest import make_user

    make_user("flow-reporter", "reporter", OFFICE)
    make_user("flow-evaluator", "evaluator", "OBEC")
    make_user("flow-approver", "approver", "OBEC")


def _element_id(key: str) -> int:
    from tidtam.frameworks.models import DataElement

    node, code = key.split(".")
    return DataElement.objects.get(node__framework__code="qp", node__code=node, code=code).pk


def _autosaved(page: Any, selector: str, text: str) -> None:
    """Type into an autosaved field and wait until the server says it is saved."""
    field = page.locator(selector)
    field.fill(text)
    field.press("Tab")  # leaving the field fires "change", as it does for a person
    form = field.locator("xpath=ancestor::form[1]")
    form.locator(".status .save-ok").wait_for()
    page.wait_for_load_state("networkidle")


def test_report_return_resubmit_rate_approve(login: Callable[..., Any], tmp_path: Path) -> None:
    _users()
    reporter = login("flow-reporter", PASSWORD, phone=True)
    base = reporter.base_url

    # The task list says what is owed; start the 12-month Quick Policy report.
    reporter.goto(f"{base}/tasks/")
    row = reporter.locator("tr", has_text="Quick Policy").filter(has_text="รอบ 12 เดือน")
    row.get_by_role("button", name="เริ่มกรอกข้อมูล").click()
    reporter.wait_for_url(re.compile(r".*/submissions/\d+/$"))
    overview = reporter.url

    # Indicator 2: figures that leave one child unaccounted for → a warning.
    reporter.get_by_role("link", name=re.compile("ตัวชี้วัดที่ 2 ")).click()
    _autosaved(reporter, f"#el-{_element_id('2.dropouts_found')}", "๑๐")
    _autosaved(reporter, f"#el-{_element_id('2.dropouts_returned')}", "7")
    _autosaved(reporter, f"#el-{_element_id('2.dropouts_referred')}", "2")
    warning = reporter.locator("#findings .finding.warning")
    warning.wait_for()
    assert "1 คน" in warning.inner_text()
    warning.locator("input[name=reason]").fill("เด็ก 1 คนย้ายตามผู้ปกครองไปต่างประเทศ กำลังประสานติดตาม")
    warning.get_by_role("button", name="บันทึกเหตุผล").click()
    warning.locator(".answer-status .save-ok").wait_for()
    _autosaved(reporter, DRIVE, "ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต และประชุมผู้บริหารทุกเดือน")

    # A best practice with an image.
    reporter.get_by_role("button", name="+ เพิ่มวิธีปฏิบัติที่เป็นเลิศ").click()
    reporter.locator("#practices input[name=unit_name]").first.fill("โรงเรียนบ้านทดสอบ")
    _autosaved(reporter, "#practices input[name=model_name]", "พาน้องกลับบ้านเรียน Model")
    image = tmp_path / "activity.png"
    image.write_bytes(_png())
    reporter.locator("#practices input[name=image]").set_input_files(str(image))
    reporter.locator("#practices input[name=caption]").fill("ภาพกิจกรรมเยี่ยมบ้าน")
    reporter.get_by_role("button", name="แนบภาพ", exact=True).click()
    reporter.locator("#practices img.thumb").wait_for()

    # Submit.
    # Submit: the other indicators are still empty, so the list comes first.
    reporter.goto(overview)
    reporter.get_by_role("button", name="ส่งรายงาน", exact=True).click()
    reporter.get_by_role("button", name="ยืนยันส่งรายงานทั้งที่ยังไม่ครบ").click()
    assert "ส่งแล้ว รอการประเมิน" in reporter.locator(".state").first.inner_text()

    # The evaluator returns it with a comment.
    evaluator = login("flow-evaluator", PASSWORD)
    evaluator.goto(f"{base}/tasks/")
    evaluator.get_by_role("link", name=re.compile("สพป.ลำปาง เขต 2")).click()
    evaluator.locator("textarea[name=comment]").fill("กรุณาระบุจำนวนครูที่ร่วมติดตามในข้อความการขับเคลื่อน")
    evaluator.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    assert "ส่งกลับให้แก้ไข" in evaluator.locator(".state").first.inner_text()

    # The reporter sees the comment, fixes, resubmits.
    reporter.goto(overview)
    assert "กรุณาระบุจำนวนครู" in reporter.content()
    reporter.get_by_role("link", name=re.compile("ตัวชี้วัดที่ 2 ")).click()
    _autosaved(reporter, DRIVE,
               "ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต มีครูร่วมติดตาม 45 คน และประชุมผู้บริหารทุกเดือน")
    reporter.goto(overview)
    reporter.get_by_role("button", name="ส่งรายงานฉบับแก้ไข").click()
    reporter.get_by_role("button", name="ยืนยันส่งรายงานฉบับแก้ไขทั้งที่ยังไม่ครบ").click()
    assert "ส่งฉบับแก้ไขแล้ว" in reporter.locator(".state").first.inner_text()

    # The evaluator rates both rounds beside the office's text, then confirms.
    evaluator.goto(f"{base}/tasks/")
    evaluator.get_by_role("link", name=re.compile("สพป.ลำปาง เขต 2")).click()
    assert "มีครูร่วมติดตาม 45 คน" in evaluator.content()
    selects = evaluator.locator("select[name^=level-]")
    assert selects.count() == 26  # 13 indicators (6a applies to a สพป.) × 2 rounds
    for i in range(selects.count()):
        name = selects.nth(i).get_attribute("name") or ""
        selects.nth(i).select_option("3" if name.endswith("-6m") else "4")
    evaluator.get_by_role("button", name="บันทึกระดับคุณภาพ").click()
    assert "บันทึกระดับคุณภาพแล้ว 26 รายการ" in evaluator.content()
    evaluator.get_by_role("button", name="ยืนยันผลการประเมิน").click()
    assert "ประเมินแล้ว รออนุมัติ" in evaluator.content()

    # The approver approves.
    approver = login("flow-approver", PASSWORD)
    approver.goto(f"{base}/tasks/")
    approver.get_by_role("link", name=re.compile("สพป.ลำปาง เขต 2")).click()
    approver.get_by_role("button", name="อนุมัติผลการประเมิน").click()
    assert "อนุมัติแล้ว" in approver.locator(".state").first.inner_text()

    # The result sheet shows the new ratings: every indicator 3 then 4 → 3.50 ดีมาก.
    approver.goto(f"{base}/sheets/2566/{OFFICE}/")
    qp = approver.locator("#fw-qp")
    assert qp.locator("tr.overall").inner_text().split()[-4:] == ["13", "ตัวชี้วัด", "3.50", "ดีมาก"]

    # And the submission is now read-only for the reporter.
    reporter.goto(overview)
    assert reporter.get_by_role("button", name="ส่งรายงาน").count() == 0
    reporter.get_by_role("link", name=re.compile("ตัวชี้วัดที่ 2 ")).click()
    assert "แสดงแบบอ่านอย่างเดียว" in reporter.content()
    assert reporter.locator(DRIVE).get_attribute("readonly") is not None
