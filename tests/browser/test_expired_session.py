"""The session runs out mid-edit, as the app itself advises handling it, in Chromium.

The reporter is typing; the session has ended on the server. The save says so
in Thai and keeps the text; the reporter signs in again in a new tab, comes
back and presses บันทึก — and the text is saved, with no English "CSRF
verification failed" anywhere on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
TEXT = "ประชุมผู้บริหารสถานศึกษาทุกเดือน และติดตามเด็กออกกลางคันรายบุคคล"


def _submission() -> Any:
    from tests.conftest import make_user
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    make_user("sess-reporter", "reporter", "SPP-52-2")
    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPP-52-2"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )


def _saved_text(sub: Any) -> str | None:
    from tidtam.narratives.models import Block

    b = Block.objects.filter(org=sub.org, kind__code="drive", deleted_at__isnull=True).first()
    return b.text if b else None


def _end_session() -> None:
    """What the server does when a session times out: it no longer knows it."""
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


def _sign_in_in_new_tab(page: Any) -> None:
    # The link in the message, as the reporter would follow it.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="เข้าสู่ระบบในแท็บใหม่").click()
    tab = opened.value
    tab.wait_for_load_state()
    tab.fill("input[name=username]", "sess-reporter")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("main button[type=submit]")
    tab.get_by_text("เข้าสู่ระบบแล้ว").first.wait_for()
    tab.close()


def test_sign_in_elsewhere_then_press_save(login: Callable[..., Any]) -> None:
    sub = _submission()
    page = login("sess-reporter", PASSWORD)
    page.goto(f"{page.base_url}/submissions/{sub.pk}/i/2/")

    _end_session()
    field = page.locator("textarea[id^='n-drive'] >> nth=0")
    field.fill(TEXT)
    field.press("Tab")
    form = field.locator("xpath=ancestor::form[1]")
    expired = form.locator(".status .save-error")
    expired.wait_for()
    assert "หมดเวลาการเข้าสู่ระบบ" in expired.inner_text()
    assert _saved_text(sub) is None
    assert field.input_value() == TEXT  # the text is still in the field

    _sign_in_in_new_tab(page)
    page.bring_to_front()
    form.get_by_role("button", name="บันทึก").click()
    form.locator(".status .save-ok").wait_for()
    assert _saved_text(sub) == TEXT
    shown = page.locator("body").inner_text()
    assert "CSRF" not in shown and "Forbidden" not in shown
    # Saved on the server, so the browser's spare copy is gone.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':text:'))") == []


def test_a_stale_token_is_renewed_and_the_save_sent_again(login: Callable[..., Any]) -> None:
    """Whatever the tabs did, a save refused only for its token goes through."""
    sub = _submission()
    page = login("sess-reporter", PASSWORD)
    page.goto(f"{page.base_url}/submissions/{sub.pk}/i/2/")
    # A page opened before the last sign-in: its token no longer matches.
    page.evaluate("""() => {
        const stale = 'x'.repeat(64);
        document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': stale}));
        document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(i => i.value = stale);
    }""")
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if "/narrative/" in r.url else None)
    field = page.locator("textarea[id^='n-drive'] >> nth=0")
    field.fill(TEXT)
    form = field.locator("xpath=ancestor::form[1]")
    form.get_by_role("button", name="บันทึก").click()
    form.locator(".status .save-ok").wait_for()
    assert _saved_text(sub) == TEXT
    # Leaving the field and pressing the button sent it twice with the old
    # token; both refused, the token renewed, and the text sent once more.
    assert answers.count(403) >= 1 and answers[-1] == 200 and answers.count(200) == 1


def test_a_whole_page_form_with_a_stale_token_explains_in_thai(
    login: Callable[..., Any],
) -> None:
    sub = _submission()
    page = login("sess-reporter", PASSWORD)
    page.goto(f"{page.base_url}/submissions/{sub.pk}/")
    page.evaluate("""() => document.querySelectorAll('input[name=csrfmiddlewaretoken]')
        .forEach(i => i.value = 'x'.repeat(64))""")
    page.get_by_role("button", name="ส่งรายงาน", exact=True).click()
    shown = page.locator("body").inner_text()
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in shown and "CSRF" not in shown
    page.get_by_role("link", name="‹ กลับไปหน้าก่อนหน้า").click()
    assert page.url.endswith(f"/submissions/{sub.pk}/")
