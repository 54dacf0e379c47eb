"""Changes to accounts, each checked against the acting administrator and audited.

Views call these; they raise ``PermissionDenied`` (a Thai 403) when the
acting user may not make the change, and write one audit entry per change.
The audit goes through ``tidtam.audit.log.record`` like every other
change; the entry's target is ``user:<username>`` so an account's history is
one query.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tidtam.accounts import lockout, permissions, twofactor
from tidtam.accounts.models import Profile, Role, RoleAssignment
from tidtam.accounts.people import person_name
from tidtam.audit.log import record
from tidtam.orgs.models import OrgUnit

SITE_NAME = "ระบบติดตาม ประเมินผลการศึกษา (tidtam)"
NOT_YOURS = "บัญชีนี้อยู่นอกหน่วยงานที่ท่านดูแล หรือมีบทบาทที่ท่านไม่มีสิทธิ์กำหนด"


def target_of(user: Any) -> str:
    return f"user:{user.get_username()}"


def home_unit(user: Any) -> OrgUnit | None:
    profile = Profile.objects.filter(user=user).select_related("org").first()
    return profile.org if profile else None


def audit_unit(user: Any) -> OrgUnit | None:
    """Where an account's audit entries are filed: its home unit, else a unit it has a role on.

    A command-line superuser with neither is filed under the root of the tree.
    """
    unit = home_unit(user)
    if unit is None:
        ra = RoleAssignment.objects.filter(user=user).select_related("org").order_by("pk").first()
        unit = ra.org if ra else None
    return unit or OrgUnit.objects.filter(parent=None).order_by("path").first()


def audit(by: Any, action: str, user: Any, *, org: OrgUnit | None = None,
          before: Any = None, after: Any = None, comment: str = "") -> None:
    org = org or audit_unit(user)
    if org is None:  # no organisation loaded yet: nothing to file the entry under
        return
    record(by, action, user, target=target_of(user), org=org, before=before, after=after,
           comment=comment)


FIELD_LABELS = {"name": "ชื่อ", "email": "อีเมล", "org": "สังกัด", "position": "ตำแหน่ง"}


def _snapshot(user: User) -> dict[str, str]:
    unit = home_unit(user)
    profile = Profile.objects.filter(user=user).first()
    return {
        "name": person_name(user, ""), "email": user.email,
        "org": unit.code if unit else "", "position": profile.position if profile else "",
    }


# --- creating and editing --------------------------------------------------------
def create_account(by: Any, *, username: str, first_name: str, last_name: str, email: str,
                   org: OrgUnit, position: str = "", role: str = "") -> User:
    """A colleague's account in ``org``, without a password: they set it from the e-mail."""
    if not permissions.can_manage_unit(by, org):
        raise PermissionDenied("ท่านสร้างบัญชีได้เฉพาะในหน่วยงานที่ท่านดูแล")
    if role and role not in permissions.grantable_roles(by):
        raise PermissionDenied("ท่านไม่มีสิทธิ์กำหนดบทบาทนี้")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Profile.objects.create(user=user, org=org, position=position)
        audit(by, "account.create", user, org=org, after=_snapshot(user))
        if role:
            grant_role(by, user, role, org)
    return user


def update_account(by: Any, user: User, *, first_name: str, last_name: str, email: str,
                   position: str, org: OrgUnit) -> bool:
    if not permissions.can_manage_account(by, user) or not permissions.can_manage_unit(by, org):
        raise PermissionDenied(NOT_YOURS)
    before = _snapshot(user)
    with transaction.atomic():
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.save(update_fields=["first_name", "last_name", "email"])
        Profile.objects.update_or_create(user=user, defaults={"org": org, "position": position})
        after = _snapshot(user)
        if after == before:
            return False
        changes = "; ".join(f"{FIELD_LABELS[k]}: {before[k] or '-'} → {after[k] or '-'}"
                            for k in after if after[k] != before[k])
        audit(by, "account.update", user, org=org, before=before, after=after, comment=changes)
    return True


# --- roles -----------------------------------------------------------------------------
def grant_role(by: Any, user: User, role: str, org: OrgUnit) -> RoleAssignment:
    if not permissions.can_change_role(by, user, role, org):
        raise PermissionDenied(
            "ท่านกำหนดบทบาทได้เฉพาะบทบาทที่ท่านมีสิทธิ์ ในหน่วยงานที่ท่านดูแล และไม่ใช่บัญชีของท่านเอง")
    with transaction.atomic():
        ra, created = RoleAssignment.objects.get_or_create(user=user, role=role, org=org)
        label = Role(role).label
        if not created:
            raise ValueError(f"{person_name(user)} มีบทบาท{label}ที่{org.display_name}อยู่แล้ว")
        audit(by, "account.role_add", user, org=org,
              after={"role": role, "org": org.code}, comment=f"{label} · {org.display_name}")
    permissions.forget(user)
    return ra


def revoke_role(by: Any, assignment: RoleAssignment) -> None:
    user, org = assignment.user, assignment.org
    if not permissions.can_change_role(by, user, assignment.role, org):
        raise PermissionDenied(NOT_YOURS)
    with transaction.atomic():
        assignment.delete()
        audit(by, "account.role_remove", user, org=org,
              before={"role": assignment.role, "org": org.code},
              comment=f"{assignment.get_role_display()} · {org.display_name}")
    permissions.forget(user)


# --- switching off, unlocking, second factor -------------------------------------------
def _account_wide(by: Any, user: User) -> None:
    if not permissions.can_manage_account(by, user):
        raise PermissionDenied(NOT_YOURS)


def set_active(by: Any, user: User, active: bool) -> None:
    """Switch an account off or on; never deleted, so its history keeps its name.

    Switched off, its session stops at the next request and its API tokens are refused.
    """
    _account_wide(by, user)
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit(by, "account.activate" if active else "account.deactivate", user,
              before={"active": not active}, after={"active": active})


def unlock(by: Any, user: User) -> int:
    _account_wide(by, user)
    n = lockout.unlock(user.get_username())
    audit(by, "account.unlock", user)
    return n


def reset_second_factor(by: Any, user: User) -> None:
    """For a colleague who lost both their phone and their backup codes."""
    _account_wide(by, user)
    with transaction.atomic():
        twofactor.remove(user)
        audit(by, "account.2fa_reset", user)


# --- the password e-mail -----------------------------------------------------------------
def send_password_email(request: HttpRequest, user: User) -> None:
    """E-mail ``user`` a link to set their password (an invitation when they have none yet).

    The link is Django's password-reset link: one use, valid for
    PASSWORD_RESET_TIMEOUT, void once a password is set.
    """
    _account_wide(request.user, user)
    if not user.email:
        raise ValueError(f"{person_name(user)} ยังไม่มีอีเมล กรุณาแก้ไขข้อมูลผู้ใช้ก่อน")
    invitation = not user.has_usable_password()
    site = get_current_site(request)
    context = {
        "email": user.email, "domain": site.domain, "site_name": SITE_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "invitation": invitation, "sent_by": request.user,
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    PasswordResetForm().send_mail(
        "accounts/email/set_password_subject.txt", "accounts/email/set_password.txt",
        context, None, user.email)
    audit(request.user, "account.invite", user, comment=user.email)
