"""A reporter on a phone (390×844): the menu folds away, nothing is cut off, nothing
scrolls sideways; and printing leaves the menu and buttons out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
WIDTH, HEIGHT = 390, 844


def _setup() -> Any:
    from tests.conftest import make_user
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    make_user("phone-reporter", "reporter", "SPM-52-51")
    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPM-52-51"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def test_phone_menu_folds_and_task_buttons_are_whole(login: Callable[..., Any]) -> None:
    sub = _setup()
    page = login("phone-reporter", PASSWORD, phone=True)
    base = page.base_url
    page.goto(f"{base}/tasks/")
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 0.1 * HEIGHT  # was 40% of the first screen
    menu_link = page.locator("header.top nav").get_by_role("link", name="แดชบอร์ด")
    assert not menu_link.is_visible()
    page.get_by_text("เมนู", exact=True).click()
    assert menu_link.is_visible()
    page.get_by_text("เมนู", exact=True).click()
    assert not menu_link.is_visible()

    buttons = page.locator(".row-action .button, .row-action button")
    assert buttons.count() >= 4
    for i in range(buttons.count()):
        b = buttons.nth(i)
        box = b.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
        # The label fits its button: "เปิด", not "เปิ".
        assert b.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert b.inner_text().strip() in {"เปิด", "เริ่มกรอกข้อมูล"}
    _no_sideways_scroll(page)
    for path in [f"/submissions/{sub.pk}/", f"/submissions/{sub.pk}/i/2/",
                 f"/submissions/{sub.pk}/submit/", "/no/such/page/"]:
        page.goto(f"{base}{path}")
        _no_sideways_scroll(page)
        assert page.locator("header.top").bounding_box()["height"] <= 0.1 * HEIGHT


def test_print_leaves_out_the_menu_and_the_buttons(login: Callable[..., Any]) -> None:
    sub = _setup()
    page = login("phone-reporter", PASSWORD)
    page.goto(f"{page.base_url}/submissions/{sub.pk}/")
    assert page.locator("header.top").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.get_by_role("button", name="ส่งรายงาน", exact=True).is_visible()
    assert page.get_by_text("ตัวชี้วัดที่ 10").first.is_visible()  # the content stays
