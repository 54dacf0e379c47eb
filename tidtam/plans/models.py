"""An area office's action plan (แผนปฏิบัติการ) and what became of it.

A plan belongs to one office and fiscal year; its projects carry a budget,
activities and indicators; budget execution is kept per category; progress is
reported per project and quarter. Every figure a report shows is computed
from these rows. Where an imported document printed a figure of its own
(an achieved flag, a remainder, an amount in words), the printed value is
kept beside the data in a ``printed_*`` field so that ``tidtam.plans.checks``
can flag the contradiction instead of silently repeating or dropping it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from tidtam.limits import FigureField
from tidtam.orgs.models import OrgUnit
from tidtam.plans.money import baht_words

HUNDRED = Decimal(100)
PERCENT_UNIT = "ร้อยละ"


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """Exact percentage (rounded only when shown); ``None`` when there is no whole."""
    if not whole:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


class Plan(models.Model):
    office = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="plans",
                               verbose_name="หน่วยงาน")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    title = models.CharField("ชื่อแผน", max_length=255)
    introduction = models.TextField("บทนำ", blank=True)
    next_year_direction = models.TextField("ทิศทางการดำเนินงานปีถัดไป", blank=True)
    problems = models.TextField("ปัญหา อุปสรรค", blank=True)
    suggestions = models.TextField("ข้อเสนอแนะ", blank=True)
    context = models.JSONField("ข้อมูลพื้นฐาน (ตาราง)", default=list, blank=True)
    # The kinds of alignment tag used this year ({"national_strategy": "ยุทธศาสตร์ชาติ", ...}):
    # they change with governments and years, so they are data, not choices in code.
    alignment_kinds = models.JSONField("ประเภทความสอดคล้อง", default=dict, blank=True)
    # What the source document stated about the plan as a whole (checked, never trusted).
    printed_indicator_count = models.PositiveIntegerField(
        "จำนวนตัวชี้วัดที่ระบุ", null=True, blank=True
    )
    printed_achieved_count = models.PositiveIntegerField(
        "จำนวนที่บรรลุที่ระบุ", null=True, blank=True
    )
    printed_achievement_pct = FigureField("ร้อยละที่ระบุ", max_digits=7, decimal_places=2,
                                          null=True, blank=True)
    printed_budget_totals = models.JSONField("ยอดรวมงบประมาณที่ระบุ", default=dict, blank=True)
    # Figures the document stated with their parts: {"kind": "sum", "stated", "parts":
    # [[label, value], ...]} or {"kind": "ratio", "part", "whole", "stated"} (a percentage).
    statements = models.JSONField("ตัวเลขที่ระบุพร้อมส่วนประกอบ", default=list, blank=True)

    class Meta:
        verbose_name = "แผนปฏิบัติการ"
        verbose_name_plural = "แผนปฏิบัติการ"
        ordering = ["-fiscal_year", "office__path"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year"], name="plan_office_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.fiscal_year})"

    # --- indicators -------------------------------------------------------
    def indicators(self) -> list[PlanIndicator]:
        """Every indicator, a template-bound one with the figures the store holds for it."""
        from tidtam.plans.figures import with_observations

        return with_observations(self, list(
            PlanIndicator.objects.filter(project__plan=self)
            .select_related("project", "activity", "template")
            .order_by("project__number", "order")))

    def achievement(self) -> Achievement:
        """The plan's achievement rate computed from its indicators, never from a printed count."""
        assessed = [i for i in self.indicators() if i.achieved() is not None]
        achieved = [i for i in assessed if i.achieved()]
        missed = [i for i in assessed if not i.achieved()]
        return Achievement(len(assessed), len(achieved), missed)

    # --- budget -----------------------------------------------------------
    def budget_total(self) -> Decimal:
        return sum((p.budget for p in self.projects.all()), Decimal(0))

    def budget_lines_in_total(self) -> list[BudgetLine]:
        return [line for line in self.budget_lines.all() if line.in_total]

    def execution_totals(self) -> dict[str, Decimal | None]:
        """Table 13's "รวมทั้งสิ้น" row, summed from its lines so it cannot disagree with them."""
        lines = self.budget_lines_in_total()
        allocated = sum((line.allocated for line in lines), Decimal(0))
        disbursed = sum((line.disbursed for line in lines), Decimal(0))
        return {
            "allocated": allocated,
            "disbursed": disbursed,
            "remaining": allocated - disbursed,
            "pct": percent(disbursed, allocated),
        }

    def spending_by_quarter(self) -> list[dict[str, Decimal]]:
        """Planned vs reported spending, cumulative per quarter, over all projects."""
        rows = []
        for quarter in (1, 2, 3, 4):
            projects = list(self.projects.all())
            planned = sum((p.planned_spending_until(quarter) for p in projects), Decimal(0))
            spent = sum((p.spent_until(quarter) for p in projects), Decimal(0))
            rows.append({"quarter": Decimal(quarter), "planned": planned, "spent": spent})
        return rows


class Achievement:
    def __init__(self, total: int, achieved: int, missed: list[PlanIndicator]) -> None:
        self.total = total
        self.achieved = achieved
        self.missed = missed

    @property
    def pct(self) -> Decimal | None:
        return percent(self.achieved, self.total)


class Project(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="แผนปฏิบัติการ", on_delete=models.CASCADE, related_name="projects"
    )
    number = models.PositiveSmallIntegerField("ลำดับ")
    title = models.CharField("ชื่อโครงการ", max_length=400)
    policy_area = models.CharField("นโยบาย/ด้าน", max_length=200, blank=True)
    group = models.ForeignKey(OrgUnit, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="plan_projects", verbose_name="กลุ่มที่รับผิดชอบ")
    group_name = models.CharField("กลุ่มที่รับผิดชอบ (ข้อความ)", max_length=255, blank=True)
    owner_name = models.CharField("ผู้รับผิดชอบโครงการ", max_length=255, blank=True)
    objectives = models.TextField("วัตถุประสงค์", blank=True)
    # {"national_strategy": [...], "obec_policy": [...], ...}: the tag kinds are data per year.
    alignment = models.JSONField("ความสอดคล้อง", default=dict, blank=True)
    budget = FigureField("งบประมาณ (บาท)", max_digits=14, decimal_places=2,
                                 default=Decimal(0))
    printed_budget_words = models.CharField("จำนวนเงินเป็นตัวอักษรที่ระบุในเอกสาร", max_length=255,
                                            blank=True)
    # Planned spending per quarter (baht); when all are zero the budget is spread evenly.
    planned_q1 = FigureField(
        "แผนการใช้จ่าย ไตรมาส 1", max_digits=14, decimal_places=2, default=Decimal(0)
    )
    planned_q2 = FigureField(
        "แผนการใช้จ่าย ไตรมาส 2", max_digits=14, decimal_places=2, default=Decimal(0)
    )
    planned_q3 = FigureField(
        "แผนการใช้จ่าย ไตรมาส 3", max_digits=14, decimal_places=2, default=Decimal(0)
    )
    planned_q4 = FigureField(
        "แผนการใช้จ่าย ไตรมาส 4", max_digits=14, decimal_places=2, default=Decimal(0)
    )
    results = models.TextField("ผลการดำเนินงาน", blank=True)
    problems = models.TextField("ปัญหา อุปสรรค", blank=True)
    suggestions = models.TextField("ข้อเสนอแนะ", blank=True)
    class Meta:
        verbose_name = "โครงการ"
        verbose_name_plural = "โครงการ"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_plan_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def budget_words(self) -> str:
        """The amount in Thai words, always generated from the amount."""
        return baht_words(self.budget)

    @property
    def responsible_group(self) -> str:
        return self.group.name_th if self.group else self.group_name

    def planned_by_quarter(self) -> list[Decimal]:
        planned = [self.planned_q1, self.planned_q2, self.planned_q3, self.planned_q4]
        if any(planned):
            return planned
        even = self.budget / 4
        return [even, even, even, self.budget - 3 * even]

    def planned_spending_until(self, quarter: int) -> Decimal:
        return sum(self.planned_by_quarter()[:quarter], Decimal(0))

    def figured_indicators(self) -> list[PlanIndicator]:
        """The project's indicators, a template-bound one with its figures from the store."""
        from tidtam.plans.figures import with_observations

        return with_observations(self.plan, list(
            self.indicators.select_related("activity", "template")))

    def progress_for(self, quarter: int) -> QuarterProgress | None:
        return next((p for p in self.progress.all() if p.quarter == quarter), None)

    def spent_until(self, quarter: int) -> Decimal:
        """Money spent up to the end of a quarter (each report carries its quarter's spending)."""
        return sum((p.money_spent for p in self.progress.all() if p.quarter <= quarter), Decimal(0))


class Activity(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="activities"
    )
    number = models.PositiveSmallIntegerField("กิจกรรมที่")
    title = models.CharField("ชื่อกิจกรรม", max_length=400)
    planned_quarter = models.PositiveSmallIntegerField("ไตรมาสที่วางแผน", null=True, blank=True)

    class Meta:
        verbose_name = "กิจกรรม"
        verbose_name_plural = "กิจกรรม"
        ordering = ["project", "number"]

    def __str__(self) -> str:
        return f"กิจกรรมที่ {self.number} {self.title}"


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "ไม่น้อยกว่า"
    AT_MOST = "<=", "ไม่เกิน"


class PlanIndicator(models.Model):
    """An indicator of a project or of one of its activities: target vs actual.

    An indicator adopted from OBEC's templates (``template``, a node of the
    year's ``plan`` framework) reads its count and denominator from the
    observation store — the figures the office reported once, to e-MES or the
    inspection — and stores none of its own; ``tidtam.plans.figures`` puts
    them on the indicator when the plan's indicators are read. An indicator of
    the office's own keeps its figures on the row: nobody else asks for them.
    """

    project = models.ForeignKey(
        Project, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="indicators"
    )
    activity = models.ForeignKey(Activity, verbose_name="กิจกรรม", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="indicators")
    template = models.ForeignKey("frameworks.FrameworkNode", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="plan_indicators",
                                 verbose_name="ตัวชี้วัดแม่แบบ")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    name = models.TextField("ตัวชี้วัด")
    target_value = FigureField("ค่าเป้าหมาย", max_digits=14, decimal_places=2)
    target_unit = models.CharField("หน่วยของเป้าหมาย", max_length=40, default=PERCENT_UNIT)
    comparator = models.CharField("การเทียบกับเป้าหมาย", max_length=2, choices=Comparator.choices,
                                  default=Comparator.AT_LEAST)
    actual_value = FigureField("ผลการดำเนินงาน", max_digits=14, decimal_places=2,
                                       null=True, blank=True)
    actual_unit = models.CharField("หน่วยของผล", max_length=40, default=PERCENT_UNIT)
    count = models.PositiveIntegerField("จำนวน (ตัวตั้ง)", null=True, blank=True)
    count_unit = models.CharField("หน่วยของจำนวน", max_length=40, blank=True)
    denominator = models.PositiveIntegerField("จากทั้งหมด (ตัวหาร)", null=True, blank=True)
    printed_achieved = models.BooleanField("บรรลุตามที่ระบุในเอกสาร", null=True, blank=True)
    source = models.CharField("ที่มา", max_length=80, blank=True)

    #: (count ids, denominator ids) of the observations a template-bound indicator read
    observation_ids: tuple[list[int], list[int]] = ([], [])

    class Meta:
        verbose_name = "ตัวชี้วัดโครงการ"
        verbose_name_plural = "ตัวชี้วัดโครงการ"
        ordering = ["project", "order"]
        constraints = [
            # One copy of each figure: a template-bound indicator's are observations.
            models.CheckConstraint(
                condition=models.Q(template__isnull=True) | models.Q(
                    count__isnull=True, denominator__isnull=True, actual_value__isnull=True),
                name="plan_indicator_figures_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return "กิจกรรม" if self.activity_id else "โครงการ"

    def count_pct(self) -> Decimal | None:
        """The percentage the count and denominator give, when both are known."""
        if self.count is None or not self.denominator:
            return None
        return percent(self.count, self.denominator)

    def result(self) -> Decimal | None:
        """The figure compared with the target.

        A percentage target is judged on count/denominator when they are
        known (the printed percentage may be wrong: 003 L3238), else on the
        stated percentage. A target in units (38 คน, 3 ห้อง) reported as a
        percentage done is judged as that share of the target.
        """
        if self.target_unit == PERCENT_UNIT:
            from_counts = self.count_pct()
            if from_counts is not None:
                return from_counts
            return self.actual_value if self.actual_unit == PERCENT_UNIT else None
        if self.actual_value is None:
            return None
        if self.actual_unit == PERCENT_UNIT:
            return self.actual_value * self.target_value / HUNDRED
        return self.actual_value

    def achieved(self) -> bool | None:
        value = self.result()
        if value is None:
            return None
        if self.comparator == Comparator.AT_MOST:
            return value <= self.target_value
        return value >= self.target_value

    def shortfall(self) -> Decimal | None:
        """How far from the target (0 when achieved), in the target's unit."""
        value = self.result()
        if value is None:
            return None
        if self.comparator == Comparator.AT_LEAST:
            gap = self.target_value - value
        else:
            gap = value - self.target_value
        return max(gap, Decimal(0))


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", "งบบุคลากร"
    OPERATING = "operating", "งบดำเนินงาน"
    SUBSIDY = "subsidy", "งบอุดหนุน"
    INVESTMENT = "investment", "งบลงทุน"
    OTHER = "other", "งบรายจ่ายอื่น"
    CENTRAL = "central", "งบกลาง"


class BudgetLine(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="แผนปฏิบัติการ", on_delete=models.CASCADE, related_name="budget_lines"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    category = models.CharField("หมวดงบ", max_length=16, choices=BudgetCategory.choices)
    label = models.CharField("รายการ", max_length=200, blank=True)
    allocated = FigureField("ได้รับจัดสรร", max_digits=16, decimal_places=2)
    disbursed = FigureField("เบิกแล้ว", max_digits=16, decimal_places=2)
    # 003 prints the central reserve below the total, outside it.
    in_total = models.BooleanField("รวมในยอดรวม", default=True)
    printed_remaining = FigureField(
        "คงเหลือตามที่พิมพ์ในเอกสาร", max_digits=16, decimal_places=2, null=True, blank=True
    )
    printed_pct = FigureField(
        "ร้อยละตามที่พิมพ์ในเอกสาร", max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "ผลการเบิกจ่ายตามหมวดงบ"
        verbose_name_plural = "ผลการเบิกจ่ายตามหมวดงบ"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or self.get_category_display()

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.disbursed

    @property
    def pct(self) -> Decimal | None:
        return percent(self.disbursed, self.allocated)


class ProgressState(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = "submitted", "ส่งแล้ว"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    ACCEPTED = "accepted", "รับรองแล้ว"


class QuarterProgress(models.Model):
    """A project's progress in one quarter, as reported to the planning group and eMENSCR."""

    project = models.ForeignKey(
        Project, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="progress"
    )
    quarter = models.PositiveSmallIntegerField("ไตรมาส")
    activities_done = models.TextField("กิจกรรมที่ดำเนินการ", blank=True)
    money_spent = FigureField("เงินที่ใช้ในไตรมาส (บาท)", max_digits=14, decimal_places=2,
                                      default=Decimal(0))
    indicator_actuals = models.JSONField("ผลตัวชี้วัดถึงปัจจุบัน", default=dict, blank=True,
                                         help_text='{"<indicator id>": "ค่า"}')
    problems = models.TextField("ปัญหา อุปสรรค", blank=True)
    state = models.CharField("สถานะ", max_length=16, choices=ProgressState.choices,
                             default=ProgressState.DRAFT)
    comment = models.TextField("ความเห็นของกลุ่มนโยบายและแผน", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="แก้ไขโดย",
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField("แก้ไขล่าสุดเมื่อ", default=timezone.now)
    # Each save adds one; a save against an older version is refused (two people
    # entering the same quarter), as narratives are.
    version = models.PositiveIntegerField("ฉบับที่", default=0)

    class Meta:
        verbose_name = "ความก้าวหน้ารายไตรมาส"
        verbose_name_plural = "ความก้าวหน้ารายไตรมาส"
        ordering = ["project", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["project", "quarter"], name="progress_project_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4),
                                   name="progress_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ไตรมาส {self.quarter}"

    @property
    def editable(self) -> bool:
        return self.state in (ProgressState.DRAFT, ProgressState.RETURNED)
