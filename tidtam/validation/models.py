"""Validation rules as data, in the spirit of DHIS2: left side, operator, right side, severity.

Rules are loaded from YAML fixtures per fiscal year (see ``loader.py``) and
refer to reported figures by their data-element key ``<node>.<element>``;
nothing here knows an indicator. The engine (``engine.py``) runs them when a
value is saved, before a submission is sent, and over imported documents.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from tidtam.frameworks.models import Framework
from tidtam.validation.expressions import Expr, parse_expression, references


class Operator(models.TextChoices):
    EQ = "==", "เท่ากับ"
    NE = "!=", "ไม่เท่ากับ"
    LT = "<", "น้อยกว่า"
    LE = "<=", "ไม่เกิน"
    GT = ">", "มากกว่า"
    GE = ">=", "ไม่น้อยกว่า"


class Severity(models.TextChoices):
    # An error blocks submission; a warning lets it through once the reporter
    # has written a reason (e.g. a plan approved just before the year began).
    ERROR = "error", "ข้อผิดพลาด (ต้องแก้ไขก่อนส่ง)"
    WARNING = "warning", "คำเตือน (ส่งได้เมื่อระบุเหตุผล)"


class Kind(models.TextChoices):
    """What a rule checks, for grouping and display; the expressions do the work."""

    SUM = "sum", "ผลรวมรายการย่อยกับยอดรวม"
    RATIO = "ratio", "ร้อยละ/อัตราส่วนตรงกับจำนวน"
    RANGE = "range", "ค่าอยู่ในช่วงที่เป็นไปได้"
    COUNT_LIST = "count_list", "จำนวนรายการที่ระบุชื่อตรงกับจำนวนที่รายงาน"
    DATE_IN_FY = "date_in_fy", "วันที่อยู่ในปีงบประมาณ"
    OTHER = "other", "อื่น ๆ"


class MissingPolicy(models.TextChoices):
    """What to do when a value the rule reads is not filled in (DHIS2's missing-value strategy)."""

    SKIP = "skip", "ข้ามกฎนี้เมื่อยังกรอกข้อมูลไม่ครบ"
    ERROR = "error", "แจ้งว่ายังกรอกข้อมูลไม่ครบ"
    # Report only a half-answered set (a stated count without its list), not
    # an indicator the office has not started or that does not apply to it.
    ERROR_IF_PARTIAL = "error_if_partial", "แจ้งเมื่อกรอกข้อมูลบางรายการแล้วแต่ยังไม่ครบ"


class ValidationRule(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name="กรอบการประเมิน",
        on_delete=models.CASCADE, related_name="validation_rules"
    )
    code = models.CharField("รหัสกฎ", max_length=128)
    name_th = models.CharField("ชื่อกฎ", max_length=500)
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices, default=Kind.OTHER)
    left = models.TextField("นิพจน์ด้านซ้าย")
    operator = models.CharField("ตัวดำเนินการ", max_length=2, choices=Operator.choices)
    right = models.TextField("นิพจน์ด้านขวา")
    tolerance = models.DecimalField(
        "ค่าคลาดเคลื่อนที่ยอมรับ", max_digits=14, decimal_places=4, default=Decimal(0),
        help_text="ใช้กับ == และ != (สำหรับวันที่ หน่วยเป็นวัน)",
    )
    severity = models.CharField("ระดับ", max_length=8, choices=Severity.choices)
    missing = models.CharField(
        "เมื่อข้อมูลไม่ครบ", max_length=16, choices=MissingPolicy.choices,
        default=MissingPolicy.SKIP,
    )
    message_th = models.TextField(
        "ข้อความแจ้งผู้รายงาน",
        help_text="ใส่ {left} {right} {difference} เพื่อแสดงค่าจริง",
    )
    active = models.BooleanField("ใช้งาน", default=True)
    position = models.PositiveIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "กฎตรวจสอบข้อมูล"
        verbose_name_plural = "กฎตรวจสอบข้อมูล"
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="validation_rule_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def left_expr(self) -> Expr:
        return parse_expression(self.left)

    @property
    def right_expr(self) -> Expr:
        return parse_expression(self.right)

    @property
    def keys(self) -> tuple[str, ...]:
        """The data-element keys the rule reads, so a finding can sit beside those fields."""
        return tuple(dict.fromkeys([*references(self.left), *references(self.right)]))
