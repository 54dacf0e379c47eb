"""Telling one person once: the in-app notification, then the e-mail.

``deliver`` is safe to call again for the same event: the notification is
found by its key, and an e-mail already sent is not sent again. The only
window for a second e-mail is a worker killed between handing the message to
the mail server and recording that it did (at least once, never silently
lost).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from tidtam.notifications.models import Kind, Notification, Preference

SUBJECT_PREFIX = "[ติดตาม] "


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def absolute(url: str) -> str:
    return f"{settings.TIDTAM_SITE_URL}{url}" if url.startswith("/") else url


def email_body(user: Any, body: str, url: str) -> str:
    lines = [f"เรียน {display_name(user)}", "", body]
    if url:
        lines += ["", f"เปิดในระบบ: {absolute(url)}"]
    lines += ["", "—", "ระบบติดตาม ประเมินผลการศึกษา (tidtam)",
              f"เลือกการแจ้งเตือนที่ต้องการรับได้ที่ {absolute('/notifications/preferences/')}"]
    return "\n".join(lines)


def deliver(user: Any, kind: str, key: str, subject: str, body: str,
            url: str = "") -> Notification | None:
    """Notify ``user`` of the event ``key`` as they chose; None when they want neither."""
    pref = Preference.of(user, kind)
    if not (pref.email or pref.in_app):
        return None
    try:
        with transaction.atomic():
            note, _ = Notification.objects.get_or_create(
                user=user, key=key,
                defaults={"kind": kind, "subject": subject[:255], "body": body, "url": url,
                          "shown": pref.in_app})
    except IntegrityError:  # the same event, recorded a moment ago by another worker
        note = Notification.objects.get(user=user, key=key)
    if pref.email and user.email and note.emailed_at is None:
        EmailMessage(SUBJECT_PREFIX + note.subject, email_body(user, note.body, note.url),
                     settings.DEFAULT_FROM_EMAIL, [user.email]).send()
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return note


def kind_label(kind: str) -> str:
    return str(Kind(kind).label)
