"""Codes an authenticator app would show, computed from a device's key (test helper)."""

from __future__ import annotations

import base64
import time
from typing import Any

from django_otp.oath import TOTP


def code_at(key: bytes, t: int, step: int = 30, t0: int = 0, digits: int = 6) -> str:
    totp = TOTP(key, step, t0, digits)
    totp.time = t * step + t0
    return f"{totp.token():0{digits}d}"


def key_of(secret_text: str) -> bytes:
    """The key behind the base32 secret shown on the enrolment page."""
    text = "".join(secret_text.split()).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def code_for(device: Any) -> str:
    """A code the device accepts now: never one of a time step already used (replays fail)."""
    device.refresh_from_db()
    now = time.time()
    t_now = int((now - device.t0) // device.step)
    t = max(t_now, device.last_t + 1)
    if t > t_now + device.tolerance:  # signed in twice within 30 s: wait for the next step
        time.sleep((t - device.tolerance) * device.step + device.t0 - now + 0.2)
    return code_at(device.bin_key, t, device.step, device.t0, device.digits)
