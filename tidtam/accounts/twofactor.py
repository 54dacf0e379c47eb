"""The second factor: a TOTP app (django-otp), with single-use backup codes.

Required for whoever can approve official results or manage accounts
(approvers, administrators, office administrators, staff); optional for
everyone else, and binding once enrolled. It protects the browser session
only: API tokens are already a secret of their own, issued by an operator
(``tidtam tokens create``), so a token request never asks for a code.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import roles_of

REQUIRED_FOR = frozenset({Role.APPROVER, Role.ADMIN, Role.OFFICE_ADMIN})
BACKUP_CODES = 10
TOTP_NAME = "แอปยืนยันตัวตน"
BACKUP_NAME = "รหัสสำรอง"


def required(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & REQUIRED_FOR)


def app_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def enrolled(user: Any) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(user: Any) -> bool:
    """Whether this signed-in user still has to give a code in this session."""
    if not user.is_authenticated:
        return False
    # Right after login() the request's user is the plain model, without
    # django-otp's is_verified(): not verified yet.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return required(user) or enrolled(user)


# --- enrolment --------------------------------------------------------------------
def pending_device(user: Any) -> TOTPDevice:
    """The not-yet-confirmed device shown on the enrolment page (kept across reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key as the base32 text authenticator apps accept, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no image service, no script)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, title="คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน", svgclass="qr")


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


@dataclass
class Outcome:
    ok: bool
    message: str = ""


def _refused(device: Any) -> Outcome | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    wait = max(1, int((until - timezone.now()).total_seconds())) if until else 1
    return Outcome(False, f"ใส่รหัสผิดหลายครั้งติดกัน กรุณารอ {wait} วินาทีแล้วลองใหม่")


def confirm(request: HttpRequest, device: TOTPDevice, code: str) -> tuple[Outcome, list[str]]:
    """Confirm the app with a first code: it replaces any older app and gets fresh backup codes."""
    refused = _refused(device)
    if refused:
        return refused, []
    with transaction.atomic():
        if not device.verify_token(_clean(code)):
            return Outcome(False, "รหัสไม่ถูกต้อง กรุณาพิมพ์รหัส 6 หลักที่แอปแสดงอยู่ตอนนี้"), []
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_backup_codes(device.user)
    django_otp.login(request, device)
    return Outcome(True), codes


def new_backup_codes(user: Any) -> list[str]:
    """Replace the user's backup codes; the plain codes are shown once, to the user."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- verification at sign-in -----------------------------------------------------------
def verify(request: HttpRequest, code: str) -> Outcome:
    """Accept a code from the app, or one of the backup codes (which is then used up)."""
    user = request.user
    code = _clean(code)
    if not code:
        return Outcome(False, "กรุณาพิมพ์รหัสจากแอปยืนยันตัวตน หรือรหัสสำรอง")
    if code.isdigit():
        devices: list[Any] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return Outcome(False, "บัญชีนี้ยังไม่มีรหัสสำรอง กรุณาใช้รหัสจากแอปยืนยันตัวตน")
    for device in devices:
        refused = _refused(device)
        if refused:
            return refused
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            django_otp.login(request, verified)
            return Outcome(True)
    return Outcome(False, "รหัสไม่ถูกต้องหรือหมดอายุแล้ว กรุณาลองใหม่ด้วยรหัสล่าสุดในแอป")
