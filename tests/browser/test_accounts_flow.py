"""Accounts in Debian's Chromium: an office administrator adds a colleague, the
colleague sets a password from the e-mailed link and signs in; an approver signs
in with a TOTP code; ten wrong passwords lock an account with a Thai page.

E-mails are read from Django's test outbox (the locmem backend); TOTP codes are
computed from the device's key, as the phone app would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _new_page(browser: Any) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    return page


def test_office_admin_adds_a_colleague_who_sets_a_password_and_signs_in(
        login: Callable[..., Any], browser: Any, mailoutbox: list[Any]) -> None:
    from tests.conftest import make_user
    from tidtam.accounts.models import RoleAssignment

    admin_user = make_user("it-spm", "office_admin", "SPM-52-51")
    admin_user.first_name, admin_user.last_name = "ธนพล", "บุญมา"
    admin_user.save()
    admin = login("it-spm", PASSWORD)  # enrols the authenticator app: the role requires it
    base = browser.base_url

    admin.click("header >> text=จัดการผู้ใช้")
    admin.click("text=เพิ่มผู้ใช้")
    admin.fill("input[name=username]", "somsri")
    admin.fill("input[name=first_name]", "สมศรี")
    admin.fill("input[name=last_name]", "ใจดี")
    admin.fill("input[name=email]", "somsri@spm.example")
    admin.fill("input[name=position]", "นักวิเคราะห์นโยบายและแผน")
    assert admin.input_value("input[name=org]") == "SPM-52-51"
    admin.select_option("select[name=role]", "reporter")
    admin.click("text=สร้างบัญชีและส่งอีเมลตั้งรหัสผ่าน")
    admin.wait_for_selector("text=ส่งอีเมลให้ตั้งรหัสผ่านไปที่ somsri@spm.example แล้ว")
    assert admin.locator("h1").inner_text() == "สมศรี ใจดี"
    assert "ผู้รายงาน" in admin.locator("main table.list").first.inner_text()
    assert RoleAssignment.objects.filter(user__username="somsri", role="reporter",
                                         org__code="SPM-52-51").exists()

    # The colleague opens the invitation in their own browser.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["somsri@spm.example"]
    link = re.search(r"http://[^/\s]+(/password/reset/\S+)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    colleague = _new_page(browser)
    colleague.goto(base + link.group(1))
    assert "สมศรี ใจดี" in colleague.inner_text("main")
    colleague.fill("input[name=new_password1]", "ม้าลายกินหญ้า2566")
    colleague.fill("input[name=new_password2]", "ม้าลายกินหญ้า2566")
    colleague.click("text=บันทึกรหัสผ่าน")
    colleague.wait_for_selector("text=ตั้งรหัสผ่านเรียบร้อยแล้ว")
    colleague.click("main a.button")
    colleague.fill("input[name=username]", "somsri")
    colleague.fill("input[name=password]", "ม้าลายกินหญ้า2566")
    colleague.click("main button[type=submit]")
    colleague.wait_for_url(f"{base}/")
    assert "ออกจากระบบ (สมศรี ใจดี)" in colleague.inner_text("header")
    colleague.goto(f"{base}/tasks/")
    assert "สพม.ลำปาง ลำพูน" in colleague.inner_text("main")  # the office she reports for

    # The administrator sees the account in use, and its history by name.
    admin.reload()
    assert "ใช้งาน" in admin.inner_text("main")
    history = admin.locator("main .card").last.inner_text()
    assert "สร้างบัญชีผู้ใช้" in history and "ธนพล บุญมา" in history


def test_an_approver_signs_in_with_a_totp_code(browser: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.totp import code_for
    from tests.conftest import make_user

    approver = make_user("app-obec", "approver", "OBEC")
    device = TOTPDevice.objects.create(user=approver, name="แอปยืนยันตัวตน", confirmed=True)
    page = _new_page(browser)
    base = browser.base_url
    page.goto(f"{base}/tasks/")
    page.fill("input[name=username]", "app-obec")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
    assert "ยืนยันตัวตนขั้นที่สอง" in page.inner_text("main")
    page.goto(f"{base}/analytics/dashboard/")  # nothing opens before the code
    assert "/accounts/2fa/verify/" in page.url
    page.fill("input[name=code]", code_for(device))
    page.click("form.code-form button[type=submit]")
    page.wait_for_url(f"{base}/analytics/dashboard/")
    page.goto(f"{base}/tasks/")
    assert page.url == f"{base}/tasks/"


def test_ten_wrong_passwords_lock_the_account(browser: Any) -> None:
    from tests.conftest import make_user

    make_user("careless", "reporter", "SPM-52-51")
    page = _new_page(browser)
    base = browser.base_url
    page.goto(f"{base}/login/")
    for i in range(10):
        page.fill("input[name=username]", "careless")
        page.fill("input[name=password]", f"wrong-{i}")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if i < 9:
            assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page.inner_text("main")
    text = page.inner_text("main")
    assert "บัญชีถูกล็อกชั่วคราว" in text and "ใส่รหัสผ่านผิด 10 ครั้งติดกัน" in text
    assert "รอ 30 นาที" in text and "ตั้งรหัสผ่านใหม่ทางอีเมล" in text
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "careless")
    page.fill("input[name=password]", PASSWORD)  # even the right password, now
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "บัญชีถูกล็อกชั่วคราว" in page.inner_text("main")
