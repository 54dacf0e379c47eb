"""Locked accounts (django-axes): ten wrong passwords in a row lock an account.

axes records the failures and refuses the locked account at sign-in; this
module answers the two questions the user pages ask — is this account locked,
and unlock it — with the same settings, so they agree with axes.
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def _current(username: str):  # type: ignore[no-untyped-def]
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def failures(username: str) -> int:
    return _current(username).aggregate(n=Sum("failures_since_start"))["n"] or 0


def is_locked(username: str) -> bool:
    return failures(username) >= settings.AXES_FAILURE_LIMIT


def cool_off_minutes() -> int | None:
    cool_off = get_cool_off()
    return None if cool_off is None else int(cool_off.total_seconds() // 60)


def unlock(username: str) -> int:
    """Forget the failed attempts of ``username``; returns how many records went."""
    return reset(username=username)
