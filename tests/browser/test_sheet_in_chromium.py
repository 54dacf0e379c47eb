"""In Debian's Chromium: sign in, find the office, open its result sheet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import seed004
from tests.browser.conftest import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = browser.base_url
    yield pg
    context.close()


def test_sign_in_and_read_the_sheet_on_a_phone(page: Any) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD, DEMO_USER

    base = page.base_url
    page.goto(f"{base}/sheets/2566/{seed004.ORG}/")
    assert "/login/" in page.url
    page.fill("input[name=username]", DEMO_USER)
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".error").inner_text() == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองอีกครั้ง"
    page.fill("input[name=username]", DEMO_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    pass_second_factor(page, DEMO_USER)  # the demo login is an administrator
    page.wait_for_url(f"**/sheets/2566/{seed004.ORG}/")
    qp = page.locator("#fw-qp")
    assert seed004.OFFICE_NAME in qp.inner_text()
    overall = qp.locator("tr.overall").inner_text().split()
    assert overall[-2:] == ["3.83", "ดีมาก"]
    assert page.locator("#fw-esa .flag").count() == 1  # standard 3: computed 4, given 5
    with page.expect_download() as download:
        page.click("text=PDF")
    assert download.value.suggested_filename == f"esa-sheet-{seed004.ORG}-2566.pdf"


def test_browse_from_the_org_list(page: Any) -> None:
    from tests.conftest import make_user

    make_user("viewer", "viewer", seed004.ORG)  # a sheet is for the office and those above it
    base = page.base_url
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.goto(f"{base}/orgs/")
    page.fill("input[name=q]", "ลำปาง ลำพูน")
    page.click("form.inline button")
    page.click(f"text={seed004.OFFICE_NAME}")
    page.click("text=ผลการติดตาม ประเมินผล ปีงบประมาณ พ.ศ. 2566")
    assert "คะแนนรวมของภาพรวม (3 มาตรฐาน)" in page.content()
