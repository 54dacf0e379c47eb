"""What an office reports: one submission per (office, framework, round).

A submission holds, per indicator, figures (data values), narratives
(how the office drove the work, suggestions), problem ↔ solution rows, best
practices with images, and evidence files. Every editable piece carries its
own version number so two people editing the same text never silently
overwrite each other, and every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from tidtam.frameworks.models import DataElement, Framework, FrameworkNode
from tidtam.orgs.models import OrgUnit


class State(models.TextChoices):
    DRAFT = "draft", "ฉบับร่าง"
    SUBMITTED = "submitted", "ส่งแล้ว รอการประเมิน"
    RETURNED = "returned", "ส่งกลับให้แก้ไข"
    RESUBMITTED = "resubmitted", "ส่งฉบับแก้ไขแล้ว"
    RATED = "rated", "ประเมินแล้ว รออนุมัติ"
    APPROVED = "approved", "อนุมัติแล้ว"


EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
RATABLE_STATES = frozenset({State.SUBMITTED, State.RESUBMITTED, State.RATED})


class RoundSchedule(models.Model):
    """When a round opens and is due; late submissions are shown, blocked only if set."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="schedules")
    round = models.CharField(max_length=8)
    opens_on = models.DateField("เปิดรับรายงาน")
    due_on = models.DateField("กำหนดส่ง")
    block_late = models.BooleanField("ไม่รับรายงานหลังกำหนด", default=False)

    class Meta:
        verbose_name = "กำหนดการรายงาน"
        verbose_name_plural = "กำหนดการรายงาน"
        constraints = [
            models.UniqueConstraint(fields=["framework", "round"], name="schedule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.round}"

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return today >= self.opens_on and not (self.block_late and today > self.due_on)


class Submission(models.Model):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="submissions")
    round = models.CharField(max_length=8)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "รายงาน"
        verbose_name_plural = "รายงาน"
        constraints = [
            models.UniqueConstraint(fields=["org", "framework", "round"], name="submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.org.display_name} · {self.framework.full_name} · {self.round_label}"

    @property
    def round_label(self) -> str:
        return dict(self.framework.round_labels()).get(self.round, self.round)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_ratable(self) -> bool:
        return self.state in RATABLE_STATES

    def schedule(self) -> RoundSchedule | None:
        return RoundSchedule.objects.filter(framework=self.framework, round=self.round).first()

    @property
    def is_late(self) -> bool:
        sched = self.schedule()
        if sched is None:
            return False
        when = timezone.localtime(self.submitted_at).date() if self.submitted_at else None
        return (when or timezone.localdate()) > sched.due_on


class IndicatorReport(models.Model):
    """The office's report on one indicator within a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reports")
    node = models.ForeignKey(FrameworkNode, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "รายงานรายตัวชี้วัด"
        verbose_name_plural = "รายงานรายตัวชี้วัด"
        constraints = [
            models.UniqueConstraint(fields=["submission", "node"], name="report_unique"),
        ]
        ordering = ["node__position"]

    def __str__(self) -> str:
        return f"{self.submission} {self.node.heading}"


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class NarrativeKind(models.TextChoices):
    DRIVE = "drive", "การขับเคลื่อนการดำเนินงาน"
    SUGGESTION_CENTRAL = "suggestion_central", "ข้อเสนอแนะต่อ สพฐ."
    SUGGESTION_OFFICE = "suggestion_office", "ข้อเสนอแนะต่อ สพท./สถานศึกษา"


class Narrative(Versioned):
    report = models.ForeignKey(IndicatorReport, on_delete=models.CASCADE, related_name="narratives")
    kind = models.CharField(max_length=32, choices=NarrativeKind.choices)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "ข้อความรายงาน"
        verbose_name_plural = "ข้อความรายงาน"
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="narrative_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.get_kind_display()}"


class DataValue(Versioned):
    """A figure as typed (``text``) and as understood (decimal/date/list)."""

    report = models.ForeignKey(IndicatorReport, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT)
    text = models.TextField(blank=True)
    value_decimal = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_list = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "ข้อมูลตัวเลขที่รายงาน"
        verbose_name_plural = "ข้อมูลตัวเลขที่รายงาน"
        constraints = [
            models.UniqueConstraint(fields=["report", "element"], name="value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.element.key} = {self.text}"

    @property
    def parsed(self) -> object:
        if self.value_decimal is not None:
            return self.value_decimal
        if self.value_date is not None:
            return self.value_date
        if self.element.value_type == "list":
            return list(self.value_list)
        return self.text or None


class ProblemRow(Versioned):
    report = models.ForeignKey(IndicatorReport, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveSmallIntegerField(default=0)
    problem = models.TextField("ปัญหา/อุปสรรค", blank=True)
    solution = models.TextField("วิธีการ/แนวทางการแก้ไข", blank=True)

    class Meta:
        verbose_name = "ปัญหาและแนวทางแก้ไข"
        verbose_name_plural = "ปัญหาและแนวทางแก้ไข"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.problem[:60]


class BestPractice(Versioned):
    report = models.ForeignKey(
        IndicatorReport, on_delete=models.CASCADE, related_name="best_practices"
    )
    position = models.PositiveSmallIntegerField(default=0)
    unit_name = models.CharField("หน่วยงาน/สถานศึกษา", max_length=255, blank=True)
    model_name = models.CharField("ชื่อผลงาน/รูปแบบ", max_length=500, blank=True)
    steps = models.TextField("ขั้นตอน/วิธีการ", blank=True)

    class Meta:
        verbose_name = "วิธีปฏิบัติที่เป็นเลิศ"
        verbose_name_plural = "วิธีปฏิบัติที่เป็นเลิศ"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.model_name or self.unit_name


def _upload_to(instance: Attachment, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"submissions/{instance.submission_id}/{uuid.uuid4().hex}{suffix}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "ภาพประกอบ"
    EVIDENCE = "evidence", "เอกสารหลักฐาน"


class Attachment(models.Model):
    """A file stored outside the database, served only through a permission check."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    report = models.ForeignKey(
        IndicatorReport, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    best_practice = models.ForeignKey(
        BestPractice, on_delete=models.CASCADE, null=True, blank=True, related_name="images"
    )
    kind = models.CharField(max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ไฟล์แนบ"
        verbose_name_plural = "ไฟล์แนบ"

    def __str__(self) -> str:
        return self.original_name


class ValidationAnswer(models.Model):
    """The reporter's reason for a warning they chose to keep."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="validation_answers"
    )
    rule_code = models.CharField(max_length=64)
    node = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, null=True, blank=True)
    reason = models.TextField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "เหตุผลต่อคำเตือน"
        verbose_name_plural = "เหตุผลต่อคำเตือน"
        constraints = [
            models.UniqueConstraint(fields=["submission", "rule_code"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code}: {self.reason[:60]}"


class AuditEntry(models.Model):
    """Who changed what, when, from what to what. Append-only."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    action = models.CharField(max_length=32)
    target = models.CharField(max_length=255)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "บันทึกการเปลี่ยนแปลง"
        verbose_name_plural = "บันทึกการเปลี่ยนแปลง"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.target}"
