"""The school safety incidents register (MOE Safety Center, 003 L692–800; 002 L202–232).

Anyone may report an incident at a school or office; the unit's SC-Operators
receive and assign it, its SC-Action staff resolve it, and a case the unit
cannot resolve is passed up (ส่งต่อ) to the office above, which then handles
it. The threat groups, their sub-types and the deadline of each state are
data (``fixtures/threats.yaml``). Who reported and who was involved are
personal data: only the handling roles of the unit (or above) read them, and
every such read is audited (``tidtam.incidents.privacy``).
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from tidtam.orgs.models import OrgUnit
from tidtam.thai.dates import fiscal_year_of


class ThreatGroup(models.Model):
    code = models.CharField("รหัส", max_length=32, unique=True)
    name_th = models.CharField("ชื่อกลุ่มภัย", max_length=200)
    #: the option of the measures' ``safety_group`` category a case is counted under
    category = models.CharField("รหัสการจำแนกในรายการข้อมูล", max_length=32)
    source = models.CharField("ที่มา", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "กลุ่มภัย"
        verbose_name_plural = "กลุ่มภัย"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name_th


class ThreatType(models.Model):
    group = models.ForeignKey(ThreatGroup, on_delete=models.CASCADE, related_name="types",
                              verbose_name="กลุ่มภัย")
    code = models.CharField("รหัส", max_length=32, unique=True)
    name_th = models.CharField("ชื่อประเภทภัย", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ประเภทภัย"
        verbose_name_plural = "ประเภทภัย"
        ordering = ["group", "position"]

    def __str__(self) -> str:
        return self.name_th


class State(models.TextChoices):
    REPORTED = "reported", "แจ้งเหตุ"
    RECEIVED = "received", "รับเรื่อง"
    ASSIGNED = "assigned", "มอบหมาย"
    IN_PROGRESS = "in_progress", "ดำเนินการ"
    CLOSED = "closed", "ปิดเรื่อง"
    DISMISSED = "dismissed", "ยุติเรื่อง"
    ESCALATED = "escalated", "ส่งต่อ"


#: the states a case ends in; it is counted among the closed cases of its level
ENDED = frozenset({State.CLOSED, State.DISMISSED})


class StateDeadline(models.Model):
    """How long a case may stay in a state before it shows as overdue (data)."""

    state = models.CharField("สถานะ", max_length=16, choices=State.choices, unique=True)
    hours = models.PositiveIntegerField("ระยะเวลา (ชั่วโมง)")

    class Meta:
        verbose_name = "กำหนดเวลาของสถานะ"
        verbose_name_plural = "กำหนดเวลาของสถานะ"

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.hours} ชม."


class ClosingLevelRule(models.Model):
    """Which closing level a case closed by a unit of ``org_type`` counts under (data)."""

    org_type = models.CharField("ประเภทหน่วยงาน", max_length=32, unique=True)
    option = models.CharField("ระดับที่ยุติ (รหัสการจำแนก)", max_length=32)

    class Meta:
        verbose_name = "ระดับที่ยุติเรื่องตามประเภทหน่วยงาน"
        verbose_name_plural = "ระดับที่ยุติเรื่องตามประเภทหน่วยงาน"

    def __str__(self) -> str:
        return f"{self.org_type} → {self.option}"


class FeedSetting(models.Model):
    """Which measure of the register of measures each computed figure is (data)."""

    key = models.CharField("ตัวเลข", max_length=32, unique=True)
    measure_code = models.CharField("รหัสรายการข้อมูล", max_length=64)

    class Meta:
        verbose_name = "รายการข้อมูลที่ทะเบียนเหตุคำนวณ"
        verbose_name_plural = "รายการข้อมูลที่ทะเบียนเหตุคำนวณ"

    def __str__(self) -> str:
        return f"{self.key} → {self.measure_code}"


class FeedPeriod(models.Model):
    """A period type the register writes its figures for (data: the rounds QP1 asks)."""

    code = models.CharField("รหัสประเภทช่วงเวลา", max_length=16, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ช่วงเวลาที่ทะเบียนเหตุคำนวณ"
        verbose_name_plural = "ช่วงเวลาที่ทะเบียนเหตุคำนวณ"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.code


# Letters and digits that are not mistaken for each other when read out or typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    raw = "".join(c for c in text.upper() if c.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else raw


class Channel(models.TextChoices):
    WEB = "web", "หน้าแจ้งเหตุบนเว็บ"
    API = "api", "ระบบของสถานศึกษา (API)"
    STAFF = "staff", "เจ้าหน้าที่บันทึกแทน"


class Incident(models.Model):
    tracking_code = models.CharField("รหัสติดตาม", max_length=14, unique=True,
                                     default=new_tracking_code, editable=False)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="incidents",
                            verbose_name="สถานศึกษา/หน่วยงานที่เกิดเหตุ")
    #: the unit handling the case now: ``org`` until it is passed up (ส่งต่อ)
    handler = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="handled_incidents",
                                verbose_name="หน่วยงานที่รับผิดชอบ")
    group = models.ForeignKey(ThreatGroup, on_delete=models.PROTECT, verbose_name="กลุ่มภัย")
    threat_type = models.ForeignKey(ThreatType, on_delete=models.PROTECT, null=True, blank=True,
                                    verbose_name="ประเภทภัย")
    what = models.TextField("เหตุการณ์ที่เกิดขึ้น", max_length=4000)
    happened_on = models.DateField("วันที่เกิดเหตุ")
    happened_time = models.TimeField("เวลาที่เกิดเหตุ", null=True, blank=True)
    place = models.CharField("สถานที่เกิดเหตุ", max_length=300, blank=True)
    # Personal data: read through tidtam.incidents.privacy only.
    reporter_name = models.CharField("ชื่อผู้แจ้ง", max_length=200, blank=True)
    reporter_contact = models.CharField("ช่องทางติดต่อผู้แจ้ง", max_length=200, blank=True)
    people_involved = models.TextField("ผู้เกี่ยวข้อง/ผู้ได้รับผลกระทบ", max_length=2000,
                                       blank=True)
    channel = models.CharField("ช่องทางที่แจ้ง", max_length=8, choices=Channel.choices,
                               default=Channel.WEB)
    state = models.CharField("สถานะ", max_length=16, choices=State.choices,
                             default=State.REPORTED)
    state_since = models.DateTimeField("อยู่ในสถานะนี้ตั้งแต่", default=timezone.now)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="assigned_incidents",
                                 verbose_name="ผู้ดำเนินการ (SC-Action)")
    closing_level = models.CharField("ระดับที่ยุติเรื่อง", max_length=32, blank=True)
    closed_by_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="หน่วยงานที่ยุติเรื่อง")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ", db_index=True)
    reported_at = models.DateTimeField("แจ้งเมื่อ", default=timezone.now)
    closed_at = models.DateTimeField("ยุติเมื่อ", null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "เหตุความปลอดภัย"
        verbose_name_plural = "เหตุความปลอดภัย"
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        # No personal field: this string goes to the audit log and to lists.
        return f"เหตุ {self.tracking_code} ({self.group.name_th})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.fiscal_year:
            self.fiscal_year = fiscal_year_of(self.happened_on)
        if not self.handler_id:
            self.handler_id = self.org_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.state not in ENDED

    def age_days(self) -> int:
        return (timezone.now() - self.reported_at).days

    def audit_values(self) -> dict[str, object]:
        """What the log keeps of a case: never its personal fields."""
        return {"state": self.state, "handler": self.handler.code, "group": self.group.code,
                "assignee": self.assignee_id, "closing_level": self.closing_level}


class Step(models.Model):
    """One change of state: who, when, at which unit, and why."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField("จากสถานะ", max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField("เป็นสถานะ", max_length=16, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name="ผู้ดำเนินการ")
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                            verbose_name="หน่วยงาน")
    at = models.DateTimeField("เมื่อ", default=timezone.now)
    note = models.TextField("บันทึก", max_length=2000, blank=True)

    class Meta:
        verbose_name = "ขั้นตอนของเหตุ"
        verbose_name_plural = "ขั้นตอนของเหตุ"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident.tracking_code} {self.get_to_state_display()}"


def _upload_to(instance: IncidentFile, filename: str) -> str:
    return f"incidents/{instance.incident_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class IncidentFile(models.Model):
    """Evidence of a case, stored outside the database, served only to its handlers."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_upload_to)
    original_name = models.CharField("ชื่อไฟล์", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField("คำอธิบายไฟล์", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "ไฟล์แนบของเหตุ"
        verbose_name_plural = "ไฟล์แนบของเหตุ"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"ไฟล์แนบของเหตุ {self.incident.tracking_code}"
