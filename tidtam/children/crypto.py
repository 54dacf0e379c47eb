"""A child's national ID encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256).

A database dump, a backup or a replica then holds no child's ID in the clear;
only a running tidtam with the key reads it, and the code lets only the case's
handlers see it (``tidtam.children.privacy``). Lists are matched through the
keyed hash (``nationalid.keyed_hash``), never by comparing this column, so a
fresh random IV per value costs nothing.

Written here rather than taken from a package: the Django encrypted-field
packages on PyPI are unmaintained or pinned to old Django versions, and what
is needed is twenty lines over ``cryptography``, which is.

Keys: ``TIDTAM_DATA_KEYS`` (comma-separated Fernet keys, the first encrypts,
all decrypt: add a new key in front to rotate), else a key derived from the
secret key.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "f1:"


@cache
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"tidtam.children.data:{secret}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(getattr(settings, "TIDTAM_DATA_KEYS", ())), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ImproperlyConfigured("ข้อมูลเลขประจำตัวในฐานข้อมูลไม่ได้เข้ารหัสตามรูปแบบของ tidtam")
    try:
        return fernet().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "ถอดรหัสเลขประจำตัวเด็กไม่ได้: กุญแจ (TIDTAM_DATA_KEYS หรือ TIDTAM_SECRET_KEY) "
            "ไม่ใช่ชุดที่ใช้เข้ารหัส") from None


class EncryptedCharField(models.CharField):  # type: ignore[type-arg]
    """Text stored encrypted; Python code sees the plain text."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt(value)
