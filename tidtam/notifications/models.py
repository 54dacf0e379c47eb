"""What tidtam tells people, and what each person wants to be told.

A ``Notification`` is one message to one person: shown in the app's list
(with an unread count in the navigation) and, when the person has an e-mail
address and wants it, sent by e-mail. Its ``key`` says which event it is
about (a transition of a submission at a version, a reminder of a round's
deadline so many days before, a day's digest); it is unique per person, which
is what makes sending safe to repeat: a worker that dies and runs its task
again, or the daily command run twice, finds the notification already there
and sends nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    ROUND_OPEN = "round_open", "เปิดรับรายงานรอบใหม่"
    DEADLINE = "deadline", "เตือนกำหนดส่งรายงาน"
    RETURNED = "returned", "รายงานถูกส่งกลับให้แก้ไข"
    RATED = "rated", "รายงานได้รับการประเมินแล้ว"
    APPROVED = "approved", "ผลการประเมินได้รับการอนุมัติ"
    REOPENED = "reopened", "รายงานถูกเปิดแก้ไขหลังอนุมัติ"
    DIGEST = "digest", "สรุปงานที่รออยู่ประจำวัน"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", verbose_name="ผู้รับ")
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices)
    key = models.CharField("รหัสเหตุการณ์", max_length=200,
                           help_text="เหตุการณ์ที่แจ้ง ไม่ซ้ำกันต่อผู้รับหนึ่งคน")
    subject = models.CharField("เรื่อง", max_length=255)
    body = models.TextField("ข้อความ")
    url = models.CharField("ลิงก์", max_length=500, blank=True)
    shown = models.BooleanField("แสดงในระบบ", default=True)
    created_at = models.DateTimeField("แจ้งเมื่อ", auto_now_add=True)
    read_at = models.DateTimeField("อ่านเมื่อ", null=True, blank=True)
    emailed_at = models.DateTimeField("ส่งอีเมลเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การแจ้งเตือน"
        verbose_name_plural = "การแจ้งเตือน"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event"),
        ]
        indexes = [models.Index(fields=["user", "shown", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user} {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """One person's choice for one kind of notification; no row means both on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name="ผู้ใช้")
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices)
    email = models.BooleanField("อีเมล", default=True)
    in_app = models.BooleanField("ในระบบ", default=True)

    class Meta:
        verbose_name = "การตั้งค่าการแจ้งเตือน"
        verbose_name_plural = "การตั้งค่าการแจ้งเตือน"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"

    @classmethod
    def of(cls, user: object, kind: str) -> Preference:
        found = cls.objects.filter(user=user, kind=kind).first()
        return found or cls(user=user, kind=kind)  # type: ignore[misc]
