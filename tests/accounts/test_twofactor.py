"""The TOTP second factor: required for approvers and administrators, optional for others.

Codes are computed from the device's key, as the phone app would.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.totp import code_at, code_for, key_of
from tests.conftest import make_user
from tidtam.accounts import actions, twofactor
from tidtam.accounts.models import ApiToken, Role
from tidtam.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def sign_in(username: str, password: str = PASSWORD) -> tuple[Client, Any]:
    c = Client()
    return c, c.post("/login/", {"username": username, "password": password})


def enrolled_user(username: str, role: str, org: str = "OBEC") -> tuple[Any, TOTPDevice]:
    user = make_user(username, role, org)
    return user, TOTPDevice.objects.create(user=user, name="app", confirmed=True)


@pytest.mark.parametrize(("role", "required"), [
    (Role.APPROVER, True), (Role.ADMIN, True), (Role.OFFICE_ADMIN, True),
    (Role.REPORTER, False), (Role.EVALUATOR, False), (Role.VIEWER, False),
])
def test_who_must_use_it(role: str, required: bool) -> None:
    assert twofactor.required(make_user(f"u-{role}", role, "SPM-52-51")) is required


def test_staff_and_superusers_must_use_it(db: None) -> None:
    assert twofactor.required(get_user_model().objects.create_superuser("root", "", "x-pw-12345"))


def test_an_approver_enrols_at_first_sign_in() -> None:
    make_user("app", Role.APPROVER, "OBEC")
    c, response = sign_in("app")
    assert response.status_code == 302
    held = c.get("/tasks/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/2fa/?next=")
    page = c.get(held["Location"]).content.decode()
    assert "<svg" in page and "คิวอาร์โค้ด" in page  # the QR code, inline
    qr = page[page.index('<div class="qr">'):page.index("</svg>")]
    assert "<img" not in qr and "http" not in qr and "style=" not in qr  # no CDN, CSP-clean
    assert "<script>" not in page
    secret = re.search(r"<code class=\"secret\" data-secret>([A-Z2-7 ]+)</code>", page)
    assert secret
    key = key_of(secret.group(1))
    assert TOTPDevice.objects.get(user__username="app", confirmed=False).bin_key == key
    wrong = c.post("/accounts/2fa/", {"action": "confirm", "code": "000000"}).content.decode()
    assert "รหัสไม่ถูกต้อง" in wrong
    time.sleep(1.1)  # django-otp makes the next try wait after a failure
    t = int(time.time() // 30)
    done = c.post("/accounts/2fa/", {"action": "confirm", "code": code_at(key, t),
                                     "next": "/tasks/"})
    body = done.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body)
    assert len(codes) == 10 and "แต่ละรหัสใช้ได้ครั้งเดียว" in body
    assert c.get("/tasks/").status_code == 200  # verified in this session
    assert AuditEntry.objects.filter(target="user:app", action="account.2fa_enrol").exists()


def test_an_enrolled_approver_gives_a_code_after_the_password() -> None:
    _, device = enrolled_user("app", Role.APPROVER)
    c, _ = sign_in("app")
    assert c.get("/")["Location"] == "/accounts/2fa/verify/?next=%2F"
    assert c.get("/accounts/users/").status_code == 302  # every page waits for the code
    page = c.get("/accounts/2fa/verify/?next=/tasks/").content.decode()
    assert "ยืนยันตัวตนขั้นที่สอง" in page
    wrong = c.post("/accounts/2fa/verify/", {"code": "123456", "next": "/tasks/"})
    assert "รหัสไม่ถูกต้องหรือหมดอายุแล้ว" in wrong.content.decode()
    too_soon = c.post("/accounts/2fa/verify/", {"code": code_for(device), "next": "/tasks/"})
    assert "กรุณารอ" in too_soon.content.decode()  # throttled right after a failure
    time.sleep(1.1)
    ok = c.post("/accounts/2fa/verify/", {"code": code_for(device), "next": "/tasks/"})
    assert ok.status_code == 302 and ok["Location"] == "/tasks/"
    assert c.get("/tasks/").status_code == 200


def test_a_code_is_good_for_one_sign_in_only() -> None:
    _, device = enrolled_user("app", Role.APPROVER)
    code = code_for(device)
    first, _ = sign_in("app")
    assert first.post("/accounts/2fa/verify/", {"code": code}).status_code == 302
    second, _ = sign_in("app")
    replay = second.post("/accounts/2fa/verify/", {"code": code})
    assert replay.status_code == 200 and "รหัสไม่ถูกต้อง" in replay.content.decode()


def test_a_backup_code_works_once() -> None:
    user, _ = enrolled_user("app", Role.APPROVER)
    codes = twofactor.new_backup_codes(user)
    c, _ = sign_in("app")
    assert c.post("/accounts/2fa/verify/", {"code": codes[0].upper()}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9
    again, _ = sign_in("app")
    time.sleep(0.1)
    assert again.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 200


def test_a_password_alone_cannot_put_a_new_phone_on_an_account() -> None:
    _, device = enrolled_user("app", Role.APPROVER)
    c, _ = sign_in("app")
    response = c.get("/accounts/2fa/?replace=1")
    assert response["Location"].startswith("/accounts/2fa/verify/")
    c.post("/accounts/2fa/", {"action": "confirm", "code": "123456"})
    assert list(TOTPDevice.objects.filter(user__username="app")) == [device]


def test_optional_for_a_reporter_and_binding_once_enrolled() -> None:
    make_user("rep", Role.REPORTER, "SPM-52-51")
    c, _ = sign_in("rep")
    assert c.get("/").status_code == 200  # not asked
    page = c.get("/accounts/2fa/").content.decode()
    key = key_of(re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1))  # type: ignore[union-attr]
    c.post("/accounts/2fa/", {"action": "confirm", "code": code_at(key, int(time.time() // 30))})
    later, _ = sign_in("rep")
    assert later.get("/")["Location"].startswith("/accounts/2fa/verify/")
    device = TOTPDevice.objects.get(user__username="rep")
    later.post("/accounts/2fa/verify/", {"code": code_for(device)})
    time.sleep(0.1)
    later.post("/accounts/2fa/", {"action": "remove", "code": code_for(device)})
    assert not TOTPDevice.objects.filter(user__username="rep").exists()
    assert sign_in("rep")[0].get("/").status_code == 200


def test_an_approver_cannot_switch_it_off() -> None:
    _, device = enrolled_user("app", Role.APPROVER)
    c, _ = sign_in("app")
    c.post("/accounts/2fa/verify/", {"code": code_for(device)})
    assert c.post("/accounts/2fa/", {"action": "remove", "code": "x"}).status_code == 403
    assert TOTPDevice.objects.filter(user__username="app").exists()


def test_api_tokens_keep_working_without_a_code() -> None:
    """The second factor guards the browser session; a token is a secret of its own."""
    user, _ = enrolled_user("app", Role.APPROVER)
    _, key = ApiToken.issue(user, "script")
    assert Client().get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    half, _ = sign_in("app")  # password given, code not yet
    assert half.get("/api/orgs").status_code == 401
    assert half.get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_the_office_administrator_resets_a_lost_phone(db: None) -> None:
    admin = make_user("it-spm", Role.OFFICE_ADMIN, "SPM-52-51")
    user, _ = enrolled_user("spm-app", Role.APPROVER, "SPM-52-51")
    twofactor.new_backup_codes(user)
    actions.reset_second_factor(admin, user)
    assert not twofactor.enrolled(user) and twofactor.backup_codes_left(user) == 0
    assert AuditEntry.objects.filter(target="user:spm-app", action="account.2fa_reset",
                                     user=admin).exists()
    c, _ = sign_in("spm-app")
    assert c.get("/")["Location"].startswith("/accounts/2fa/?")  # enrols again
