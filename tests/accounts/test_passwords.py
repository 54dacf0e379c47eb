"""Password change and reset by e-mail: Django's views, every page and e-mail in Thai."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import make_user
from tidtam.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")
ENGLISH = ("Password", "password", "Email address", "Enter", "Forgotten")


def no_english(body: str) -> None:
    text = re.sub(r"<[^>]+>", " ", body)  # what a person reads, not the markup
    assert not [w for w in ENGLISH if w in text], text


@pytest.fixture
def somsri(db: None) -> Any:
    user = make_user("somsri", "reporter", "SPM-52-51")
    user.first_name, user.last_name, user.email = "สมศรี", "ใจดี", "somsri@spm.example"
    user.save()
    return user


def test_reset_by_email_in_thai(client: Client, somsri: Any) -> None:
    page = client.get("/password/reset/").content.decode()
    assert "ตั้งรหัสผ่านใหม่ทางอีเมล" in page
    no_english(page)
    response = client.post("/password/reset/", {"email": "SOMSRI@spm.example"}, follow=True)
    no_english(response.content.decode())
    assert "ตรวจสอบอีเมลของท่าน" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somsri@spm.example"]
    assert message.subject.startswith("ตั้งรหัสผ่านใหม่")
    assert "เรียน สมศรี ใจดี" in message.body and "somsri" in message.body
    link = LINK.search(message.body)
    assert link, message.body
    form = client.get(link.group(1), follow=True)
    assert "บันทึกรหัสผ่าน" in form.content.decode()
    no_english(form.content.decode())
    set_url = form.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": "ม้าลายกินหญ้า2566",
                                     "new_password2": "ม้าลายกินหญ้า2567"}).content.decode()
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in mismatch
    short = client.post(set_url, {"new_password1": "ab1", "new_password2": "ab1"}).content.decode()
    assert "รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย 8 ตัวอักษร" in short
    done = client.post(set_url, {"new_password1": "ม้าลายกินหญ้า2566",
                                 "new_password2": "ม้าลายกินหญ้า2566"}, follow=True)
    assert "ตั้งรหัสผ่านเรียบร้อยแล้ว" in done.content.decode()
    assert Client().post("/login/", {"username": "somsri", "password": "ม้าลายกินหญ้า2566"}
                         ).status_code == 302
    assert AuditEntry.objects.filter(target="user:somsri", action="account.password_reset",
                                     user=somsri).exists()
    used = client.get(link.group(1), follow=True).content.decode()
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in used  # one use only


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client) -> None:
    response = client.post("/password/reset/", {"email": "nobody@example.invalid"}, follow=True)
    assert "ตรวจสอบอีเมลของท่าน" in response.content.decode()  # no hint whether it exists
    assert mail.outbox == []


def test_reset_refuses_a_bad_address_in_thai(client: Client) -> None:
    body = client.post("/password/reset/", {"email": "not-an-address"}).content.decode()
    assert "รูปแบบอีเมลไม่ถูกต้อง" in body


def test_an_invited_colleague_can_ask_for_a_fresh_link(client: Client, somsri: Any) -> None:
    somsri.set_unusable_password()
    somsri.save()
    client.post("/password/reset/", {"email": "somsri@spm.example"})
    assert len(mail.outbox) == 1


def test_a_switched_off_account_gets_no_link(client: Client, somsri: Any) -> None:
    somsri.is_active = False
    somsri.save()
    client.post("/password/reset/", {"email": "somsri@spm.example"})
    assert mail.outbox == []


def test_change_password_in_thai(client: Client, somsri: Any) -> None:
    client.force_login(somsri)
    page = client.get("/password/change/").content.decode()
    assert "รหัสผ่านปัจจุบัน" in page and "เปลี่ยนรหัสผ่าน" in page
    no_english(page)
    wrong = client.post("/password/change/", {
        "old_password": "not-it", "new_password1": "ม้าลายกินหญ้า2566",
        "new_password2": "ม้าลายกินหญ้า2566"}).content.decode()
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in wrong
    numeric = client.post("/password/change/", {
        "old_password": PASSWORD, "new_password1": "2566256625", "new_password2": "2566256625",
    }).content.decode()
    assert "รหัสผ่านเป็นตัวเลขทั้งหมด" in numeric
    done = client.post("/password/change/", {
        "old_password": PASSWORD, "new_password1": "ม้าลายกินหญ้า2566",
        "new_password2": "ม้าลายกินหญ้า2566"}, follow=True)
    assert "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว" in done.content.decode()
    assert client.get("/").status_code == 200  # still signed in
    somsri.refresh_from_db()
    assert somsri.check_password("ม้าลายกินหญ้า2566")
    assert AuditEntry.objects.filter(target="user:somsri", action="account.password").exists()


@pytest.mark.parametrize(("password", "message"), [
    ("short1", "รหัสผ่านสั้นเกินไป"),
    ("password123", "มีผู้ใช้ทั่วไปมาก"),
    ("1234509876", "เป็นตัวเลขทั้งหมด"),
    ("somsri.spm", "คล้ายกับชื่อผู้ใช้"),
])
def test_every_validator_speaks_thai(password: str, message: str) -> None:
    user = get_user_model()(username="somsri", email="somsri@spm.example")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert any(message in m for m in exc.value.messages), exc.value.messages
