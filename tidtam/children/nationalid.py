"""The Thai 13-digit national ID: its checksum, its mask and its keyed hash.

The 13th digit is a check digit: 11 − (Σ dᵢ × (14 − i) for i = 1…12) mod 11,
taken mod 10. The mask keeps the first five digits (where the birth was
registered) and the check digit, as ``1-2345-xxxxx-xx-3``: enough to tell two
children of a list apart on a coordinator's screen, not enough to be the ID.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

DIGITS_RE = re.compile(r"^\d{13}$")


def check_digit(first12: str) -> int:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return (11 - total % 11) % 10


def normalise(text: str) -> str:
    """The digits of an ID as people write it (``1-2345-67890-12-1``, spaces)."""
    return re.sub(r"[\s-]", "", text or "")


def problem(text: str) -> str | None:
    """A Thai reason the text is not a valid ID, or ``None``."""
    digits = normalise(text)
    if not digits:
        return "ไม่ได้ระบุเลขประจำตัวประชาชน"
    if not DIGITS_RE.match(digits):
        return f"เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (ได้ {len(digits)} ตัวอักษร)"
    if check_digit(digits[:12]) != int(digits[12]):
        return "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"
    return None


def mask(digits: str) -> str:
    if len(digits) != 13:
        return "x-xxxx-xxxxx-xx-x"
    return f"{digits[0]}-{digits[1:5]}-xxxxx-xx-{digits[12]}"


def formatted(digits: str) -> str:
    return f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"


def keyed_hash(digits: str) -> str:
    """HMAC-SHA256 under the secret key: the same child matches, the ID is not guessable
    from the column by hashing all 10¹² candidates without the key."""
    key = f"tidtam.children:{settings.SECRET_KEY}".encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def generate(prefix: str, n: int) -> str:
    """A valid ID ``prefix`` + ``n`` + check digit (demo data and tests)."""
    first12 = f"{prefix}{n:0{12 - len(prefix)}d}"[:12]
    return first12 + str(check_digit(first12))
