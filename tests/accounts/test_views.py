"""The account pages: an office administrator's user management, my account, 404s outside."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.conftest import make_user
from tidtam.accounts.models import Role, RoleAssignment
from tidtam.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW = {"username": "somsri", "first_name": "สมศรี", "last_name": "ใจดี",
       "email": "somsri@spm.example", "position": "นักวิเคราะห์นโยบายและแผน",
       "org": "SPM-52-51", "role": "reporter"}


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = make_user("it-spm", Role.OFFICE_ADMIN, "SPM-52-51")
    admin.first_name, admin.last_name = "ธนพล", "บุญมา"
    admin.save()
    client.force_login(admin)
    return client


def test_adding_a_colleague_sends_a_thai_invitation(admin_client: Client) -> None:
    form = admin_client.get("/accounts/users/new/").content.decode()
    assert "เพิ่มผู้ใช้" in form and 'value="SPM-52-51"' in form  # own unit suggested
    response = admin_client.post("/accounts/users/new/", NEW, follow=True)
    body = response.content.decode()
    assert "สร้างบัญชีของ สมศรี ใจดี แล้ว" in body and "somsri@spm.example" in body
    assert "ผู้รายงาน" in body and "ยังไม่ได้ตั้งรหัสผ่าน" in body
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somsri@spm.example"]
    assert message.subject.startswith("เชิญตั้งรหัสผ่าน")
    assert "ธนพล บุญมา ได้สร้างบัญชีผู้ใช้ของท่าน" in message.body
    assert "ชื่อผู้ใช้สำหรับเข้าสู่ระบบ: somsri" in message.body
    link = re.search(r"http://testserver(/password/reset/\S+)", message.body)
    assert link
    page = Client().get(link.group(1), follow=True).content.decode()
    assert "ตั้งรหัสผ่าน" in page and "สมศรี ใจดี" in page
    assert AuditEntry.objects.filter(target="user:somsri", action="account.invite").exists()


def test_bad_input_says_what_is_wrong_and_creates_nothing(admin_client: Client) -> None:
    body = admin_client.post("/accounts/users/new/", {**NEW, "org": "SPP-52-1"}).content.decode()
    assert "ไม่พบหน่วยงานรหัส SPP-52-1 ในหน่วยงานที่ท่านดูแล" in body
    body = admin_client.post("/accounts/users/new/", {
        **NEW, "username": "spm5251", "email": "x"}).content.decode()
    assert "มีผู้ใช้ชื่อ spm5251 อยู่แล้ว" in body and "รูปแบบอีเมลไม่ถูกต้อง" in body
    body = admin_client.post("/accounts/users/new/", {**NEW, "role": "admin"}).content.decode()
    assert "ท่านไม่มีสิทธิ์กำหนดบทบาทนี้" in body
    body = admin_client.post("/accounts/users/new/", {**NEW, "username": "ชื่อ ไทย"}).content.decode()
    assert "ไม่มีเว้นวรรค" in body
    assert not User.objects.filter(email="somsri@spm.example").exists()
    assert mail.outbox == []


def test_the_list_shows_names_of_my_office_only(admin_client: Client) -> None:
    body = admin_client.get("/accounts/users/").content.decode()
    assert "สุดารัตน์ แก้วประเสริฐ" in body  # the demo's สพม.ลำปาง ลำพูน reporter, by name
    assert "ประเสริฐ วงศ์ใหญ่" not in body  # สพป.ลำปาง เขต 1's reporter
    found = admin_client.get("/accounts/users/?q=สุดา").content.decode()
    table = found[found.index("<tbody>"):]
    assert "สุดารัตน์" in table and "ธนพล" not in table


def test_roles_are_given_and_taken_on_the_page(admin_client: Client) -> None:
    admin_client.post("/accounts/users/new/", {**NEW, "role": ""})
    user = User.objects.get(username="somsri")
    url = f"/accounts/users/{user.pk}/"
    done = admin_client.post(f"{url}roles/", {"role": "reporter", "org": "SPM-52-51"}, follow=True)
    assert "กำหนดบทบาทผู้รายงานที่" in done.content.decode()
    refused = admin_client.post(f"{url}roles/", {"role": "approver", "org": "OBEC"}, follow=True)
    assert "ไม่พบหน่วยงานรหัส OBEC ในหน่วยงานที่ท่านดูแล" in refused.content.decode()
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "org__code")) == [
        ("reporter", "SPM-52-51")]
    ra = RoleAssignment.objects.get(user=user)
    admin_client.post(f"{url}roles/{ra.pk}/remove/")
    assert not RoleAssignment.objects.filter(user=user).exists()
    history = admin_client.get(url).content.decode()
    assert "กำหนดบทบาท" in history and "ยกเลิกบทบาท" in history and "ธนพล บุญมา" in history


def test_switch_off_and_on(admin_client: Client) -> None:
    user = make_user("somsri", Role.REPORTER, "SPM-52-51")
    url = f"/accounts/users/{user.pk}/"
    body = admin_client.post(f"{url}active/", {"active": "0"}, follow=True).content.decode()
    assert "ระงับการใช้งานบัญชี" in body
    user.refresh_from_db()
    assert not user.is_active
    admin_client.post(f"{url}active/", {"active": "1"})
    user.refresh_from_db()
    assert user.is_active


def test_another_offices_account_is_a_404(admin_client: Client) -> None:
    other = make_user("spp-rep", Role.REPORTER, "SPP-52-1")
    ra = RoleAssignment.objects.get(user=other)
    base = f"/accounts/users/{other.pk}/"
    assert admin_client.get(base).status_code == 404
    for action, data in [("active/", {"active": "0"}), ("invite/", {}), ("unlock/", {}),
                         ("2fa-reset/", {}), (f"roles/{ra.pk}/remove/", {}),
                         ("roles/", {"role": "viewer", "org": "SPM-52-51"})]:
        assert admin_client.post(base + action, data).status_code == 404, action
    other.refresh_from_db()
    assert other.is_active and RoleAssignment.objects.filter(user=other).count() == 1


def test_account_wide_changes_to_a_shared_account_are_refused(admin_client: Client) -> None:
    shared = make_user("shared", Role.REPORTER, "SPM-52-51")
    RoleAssignment.objects.create(user=shared, role=Role.EVALUATOR, org_id=RoleAssignment.objects
                                  .get(user__username="evaluator").org_id)
    page = admin_client.get(f"/accounts/users/{shared.pk}/").content.decode()
    assert "มีบทบาทในหน่วยงานอื่นนอกที่ท่านดูแล" in page
    assert admin_client.post(f"/accounts/users/{shared.pk}/active/",
                             {"active": "0"}).status_code == 403


def test_people_without_the_role_see_no_user_pages(client: Client) -> None:
    client.force_login(make_user("rep", Role.REPORTER, "SPM-52-51"))
    assert client.get("/accounts/users/").status_code == 404
    assert client.get("/accounts/users/new/").status_code == 404
    assert "จัดการผู้ใช้" not in client.get("/").content.decode()


def test_my_account_page(client: Client) -> None:
    user = make_user("rep", Role.REPORTER, "SPM-52-51")
    user.first_name, user.last_name = "สมชาย", "ใจกล้า"
    user.save()
    client.force_login(user)
    body = client.get("/accounts/").content.decode()
    assert "สมชาย ใจกล้า" in body and "ผู้รายงาน" in body and "เปลี่ยนรหัสผ่าน" in body
    assert "ไม่บังคับสำหรับบทบาทของท่าน" in body
    header = client.get("/").content.decode()
    assert "ออกจากระบบ (สมชาย ใจกล้า)" in header and "บัญชีของฉัน" in header
