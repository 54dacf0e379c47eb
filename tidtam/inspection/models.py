"""Inspection reports (form รต.): the framework, units' entries, compiled reports.

The framework (policies → issues → numbered questions, and the five fixed
sub-sections) is a framework like the Quick Policy's, loaded by the frameworks
loader from ``frameworks/fixtures/fy<year>/inspection.yaml``. Units write
*entries*; a provincial or regional office compiles them into a *report*
whose lines (``Placement``) point back at the entry, so every paragraph of
the printed report keeps its unit, author and time.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from tidtam.frameworks.models import Framework, FrameworkNode, Layout
from tidtam.limits import FigureField
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.thai.dates import fiscal_year_bounds
from tidtam.thai.numbers import fmt_decimal


class Level(models.TextChoices):
    PROVINCE = "province", "จังหวัด"
    REGION = "region", "ภาค"


ALL_LEVELS = [Level.PROVINCE.value, Level.REGION.value]


class InspectionFrameworkManager(models.Manager["InspectionFramework"]):
    def get_queryset(self) -> models.QuerySet[InspectionFramework]:
        return super().get_queryset().filter(layout=Layout.INSPECTION)


class InspectionFramework(Framework):
    """The inspection form as a framework: one metamodel for every document.

    Stored as a :class:`~tidtam.frameworks.models.Framework` of layout
    ``inspection`` (loaded by the frameworks loader from
    ``frameworks/fixtures/fy<year>/inspection.yaml``); its nodes are the
    policies (depth 0), issues (1), questions (2) and their sub-types (3).
    This proxy gives them the form's own words.
    """

    # Framework's manager type is its queryset's; the proxy's narrows it to the form.
    objects: ClassVar[InspectionFrameworkManager] = InspectionFrameworkManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = "กรอบการตรวจราชการ"
        verbose_name_plural = "กรอบการตรวจราชการ"

    def __str__(self) -> str:
        return f"{self.form or self.title} ปีงบประมาณ {self.year}"

    @property
    def year(self) -> int:
        return self.fiscal_year

    @property
    def title(self) -> str:
        return self.name_th

    @property
    def form(self) -> str:
        """"แบบ รต.66": the form's short name."""
        return self.abbr

    def section(self, key: str) -> dict[str, Any]:
        for s in self.sections:
            if s["key"] == key:
                return dict(s)
        raise KeyError(key)

    def section_keys(self) -> list[str]:
        return [s["key"] for s in self.sections]

    @property
    def policies(self) -> models.QuerySet[Policy]:
        return Policy.objects.filter(framework=self).order_by("position")

    def issues(self) -> models.QuerySet[Issue]:
        return Issue.objects.filter(framework=self).select_related("parent").order_by("position")

    def questions_by_number(self) -> dict[tuple[str, str], Question]:
        """Every question and sub-type by (issue code, number as printed)."""
        return {(q.issue_code, q.number): q
                for q in Question.objects.filter(framework=self).order_by("position")}


class _DepthManager(models.Manager[Any]):
    """The inspection form's nodes of one depth (policies 0, issues 1, questions 2–3).

    The depths are a class attribute: related managers (``report.omitted_issues``)
    subclass the manager and build it without arguments.
    """

    depths: tuple[int, ...] = ()

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(
            framework__layout=Layout.INSPECTION, depth__in=self.depths)


class _Policies(_DepthManager):
    depths = (0,)


class _Issues(_DepthManager):
    depths = (1,)


class _Questions(_DepthManager):
    depths = (2, 3)


class Policy(FrameworkNode):
    objects: ClassVar[_Policies] = _Policies()

    class Meta:
        proxy = True
        verbose_name = "นโยบาย"
        verbose_name_plural = "นโยบาย"

    def __str__(self) -> str:
        return f"นโยบายที่ {self.number} {self.title}"

    @property
    def title(self) -> str:
        return self.title_th

    @property
    def issues(self) -> models.QuerySet[Issue]:
        return Issue.objects.filter(parent=self).order_by("position")


class Issue(FrameworkNode):
    objects: ClassVar[_Issues] = _Issues()

    class Meta:
        proxy = True
        verbose_name = "ประเด็นการตรวจราชการ"
        verbose_name_plural = "ประเด็นการตรวจราชการ"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_th

    @property
    def policy(self) -> Policy:
        assert self.parent_id is not None
        return Policy.objects.get(pk=self.parent_id)

    @property
    def form(self) -> InspectionFramework:
        """The inspection form the issue belongs to (``framework`` is the plain Framework)."""
        return InspectionFramework.objects.get(pk=self.framework_id)

    @property
    def questions(self) -> models.QuerySet[Question]:
        """Every question of the issue, sub-types too, in the form's order."""
        return Question.objects.filter(
            models.Q(parent=self) | models.Q(parent__parent=self)).order_by("position")

    def questions_for(self, level: str) -> list[Question]:
        """Top-level questions asked at ``level``, with their sub-types prefetched."""
        subtypes = models.Prefetch("children", queryset=Question.objects.order_by("position"),
                                   to_attr="subtype_list")
        return [
            q for q in Question.objects.filter(parent=self).order_by("position")
            .prefetch_related(subtypes)
            if level in q.levels
        ]


class Question(FrameworkNode):
    """A numbered question of an issue (depth 2) or one of its sub-types (depth 3)."""

    objects: ClassVar[_Questions] = _Questions()

    class Meta:
        proxy = True
        verbose_name = "คำถาม"
        verbose_name_plural = "คำถาม"

    def __str__(self) -> str:
        return f"{self.issue.code} {self.number}) {self.text[:60]}"

    @property
    def text(self) -> str:
        return self.title_th

    @property
    def is_subtype(self) -> bool:
        return self.depth == 3

    @property
    def issue_code(self) -> str:
        """The code of the issue asked: a question's code is ``<issue>/<number>``."""
        return self.code.partition("/")[0]

    @property
    def issue(self) -> Issue:
        return Issue.objects.get(framework_id=self.framework_id, code=self.issue_code)

    def asks(self, issue: FrameworkNode) -> bool:
        """Whether this question (or sub-type) is one of ``issue``'s."""
        return self.framework_id == issue.framework_id and self.issue_code == issue.code

    @property
    def subtypes(self) -> list[Question]:
        prefetched = getattr(self, "subtype_list", None)
        if prefetched is not None:
            return list(prefetched)
        return list(Question.objects.filter(parent=self).order_by("position"))

    @property
    def printed(self) -> str:
        """The question as printed: "1) text (definition)" (``label`` is the node's prefix)."""
        definition = f" ({self.definition})" if self.definition else ""
        return f"{self.number}) {self.text}{definition}"


class EntryKind(models.TextChoices):
    TEXT = "text", "ข้อความ"
    MODEL = "model", "รูปแบบ/โมเดล (มีขั้นตอน)"
    FIGURE = "figure", "ตัวเลขพร้อมหน่วยนับ"
    IMAGE = "image", "ภาพ"
    DATE = "date", "กิจกรรมพร้อมวันที่"
    PROBLEM = "problem", "ปัญหา/อุปสรรค และแนวทางแก้ไข"
    NONE = "none", "ไม่มี"


def _image_path(entry: Entry, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"inspection/{entry.framework.year}/{uuid.uuid4().hex}{suffix}"


class Entry(models.Model):
    """One answer of one unit: a paragraph, a model with steps, a figure, an image, …

    ``kind == none`` is the unit's explicit "ไม่มี", which a completeness check
    counts as an answer; no entry at all is "not answered".
    """

    framework = models.ForeignKey(InspectionFramework, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField("รอบ", default=2)
    province = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"type": OrgType.PROVINCE},
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="inspection_entries")
    # An imported paragraph of a unit the tree doesn't have: filed under the office
    # that reported it (``unit``), printed and shown under the name the document gave.
    unit_name = models.CharField("ชื่อหน่วยงานตามเอกสาร", max_length=255, blank=True)
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    section = models.CharField(max_length=32)
    part = models.CharField(max_length=16, blank=True)  # suggestions: "area" | "policy"
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True,
        related_name="question_entries"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices, default=EntryKind.TEXT)
    title = models.CharField("ชื่อ", max_length=300, blank=True)
    text = models.TextField("รายละเอียด", blank=True)
    steps = models.JSONField(default=list, blank=True)
    solutions = models.JSONField(default=list, blank=True)
    value = FigureField(max_digits=18, decimal_places=4, null=True, blank=True)
    value_unit = models.CharField("หน่วยนับ", max_length=60, blank=True)
    day = models.DateField("วันที่", null=True, blank=True)
    image = models.FileField(upload_to=_image_path, blank=True)
    is_final = models.BooleanField("ส่งแล้ว", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "ข้อมูลที่หน่วยงานรายงาน"
        verbose_name_plural = "ข้อมูลที่หน่วยงานรายงาน"
        ordering = ["issue__position", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.issue.code} {self.section}"

    @property
    def speaker(self) -> str:
        """Who the paragraph speaks for: the unit, or the name an import found for it."""
        return self.unit_name or self.unit.name_th

    @property
    def where(self) -> str:
        """"ประเด็น 3.1 · ความก้าวหน้าของการดำเนินงานตามนโยบาย": the issue and sub-section."""
        try:
            title = self.framework.section(self.section)["title"].split("{issue}")[0].strip()
        except KeyError:
            title = ""
        return f"ประเด็น {self.issue.code} · {title}".strip(" ·")

    def outside_year(self) -> bool:
        if self.day is None:
            return False
        first, last = fiscal_year_bounds(self.framework.year)
        return not first <= self.day <= last

    def value_display(self) -> str:
        """The figure as printed: whole numbers without decimals, others half-up to 2 places."""
        if self.value is None:
            return ""
        places = 0 if self.value == self.value.to_integral_value() else 2
        return f"{fmt_decimal(self.value, places, grouping=True)} {self.value_unit}".rstrip()

    def normalized_text(self) -> str:
        """The text compared when looking for the same paragraph sent by two units."""
        return " ".join(self.text.split())


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "กำลังรวบรวม"
    SENT = "sent", "ส่งแล้ว"


class InspectionReport(models.Model):
    """A province's report (compiled by its ศธจ.) or a region's (by its ศธภ.)."""

    framework = models.ForeignKey(
        InspectionFramework, verbose_name="กรอบการตรวจราชการ", on_delete=models.CASCADE,
        related_name="inspection_reports",
    )
    round = models.PositiveSmallIntegerField("รอบ", default=2)
    org = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT,
        related_name="inspection_reports"
    )
    level = models.CharField("ระดับ", max_length=16, choices=Level.choices)
    status = models.CharField("สถานะ",
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    omitted_issues = models.ManyToManyField(
        Issue, verbose_name="ประเด็นที่ไม่รายงาน", blank=True, related_name="+"
    )
    sent_at = models.DateTimeField("ส่งเมื่อ", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ผู้ส่ง",
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "รายงานผลการตรวจราชการ"
        verbose_name_plural = "รายงานผลการตรวจราชการ"
        unique_together = [("framework", "round", "org")]

    def __str__(self) -> str:
        org, year = self.org.display_name, self.framework.year
        return f"รายงานการตรวจราชการ {org} รอบที่ {self.round}/{year}"

    @property
    def province(self) -> OrgUnit | None:
        """The province a provincial report covers (the ศธจ. sits under its province)."""
        if self.level != Level.PROVINCE:
            return None
        unit: OrgUnit | None = self.org
        while unit is not None and unit.type != OrgType.PROVINCE:
            unit = unit.parent
        return unit

    @property
    def area_phrase(self) -> str:
        """Where the report's units are, as the seeds' opening sentences say it."""
        province = self.province
        if province is not None:
            return province.name_th
        return f"พื้นที่{self.org.name_th}"

    @property
    def is_sent(self) -> bool:
        return self.status == ReportStatus.SENT

    def included_issues(self) -> list[Issue]:
        omitted = set(self.omitted_issues.values_list("pk", flat=True))
        return [i for i in self.framework.issues() if i.pk not in omitted]


class Placement(models.Model):
    """One line of a compiled report: an entry (or a province's line) in its place.

    ``text`` starts as the entry's text and is what the compiler edits; the
    entry itself is never changed by compiling. A placement marked
    ``duplicate_of`` another is not printed, and its unit is named beside the
    one it duplicates.
    """

    report = models.ForeignKey(
        InspectionReport, on_delete=models.CASCADE, related_name="placements"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="placements")
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="the province's line this regional line was taken from",
    )
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ย่อหน้าในรายงานตรวจราชการ"
        verbose_name_plural = "ย่อหน้าในรายงานตรวจราชการ"
        ordering = ["order", "pk"]
        unique_together = [("report", "entry")]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.entry_id}@{self.order}"

    def unit_names(self) -> list[str]:
        """The names of every unit this line speaks for (as ``units``, with imported names)."""
        own = self.source.unit_names() if self.source is not None else [self.entry.speaker]
        for dup in self.duplicates.all():
            own += [n for n in dup.unit_names() if n not in own]
        return own

    def units(self) -> list[OrgUnit]:
        """Every unit this line speaks for: its own, its source's and its duplicates'."""
        own = self.source.units() if self.source is not None else [self.entry.unit]
        seen = {u.pk for u in own}
        for dup in self.duplicates.all():
            for u in dup.units():
                if u.pk not in seen:
                    seen.add(u.pk)
                    own.append(u)
        return own
