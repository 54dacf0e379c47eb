"""What an office reports: one submission per (office, framework, round).

A submission stores the office's state of reporting — its round, workflow
state, evidence files, answers to warnings — but no fact of its own: its
figures are observations of the measures the indicators bind
(``tidtam.measures``) and its narratives, problems and best practices are the
office's blocks for each indicator's topic (``tidtam.narratives``), so what
the office writes once appears in every document that asks for it. Every
change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.measures.models import Period
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

    framework = models.ForeignKey(Framework, verbose_name="กรอบการประเมิน",
                                  on_delete=models.CASCADE, related_name="schedules")
    round = models.CharField("รอบ", max_length=8,
                             help_text="รหัสรอบของกรอบการประเมิน เช่น 6m (6 เดือน) หรือ 12m (12 เดือน)")
    opens_on = models.DateField("เปิดรับรายงาน")
    due_on = models.DateField("กำหนดส่ง")
    block_late = models.BooleanField("ไม่รับรายงานหลังกำหนด", default=False)
    # When reporters are reminded: so many days before the deadline (the
    # notifications app also sends one the day after it, to offices still owing).
    remind_days = models.CharField(
        "เตือนก่อนกำหนดส่ง (วัน)", max_length=64, default="7,1",
        validators=[RegexValidator(r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$",
                                   "ระบุจำนวนวันเป็นตัวเลข คั่นด้วยจุลภาค เช่น 7,1")],
        help_text="จำนวนวันก่อนกำหนดส่งที่จะแจ้งเตือนผู้รายงาน คั่นด้วยจุลภาค เช่น 7,1",
    )

    class Meta:
        verbose_name = "กำหนดการรายงาน"
        verbose_name_plural = "กำหนดการรายงาน"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "round"], name="schedule_unique",
                # Django's Thai catalogue has no text for a two-field unique check
                violation_error_message="กรอบการประเมินนี้มีกำหนดการของรอบนี้อยู่แล้ว",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.round}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.framework_id is not None and self.round not in self.framework.rounds:
            names = ", ".join(f"{code} ({name})" for code, name in self.framework.round_labels())
            errors["round"] = f"กรอบนี้ไม่มีรอบ '{self.round}' (มี: {names})"
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            errors["due_on"] = "กำหนดส่งต้องไม่ก่อนวันเปิดรับรายงาน"
        if errors:
            raise ValidationError(errors)

    def reminder_days(self) -> list[int]:
        """The days before the deadline to remind on, largest first (7, 1)."""
        return sorted({int(x) for x in self.remind_days.split(",") if x.strip().isdigit()},
                      reverse=True)

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

    def round_period(self) -> Period:
        """The period the round stands for (its figures' and blocks' period, unless a
        binding names another). Asked by the figures, the blocks and the checks of one
        request: looked up once per loaded submission and round, as a period's dates
        never change."""
        cached = getattr(self, "_round_period", None)
        if cached is not None and cached[0] == (self.framework_id, self.round):
            return cached[1]  # type: ignore[no-any-return]
        period = Period.of(self.framework.fiscal_year, self.round)
        self._round_period = ((self.framework_id, self.round), period)
        return period

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
    #: the best practice (a narrative block) the image illustrates
    block = models.ForeignKey(
        "narratives.Block", on_delete=models.PROTECT, null=True, blank=True,
        related_name="images",
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
