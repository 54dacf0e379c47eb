"""Who may do what, where: roles held on an org unit reach its whole subtree.

A user's rights are the union of their (role, org unit) assignments; a
reporter at สพม.ลำปาง ลำพูน may edit that office's submissions (and those of
units below it), an evaluator at OBEC may rate every area office.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from tidtam.orgs.models import OrgUnit


class Role(models.TextChoices):
    REPORTER = "reporter", "ผู้รายงาน"
    EVALUATOR = "evaluator", "ผู้ประเมิน"
    APPROVER = "approver", "ผู้อนุมัติ"
    VIEWER = "viewer", "ผู้ดูข้อมูล"
    # Manages the accounts and roles of its own subtree and nothing else: it
    # does not imply reporting, rating or approving (see permissions.py).
    OFFICE_ADMIN = "office_admin", "ผู้ดูแลผู้ใช้ของหน่วยงาน"
    # Every right over the subtree, user management included; only a global
    # administrator (a superuser) may grant it.
    ADMIN = "admin", "ผู้ดูแลระบบ"
    # The registers' handling roles (MOE Safety Center, พาน้องกลับมาเรียน): they
    # read the personal data of a case in their subtree, and nothing else does.
    SC_OPERATOR = "sc_operator", "ผู้รับแจ้งเหตุ (SC-Operator)"
    SC_ACTION = "sc_action", "ผู้ดำเนินการแก้ไขเหตุ (SC-Action)"
    CHILD_HANDLER = "child_handler", "ผู้ติดตามเด็กนอกระบบการศึกษา"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ผู้ใช้",
        on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("บทบาท", max_length=16, choices=Role.choices)
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, verbose_name="หน่วยงาน")
    created_at = models.DateTimeField("กำหนดเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "บทบาทของผู้ใช้"
        verbose_name_plural = "บทบาทของผู้ใช้"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.org.display_name}"


class Profile(models.Model):
    """What an account needs beyond Django's user: the unit the person belongs to.

    The home unit places an account in the tree even before (or after) it
    holds any role, so the office administrator who created it keeps seeing it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True,
        related_name="members", verbose_name="สังกัด",
    )
    position = models.CharField("ตำแหน่ง", max_length=200, blank=True)

    class Meta:
        verbose_name = "ข้อมูลผู้ใช้"
        verbose_name_plural = "ข้อมูลผู้ใช้"

    def __str__(self) -> str:
        return f"{self.user} ({self.org.display_name if self.org else '-'})"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ผู้ใช้",
        on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("ชื่อโทเคน", max_length=100)
    prefix = models.CharField("รหัสนำหน้า", max_length=8, db_index=True)
    key_hash = models.CharField("ค่าแฮชของกุญแจ", max_length=64, unique=True)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    last_used_at = models.DateTimeField("ใช้ล่าสุดเมื่อ", null=True, blank=True)
    expires_at = models.DateTimeField("หมดอายุเมื่อ", null=True, blank=True)
    revoked = models.BooleanField("ยกเลิกแล้ว", default=False)

    class Meta:
        verbose_name = "โทเคน API"
        verbose_name_plural = "โทเคน API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        """Create a token; the plain key is returned once and never stored."""
        key = f"tt_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(user=user, name=name, prefix=key[3:11], key_hash=_hash(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> ApiToken | None:
        token = cls.objects.select_related("user").filter(key_hash=_hash(key)).first()
        if token is None or token.revoked or not token.user.is_active:
            return None
        if token.expires_at and token.expires_at < timezone.now():
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token
