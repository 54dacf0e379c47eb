"""What evaluators decided: a value per (office, framework node, round).

The fiscal year comes with the node (frameworks are versioned per year). A
rating of the framework as a whole (the ESA overall level, set by the
evaluator) has no node.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.limits import FigureField
from tidtam.orgs.models import OrgUnit


class Status(models.TextChoices):
    RATED = "rated", "ประเมินแล้ว"
    NOT_APPLICABLE = "not_applicable", "ไม่ประเมิน (ไม่เกี่ยวข้อง)"
    MONITORED = "monitored", "ติดตามแต่ไม่ประเมินผล"
    IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
    UNSCORED = "unscored", "ไม่มีผลการประเมิน"


class Round(models.TextChoices):
    SIX_MONTHS = "6m", "รอบ 6 เดือน"
    TWELVE_MONTHS = "12m", "รอบ 12 เดือน"
    YEAR = "year", "ทั้งปี"


class Rating(models.Model):
    org = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="ratings"
    )
    framework = models.ForeignKey(
        Framework, verbose_name="กรอบการประเมิน", on_delete=models.PROTECT, related_name="ratings"
    )
    node = models.ForeignKey(
        FrameworkNode, verbose_name="ตัวชี้วัด",
        on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    round = models.CharField("รอบ", max_length=8, choices=Round.choices)
    status = models.CharField("สถานะ", max_length=16, choices=Status.choices, default=Status.RATED)
    level = models.PositiveSmallIntegerField("ระดับคุณภาพ", null=True, blank=True)
    # The evaluator's override of the framework's target for this office; the
    # result it is compared with is an observation (tidtam.evaluation.actuals).
    target_value = FigureField("ค่าเป้าหมาย", max_digits=14, decimal_places=4, null=True, blank=True)
    note = models.TextField("หมายเหตุ", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ผู้ประเมิน",
        on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField("แก้ไขล่าสุดเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "ผลการประเมิน"
        verbose_name_plural = "ผลการประเมิน"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "node", "round"], condition=Q(node__isnull=False),
                name="rating_unique_node",
            ),
            models.UniqueConstraint(
                fields=["org", "framework", "round"], condition=Q(node__isnull=True),
                name="rating_unique_overall",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="rating_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        what = self.node.code if self.node else "ภาพรวม"
        return f"{self.org.code} {self.framework.code} {what} {self.round}: {self.level}"

    def audit_values(self) -> dict[str, object]:
        """What the audit log keeps of a rating, before and after each change."""
        return {
            "level": self.level, "status": self.status,
            "target": str(self.target_value) if self.target_value is not None else None,
            "note": self.note,
        }


class Recommendation(models.Model):
    """The evaluator's paragraph to an office about one indicator."""

    org = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="recommendations"
    )
    node = models.ForeignKey(FrameworkNode, verbose_name="ตัวชี้วัด", on_delete=models.PROTECT)
    text = models.TextField("ข้อเสนอแนะ")
    updated_at = models.DateTimeField("แก้ไขล่าสุดเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "ข้อเสนอแนะ"
        verbose_name_plural = "ข้อเสนอแนะ"
        constraints = [
            models.UniqueConstraint(fields=["org", "node"], name="recommendation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.org.code} {self.node.code}"
