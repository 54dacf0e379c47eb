"""Office administrators manage the accounts of their own subtree, and only those.

Each change is checked against the acting administrator and leaves one audit
entry; a refused change leaves the database as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from tests.conftest import make_user
from tidtam.accounts import actions
from tidtam.accounts.models import ApiToken, Profile, Role, RoleAssignment
from tidtam.accounts.permissions import (
    can_approve,
    can_change_role,
    can_manage_account,
    can_read,
    can_report,
    can_see_account,
    grantable_roles,
    visible_accounts,
)
from tidtam.audit.models import AuditEntry
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
User = get_user_model()


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def office_admin(db: None) -> Any:
    return make_user("it-spm", Role.OFFICE_ADMIN, "SPM-52-51")


def colleague(by: Any, username: str = "somsri", role: str = Role.REPORTER,
              org: str = "SPM-52-51") -> Any:
    return actions.create_account(by, username=username, first_name="สมศรี", last_name="ใจดี",
                                  email=f"{username}@spm.example", org=unit(org), role=role)


def test_creates_a_colleague_with_a_role_and_audits_both(office_admin: Any) -> None:
    user = colleague(office_admin)
    assert not user.has_usable_password()  # set by the colleague from the e-mail
    assert Profile.objects.get(user=user).org.code == "SPM-52-51"
    assert RoleAssignment.objects.filter(user=user, role="reporter", org__code="SPM-52-51").exists()
    entries = AuditEntry.objects.filter(target="user:somsri").order_by("pk")
    assert [e.action for e in entries] == ["account.create", "account.role_add"]
    assert all(e.user == office_admin and e.org.code == "SPM-52-51" for e in entries)
    assert entries[0].after["name"] == "สมศรี ใจดี"


def test_a_unit_below_is_inside_the_subtree(office_admin: Any) -> None:
    user = colleague(office_admin, org="SCH-1")  # a school of สพม.ลำปาง ลำพูน
    assert can_manage_account(office_admin, user)


def test_cannot_create_outside_the_subtree(office_admin: Any) -> None:
    for code in ("SPP-52-1", "OBEC"):  # a sibling office, the unit above
        with pytest.raises(PermissionDenied):
            colleague(office_admin, username=f"x-{code}", org=code)
    assert not User.objects.filter(username__startswith="x-").exists()
    assert not AuditEntry.objects.filter(target__startswith="user:x-").exists()


def test_never_grants_the_global_administrator_role(office_admin: Any) -> None:
    assert Role.ADMIN not in grantable_roles(office_admin)
    user = colleague(office_admin, role="")
    with pytest.raises(PermissionDenied):
        actions.grant_role(office_admin, user, Role.ADMIN, unit("SPM-52-51"))
    with pytest.raises(PermissionDenied):
        colleague(office_admin, username="boss", role=Role.ADMIN)
    assert not RoleAssignment.objects.filter(role=Role.ADMIN).exists()
    superuser = User.objects.create_superuser("root", "root@example.invalid", "x-long-pass-9")
    assert Role.ADMIN in grantable_roles(superuser)
    actions.grant_role(superuser, user, Role.ADMIN, unit("SPM-52-51"))


def test_a_scoped_admin_manages_users_but_cannot_grant_admin(db: None) -> None:
    admin = make_user("spm-admin", Role.ADMIN, "SPM-52-51")
    user = colleague(admin)
    assert can_manage_account(admin, user)
    assert not can_change_role(admin, user, Role.ADMIN, unit("SPM-52-51"))


def test_cannot_grant_a_role_above_the_subtree(office_admin: Any) -> None:
    user = colleague(office_admin)
    for code in ("OBEC", "MOE", "SPP-52-1"):
        with pytest.raises(PermissionDenied):
            actions.grant_role(office_admin, user, Role.APPROVER, unit(code))
    assert list(RoleAssignment.objects.filter(user=user).values_list("org__code", flat=True)) == [
        "SPM-52-51"]


def test_grants_and_removes_a_role_inside_the_subtree(office_admin: Any) -> None:
    user = colleague(office_admin)
    ra = actions.grant_role(office_admin, user, Role.APPROVER, unit("SCH-1"))
    assert can_approve(user, unit("SCH-1"))
    with pytest.raises(ValueError, match="อยู่แล้ว"):
        actions.grant_role(office_admin, user, Role.APPROVER, unit("SCH-1"))
    actions.revoke_role(office_admin, ra)
    assert not can_approve(user, unit("SCH-1"))
    assert list(AuditEntry.objects.filter(target="user:somsri").values_list(
        "action", flat=True).order_by("pk")) == [
        "account.create", "account.role_add", "account.role_add", "account.role_remove"]


def test_nobody_changes_their_own_roles_or_switches_themselves_off(office_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.grant_role(office_admin, office_admin, Role.APPROVER, unit("SPM-52-51"))
    own = RoleAssignment.objects.get(user=office_admin)
    with pytest.raises(PermissionDenied):
        actions.revoke_role(office_admin, own)
    with pytest.raises(PermissionDenied):
        actions.set_active(office_admin, office_admin, False)


def test_other_offices_accounts_are_out_of_sight(office_admin: Any) -> None:
    other = make_user("spp-rep", Role.REPORTER, "SPP-52-1")
    staff = User.objects.create_user("helpdesk", password="x-long-pass-9", is_staff=True)
    RoleAssignment.objects.create(user=staff, role=Role.VIEWER, org=unit("SPM-52-51"))
    mine = colleague(office_admin)
    assert not can_see_account(office_admin, other)
    assert not can_see_account(office_admin, staff)  # staff belong to the global administrators
    visible = set(visible_accounts(office_admin))
    assert {office_admin, mine} <= visible and not {other, staff} & visible
    assert {u.username for u in visible} >= {"spm5251", "admin5251"}  # the demo's SPM staff
    assert "spp521" not in {u.username for u in visible}
    with pytest.raises(PermissionDenied):
        actions.set_active(office_admin, other, False)
    other.refresh_from_db()
    assert other.is_active


def test_an_account_with_ties_elsewhere_keeps_them(office_admin: Any) -> None:
    """A colleague also evaluating for OBEC: the office may drop its own role, nothing more."""
    shared = make_user("shared", Role.REPORTER, "SPM-52-51")
    RoleAssignment.objects.create(user=shared, role=Role.EVALUATOR, org=unit("OBEC"))
    assert can_see_account(office_admin, shared)
    assert not can_manage_account(office_admin, shared)
    with pytest.raises(PermissionDenied):
        actions.set_active(office_admin, shared, False)
    obec_role = RoleAssignment.objects.get(user=shared, org__code="OBEC")
    with pytest.raises(PermissionDenied):
        actions.revoke_role(office_admin, obec_role)
    own = RoleAssignment.objects.get(user=shared, org__code="SPM-52-51")
    actions.revoke_role(office_admin, own)
    assert list(RoleAssignment.objects.filter(user=shared).values_list("org__code", flat=True)) == [
        "OBEC"]


def test_switching_off_stops_sessions_and_tokens(office_admin: Any, client: Any) -> None:
    user = colleague(office_admin)
    user.set_password("a-long-test-password")
    user.save()
    _, key = ApiToken.issue(user, "script")
    client.force_login(user)
    assert client.get("/").status_code == 200
    actions.set_active(office_admin, user, False)
    assert client.get("/")["Location"].startswith("/login/")
    assert client.get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert User.objects.filter(pk=user.pk).exists()  # switched off, never deleted
    entry = AuditEntry.objects.get(target="user:somsri", action="account.deactivate")
    assert entry.before == {"active": True} and entry.after == {"active": False}
    actions.set_active(office_admin, user, True)
    assert AuditEntry.objects.filter(target="user:somsri", action="account.activate").exists()


def test_editing_is_audited_field_by_field(office_admin: Any) -> None:
    user = colleague(office_admin)
    assert actions.update_account(office_admin, user, first_name="สมศรี", last_name="ใจงาม",
                                  email="somsri@spm.example", position="นักวิชาการ",
                                  org=unit("SCH-1"))
    entry = AuditEntry.objects.get(target="user:somsri", action="account.update")
    assert "ชื่อ: สมศรี ใจดี → สมศรี ใจงาม" in entry.comment
    assert "สังกัด: SPM-52-51 → SCH-1" in entry.comment
    assert not actions.update_account(office_admin, user, first_name="สมศรี", last_name="ใจงาม",
                                      email="somsri@spm.example", position="นักวิชาการ",
                                      org=unit("SCH-1"))
    with pytest.raises(PermissionDenied):  # moving the account out of the subtree
        actions.update_account(office_admin, user, first_name="ก", last_name="ข",
                               email="somsri@spm.example", position="", org=unit("SPP-52-1"))


def test_the_office_admin_role_reads_but_does_not_report_or_approve(office_admin: Any) -> None:
    spm = unit("SPM-52-51")
    assert can_read(office_admin, spm)
    assert not can_report(office_admin, spm)
    assert not can_approve(office_admin, spm)
