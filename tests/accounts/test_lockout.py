"""Ten wrong passwords in a row lock the account (django-axes).

The lockout page says in Thai what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from tests.conftest import make_user
from tidtam.accounts import actions, lockout
from tidtam.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture
def somsri(db: None) -> Any:
    user = make_user("somsri", "reporter", "SPM-52-51")
    user.email = "somsri@spm.example"
    user.save()
    return user


def attempt(password: str, username: str = "somsri", ip: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password})


def test_ten_wrong_passwords_lock_the_account(somsri: Any) -> None:
    for _ in range(9):
        wrong = attempt("wrong")
        assert wrong.status_code == 200
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in wrong.content.decode()
    tenth = attempt("wrong")
    assert tenth.status_code == 429
    body = tenth.content.decode()
    assert "บัญชีถูกล็อกชั่วคราว" in body and "ใส่รหัสผ่านผิด 10 ครั้งติดกัน" in body
    assert "รอ 30 นาที" in body and "ตั้งรหัสผ่านใหม่ทางอีเมล" in body
    assert "ผู้ดูแลผู้ใช้ของหน่วยงาน" in body
    right = attempt(PASSWORD, ip="10.9.9.9")  # the right password, from anywhere: still locked
    assert right.status_code == 429
    assert lockout.is_locked("somsri")


def test_a_success_starts_the_count_again(somsri: Any) -> None:
    for _ in range(9):
        attempt("wrong")
    assert attempt(PASSWORD).status_code == 302
    for _ in range(9):
        attempt("wrong")
    assert not lockout.is_locked("somsri")
    assert attempt(PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(somsri: Any) -> None:
    for _ in range(10):
        attempt("wrong")
    AccessAttempt.objects.filter(username="somsri").update(
        attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    assert not lockout.is_locked("somsri")
    assert attempt(PASSWORD).status_code == 302


def test_the_office_administrator_unlocks(somsri: Any) -> None:
    admin = make_user("it-spm", "office_admin", "SPM-52-51")
    for _ in range(10):
        attempt("wrong")
    actions.unlock(admin, somsri)
    assert attempt(PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(target="user:somsri", action="account.unlock",
                                     user=admin).exists()


def test_a_password_reset_by_email_unlocks(somsri: Any, client: Client) -> None:
    for _ in range(10):
        attempt("wrong")
    client.post("/password/reset/", {"email": "somsri@spm.example"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body)
    assert link
    set_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "ม้าลายกินหญ้า2566", "new_password2": "ม้าลายกินหญ้า2566"})
    assert not lockout.is_locked("somsri")
    assert attempt("ม้าลายกินหญ้า2566").status_code == 302


def test_other_accounts_from_the_same_address_are_not_locked(somsri: Any) -> None:
    """Offices share one NAT address: one person's typos must not lock their colleagues."""
    make_user("colleague", "reporter", "SPM-52-51")
    for _ in range(10):
        attempt("wrong")
    assert attempt(PASSWORD, username="colleague").status_code == 302
