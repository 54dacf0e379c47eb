"""Frameworks as data: what offices are evaluated against, per fiscal year.

A framework (the Quick Policy, the Action Plan indicators, the ESA standards)
is a tree of nodes loaded from YAML fixtures. Each node says how it is scored
and whom it applies to; a band table turns averages into labels. Nothing here
knows any indicator code: a new year or framework is new data.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import models

from tidtam.measures.models import Measure, PeriodType
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.thai.numbers import quantize


class BandTable(models.Model):
    code = models.CharField("รหัส", max_length=64, unique=True)
    name_th = models.CharField("ชื่อ", max_length=255)

    class Meta:
        verbose_name = "เกณฑ์การแปลผล"
        verbose_name_plural = "เกณฑ์การแปลผล"

    def __str__(self) -> str:
        return self.name_th

    def classify(self, value: Decimal) -> Band:
        return classify(list(self.bands.all()), value)


class Band(models.Model):
    """One row of a band table: value ≥ min (or > min when exclusive) → level/label."""

    table = models.ForeignKey(
        BandTable, verbose_name="เกณฑ์การแปลผล", on_delete=models.CASCADE, related_name="bands"
    )
    level = models.PositiveSmallIntegerField("ระดับ")
    label_th = models.CharField("ผลการประเมิน", max_length=64)
    min_value = models.DecimalField(
        "ค่าต่ำสุด", max_digits=6, decimal_places=2, null=True, blank=True
    )
    min_inclusive = models.BooleanField("รวมค่าต่ำสุดด้วย", default=True)
    position = models.PositiveSmallIntegerField("ลำดับ")

    class Meta:
        verbose_name = "ช่วงคะแนน"
        verbose_name_plural = "ช่วงคะแนน"
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "position"], name="band_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.label_th}"

    def contains(self, value: Decimal) -> bool:
        if self.min_value is None:
            return True
        return value >= self.min_value if self.min_inclusive else value > self.min_value


def classify(bands: Sequence[Band], value: Decimal) -> Band:
    """The band an average falls in, judged on the average as printed.

    The average is first rounded half-up to 2 decimals, so a reader who checks
    the printed figure against the band table always reaches the same label.
    Bands are tried from the top; the last one catches everything below.
    """
    shown = quantize(value, 2)
    for band in bands:
        if band.contains(shown):
            return band
    return bands[-1]


class Layout(models.TextChoices):
    ROUNDS = "rounds", "ตารางระดับคุณภาพรายรอบ"
    RATED_AND_TARGET = "rated_and_target", "ตารางระดับคุณภาพและตารางเทียบค่าเป้าหมาย"
    TREE = "tree", "ตารางมาตรฐานแบบลำดับชั้น"
    # Not a block of the result sheet: templates an office's action plan adopts.
    PLAN = "plan", "ตัวชี้วัดแม่แบบของแผนปฏิบัติการ"
    # Not rated either: the inspection form (รต.) — policies → issues → questions → sub-types,
    # each issue answered in the framework's fixed ``sections``.
    INSPECTION = "inspection", "แบบรายงานการตรวจราชการ"


class OverallMethod(models.TextChoices):
    MEAN = "mean", "ค่าเฉลี่ยของตัวชี้วัดที่ประเมิน"
    EVALUATOR = "evaluator", "ผู้ประเมินกำหนดระดับ (ระบบคำนวณข้อเสนอ)"


#: The layouts the area-office result sheet (004) has a block for, in its order.
SHEET_LAYOUTS = (Layout.ROUNDS, Layout.RATED_AND_TARGET, Layout.TREE)


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def on_sheet(self, fiscal_year: int) -> FrameworkQuerySet:
        """The frameworks the year's result sheet prints (not plan templates)."""
        return self.filter(fiscal_year=fiscal_year, layout__in=SHEET_LAYOUTS).order_by("order")

    def submitted(self, fiscal_year: int) -> FrameworkQuerySet:
        """The frameworks offices submit against: not the inspection form (its reports differ)."""
        return self.filter(fiscal_year=fiscal_year).exclude(
            layout=Layout.INSPECTION).order_by("order")


class Framework(models.Model):
    code = models.CharField("รหัส", max_length=32)
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    name_th = models.CharField("ชื่อ", max_length=255)
    abbr = models.CharField("ชื่อย่อ", max_length=64, blank=True)
    layout = models.CharField("รูปแบบตาราง", max_length=32, choices=Layout.choices)
    rounds = models.JSONField("รอบการประเมิน", default=list)
    overall = models.CharField("วิธีคิดผลรวม", max_length=16, choices=OverallMethod.choices)
    # Empty for a form nobody is rated on (the inspection form).
    band_table = models.ForeignKey(
        BandTable, verbose_name="เกณฑ์การแปลผล", on_delete=models.PROTECT, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    node_label = models.CharField("คำเรียกรายการ", max_length=64, blank=True)
    recommendations_title_th = models.CharField("หัวข้อข้อเสนอแนะ", max_length=255, blank=True)
    #: the narrative slots each node's form shows, in order:
    #: [{"code", "kind", "level", "label"}] (kinds and levels: tidtam/narratives/fixtures)
    narrative_slots = models.JSONField("หัวข้อข้อความบรรยายในแบบรายงาน", default=list, blank=True)
    #: the inspection form's fixed sub-sections of every issue, in order:
    #: [{"key", "title", "kind", "parts": [{"key", "title", "level"}]}] — ``kind`` is the
    #: narrative block kind a section holds, a part's ``level`` the block level it files under
    sections = models.JSONField("หัวข้อย่อยของแต่ละประเด็น", default=list, blank=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = "กรอบการประเมิน"
        verbose_name_plural = "กรอบการประเมิน"
        ordering = ["fiscal_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["code", "fiscal_year"], name="framework_code_year"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ปีงบประมาณ {self.fiscal_year}"

    @property
    def full_name(self) -> str:
        return f"{self.name_th} ({self.abbr})" if self.abbr else self.name_th

    def slot(self, code: str) -> dict[str, str] | None:
        return next((s for s in self.narrative_slots if s["code"] == code), None)

    def bands(self) -> list[Band]:
        """The band table's rows, top first; none for a framework nobody is rated on."""
        return list(self.band_table.bands.all()) if self.band_table is not None else []

    def round_labels(self) -> list[tuple[str, str]]:
        """The framework's rounds with their Thai names (period types are data)."""
        names = dict(PeriodType.objects.filter(code__in=self.rounds)
                     .values_list("code", "name_th"))
        return [(r, names.get(r, r)) for r in self.rounds]

    def org_types(self) -> frozenset[str]:
        """The org types the framework evaluates: those its rated nodes apply to (data)."""
        words = {n.applies_to for n in self.nodes.all() if n.is_rated}
        return frozenset().union(*(APPLIES_TO_ORG_TYPES[AppliesTo(w)] for w in words))

    def applies(self, org: OrgUnit) -> bool:
        return org.type in self.org_types()


class Method(models.TextChoices):
    LEVELS_PER_ROUND = "levels_per_round", "ระดับคุณภาพรายรอบ"
    SINGLE_LEVEL = "single_level", "ระดับคุณภาพ"
    TARGET = "target", "เทียบค่าเป้าหมาย"
    MONITORED = "monitored", "ติดตามแต่ไม่ประเมินผล"
    AGGREGATE = "aggregate", "ระดับรวมที่ผู้ประเมินกำหนด"
    GROUP = "group", "หัวข้อ (ไม่มีระดับของตนเอง)"


class AppliesTo(models.TextChoices):
    ALL = "all", "ทุกเขตพื้นที่"
    PRIMARY = "primary", "เฉพาะ สพป."
    SECONDARY = "secondary", "เฉพาะ สพม."


# What each word of a node's ``applies_to`` means: the org types it names.
APPLIES_TO_ORG_TYPES = {
    AppliesTo.ALL: AREA_OFFICE_TYPES,
    AppliesTo.PRIMARY: frozenset({OrgType.PRIMARY_AREA}),
    AppliesTo.SECONDARY: frozenset({OrgType.SECONDARY_AREA}),
}


class Comparator(models.TextChoices):
    GTE = ">=", "ไม่น้อยกว่า"
    LTE = "<=", "ไม่เกิน"


class FrameworkNode(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name="กรอบการประเมิน", on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self", verbose_name="อยู่ภายใต้",
        on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField("รหัส", max_length=32)
    label = models.CharField("คำนำหน้า", max_length=64, blank=True)
    number = models.CharField("เลขที่", max_length=32)
    title_th = models.TextField("ชื่อ")
    method = models.CharField("วิธีประเมิน", max_length=32, choices=Method.choices)
    applies_to = models.CharField(
        "ใช้กับ", max_length=16, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    show_applicability = models.BooleanField("แสดงว่าใช้กับหน่วยงานใด", default=True)
    target_value = models.DecimalField(
        "ค่าเป้าหมาย", max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_unit = models.CharField("หน่วยของค่าเป้าหมาย", max_length=32, blank=True)
    target_comparator = models.CharField("การเทียบกับเป้าหมาย",
        max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    position = models.PositiveIntegerField(
        "ลำดับในกรอบ", help_text="ลำดับเมื่อไล่ผังจากบนลงล่าง"
    )
    depth = models.PositiveSmallIntegerField("ระดับชั้น", default=0)
    # What the inspection form's nodes carry: an issue a province may leave out (001 has
    # no 3.5–3.7), a question's definition and the report levels it is asked at.
    optional = models.BooleanField("ไม่บังคับรายงาน", default=False)
    definition = models.TextField("นิยาม", blank=True)
    levels = models.JSONField("ระดับรายงานที่ใช้", default=list, blank=True)

    class Meta:
        verbose_name = "ตัวชี้วัด/ประเด็น"
        verbose_name_plural = "ตัวชี้วัด/ประเด็น"
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="node_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.heading} {self.title_th}"

    @property
    def heading(self) -> str:
        """What the sheet prints before the title: label and number, e.g. ตัวบ่งชี้ที่ 2."""
        return f"{self.label} {self.number}".strip()

    @property
    def display_title(self) -> str:
        if self.applies_to != AppliesTo.ALL and self.show_applicability:
            return f"{self.title_th} ({AppliesTo(self.applies_to).label})"
        return self.title_th

    @property
    def is_rated(self) -> bool:
        return self.method in (
            Method.LEVELS_PER_ROUND, Method.SINGLE_LEVEL, Method.AGGREGATE, Method.TARGET
        )

    def applies(self, org: OrgUnit) -> bool:
        return org.type in APPLIES_TO_ORG_TYPES[AppliesTo(self.applies_to)]

    def achieved(self, actual: Decimal) -> bool:
        assert self.target_value is not None
        if self.target_comparator == Comparator.LTE:
            return actual <= self.target_value
        return actual >= self.target_value


class BindingRole(models.TextChoices):
    VALUE = "value", "ค่าที่รายงาน"
    NUMERATOR = "numerator", "ตัวตั้ง"
    DENOMINATOR = "denominator", "ตัวหาร"
    TOTAL = "total", "ยอดรวม"
    PART = "part", "ส่วนย่อยของยอดรวม"


class DataElementManager(models.Manager["DataElement"]):
    # A binding is always shown with its measure's type and unit: read them together,
    # also through ``node.elements`` and ``prefetch_related("elements")``.
    def get_queryset(self) -> models.QuerySet[DataElement]:
        return super().get_queryset().select_related("measure")


class DataElement(models.Model):
    """Where a framework node asks for a figure: a *binding* of a measure of the register.

    The fact itself — its type, unit, population and how it adds up — is the
    ``measure``; the binding carries what belongs to this document: the label
    it prints, whether it is required, the role the figure plays here, the
    period it asks for (empty: the document's own round) and the breakdown
    (``category``, empty for the total). Two nodes that bind the same measure
    ask for the same fact, so it is typed once. Validation rules refer to a
    binding by its key ``<node code>.<code>``.
    """

    node = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(max_length=64)
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="bindings",
                                verbose_name="รายการข้อมูลกลาง")
    name_th = models.CharField("ชื่อข้อมูลในแบบรายงานนี้", max_length=500)
    role = models.CharField("บทบาท", max_length=16, choices=BindingRole.choices,
                            default=BindingRole.VALUE)
    period = models.CharField("ช่วงเวลาที่ถาม", max_length=16, blank=True,
                              help_text="ว่าง = รอบของรายงาน; หรือรหัสประเภทช่วงเวลา เช่น year")
    category = models.CharField("จำแนก", max_length=200, blank=True)
    required = models.BooleanField(default=False)
    help_th = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = DataElementManager()

    class Meta:
        verbose_name = "รายการข้อมูลที่ถามในกรอบ"
        verbose_name_plural = "รายการข้อมูลที่ถามในกรอบ"
        ordering = ["node", "position"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["node", "code"], name="element_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name_th}"

    @property
    def key(self) -> str:
        return f"{self.node.code}.{self.code}"

    @property
    def value_type(self) -> str:
        return self.measure.value_type

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def is_computed(self) -> bool:
        return self.measure.is_computed


class EvaluationCycle(models.Model):
    """A fiscal year's evaluation: who issues the result sheets and who signs them."""

    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", unique=True)
    title_th = models.CharField("ชื่อการประเมิน", max_length=255)
    issuer_th = models.CharField("หน่วยงานที่ออกผลการประเมิน", max_length=255)
    signatory_name = models.CharField("ชื่อผู้ลงนาม", max_length=255)
    signatory_lines = models.TextField("ตำแหน่งผู้ลงนาม", help_text="ตำแหน่ง บรรทัดละหนึ่งรายการ")

    class Meta:
        verbose_name = "รอบการประเมินประจำปี"
        verbose_name_plural = "รอบการประเมินประจำปี"
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"{self.title_th} ปีงบประมาณ {self.fiscal_year}"

    @property
    def signatory_positions(self) -> list[str]:
        return [line for line in self.signatory_lines.splitlines() if line.strip()]


class Crosswalk(models.Model):
    """The links between a fiscal year's frameworks (data: ``fixtures/fy*/crosswalk.yaml``)."""

    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", unique=True)
    #: an office rated this many levels apart on two nodes of one topic is flagged
    flag_level_gap = models.DecimalField("ระดับที่ต่างกันที่ต้องตรวจสอบ", max_digits=4,
                                         decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "ความเชื่อมโยงระหว่างกรอบ"
        verbose_name_plural = "ความเชื่อมโยงระหว่างกรอบ"

    def __str__(self) -> str:
        return f"ความเชื่อมโยงระหว่างกรอบ ปีงบประมาณ {self.fiscal_year}"


class Topic(models.Model):
    """What several frameworks ask about: QP2, ESA 3.4.2 and inspection 3.1 are one topic.

    Narrative blocks are written per office, topic and period, so the paragraph
    an office writes in QP2's form is the one its inspection contribution shows.
    """

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="topics")
    code = models.CharField("รหัส", max_length=64)
    name_th = models.CharField("ชื่อ", max_length=255)
    source = models.CharField("ที่มา", max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    nodes: models.ManyToManyField[FrameworkNode, TopicNode] = models.ManyToManyField(
        FrameworkNode, through="TopicNode", related_name="topics")

    class Meta:
        verbose_name = "ประเด็นร่วมระหว่างกรอบ"
        verbose_name_plural = "ประเด็นร่วมระหว่างกรอบ"
        ordering = ["crosswalk", "position"]
        constraints = [
            models.UniqueConstraint(fields=["crosswalk", "code"], name="topic_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name_th


class TopicNode(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="links")
    node = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="topic_links")
    #: a link the seeds do not state, inferred from the topic (CROSSWALK.md's "~")
    inferred = models.BooleanField("อนุมานจากหัวข้อ", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ตัวชี้วัดในประเด็นร่วม"
        verbose_name_plural = "ตัวชี้วัดในประเด็นร่วม"
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "node"], name="topic_node_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.topic.code} ↔ {self.node.framework.code}:{self.node.code}"
