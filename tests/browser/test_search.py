"""Searching the demo's texts in Debian's Chromium, on a phone.

The demo's recommendations to สพม.ลำปาง ลำพูน are seed 004's (L347–458), whose
first one speaks of "ภัยไซเบอร์"; the made-up recommendation to สพป.ลำปาง เขต 1
on indicator 6a speaks of learning "ผ่านการเล่น". The office's reporter finds
the first, highlighted, and never the second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_types_a_word_and_sees_the_hit_highlighted(
    browser: Any, login: Callable[..., Any]
) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD

    page = login("spm5251", DEMO_PASSWORD, phone=True)
    page.goto(f"{browser.base_url}/search/")
    page.fill("#search-q", "ภัยไซเบอร์")
    page.press("#search-q", "Enter")
    page.wait_for_selector(".search-count")
    assert page.inner_text(".search-count") == "พบ 1 รายการ"
    result = page.locator(".search-result")
    assert result.count() == 1
    assert "สพม.ลำปาง ลำพูน" in result.inner_text()
    assert "ข้อเสนอแนะของผู้ประเมิน" in result.inner_text()
    marks = result.locator("mark")
    assert marks.count() >= 1 and {marks.nth(i).inner_text() for i in range(marks.count())} \
        == {"ภัยไซเบอร์"}
    # readable on a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the result opens the office's result sheet, where the recommendation is printed
    result.locator("a").first.click()
    page.wait_for_url(f"{browser.base_url}/sheets/2566/SPM-52-51/")
    assert "ภัยไซเบอร์" in page.inner_text("main")

    # another office's recommendation is never shown, counted or quoted
    page.goto(f"{browser.base_url}/search/?q=ผ่านการเล่น")
    assert "ไม่พบ" in page.inner_text(".search-count")
    assert page.locator(".search-result").count() == 0
    assert "ปฐมวัย" not in page.inner_text("main")
