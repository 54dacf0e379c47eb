"""The register of measures and the one store of observations.

A *measure* is a fact an office can report — its learners, the dropouts it
found, the schools that teach with Active Learning — defined once per fiscal
year with its type, unit, population and how it adds up the org tree (DHIS2's
data element). Every place a document asks for a figure *binds* a measure
(``tidtam.frameworks.models.DataElement``), so the Quick Policy's three
questions about learners, the inspection form and the action plan all read
the same fact.

An *observation* is the value of one measure for one org unit, period and
disaggregation, stored once with where it came from (typed in which form by
whom, imported from which file and line, computed by which register). Every
change is kept as a revision; a document that has been sent or approved pins
the revisions it printed (``Pin``), so later edits show everywhere else but
never rewrite an official document.

Periods are spans of dates. Period *types* (the e-MES rounds, the inspection
rounds, quarters, the fiscal year) are data; two types that cover the same
dates — the 12-month round, inspection round 2 and the fiscal year — name the
same period, so a figure typed for one is the figure of the others.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from tidtam.limits import FigureField
from tidtam.orgs.models import OrgUnit

# --- periods ---------------------------------------------------------------------

#: ``2566``, ``2566-6m``, ``2566-r2``, ``2566-q3``: a fiscal year and a period type.
PERIOD_CODE_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<type>[a-z0-9]+))?$")
#: The period type a bare year (``2566``) stands for.
YEAR_TYPE = "year"


class PeriodType(models.Model):
    """A kind of reporting period within a fiscal year (data: ``fixtures/periods.yaml``).

    ``first_month`` counts months from the start of the fiscal year (0 is
    October), ``months`` is the length: the 6-month round is (0, 6), the third
    quarter (6, 3), the fiscal year (0, 12).
    """

    code = models.CharField("รหัส", max_length=16, unique=True)
    name_th = models.CharField("ชื่อ", max_length=64)
    first_month = models.PositiveSmallIntegerField("เริ่มเดือนที่ (นับจากตุลาคม = 0)")
    months = models.PositiveSmallIntegerField("จำนวนเดือน")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ประเภทช่วงเวลารายงาน"
        verbose_name_plural = "ประเภทช่วงเวลารายงาน"
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(first_month__lte=11),
                name="period_type_span",
            ),
        ]

    def __str__(self) -> str:
        return self.name_th

    def bounds(self, fiscal_year: int) -> tuple[dt.date, dt.date]:
        """First and last day of this period in ``fiscal_year`` (BE)."""
        ce_start = fiscal_year - 543 - 1  # FY2566 starts on 1 October 2022
        start = _add_months(dt.date(ce_start, 10, 1), self.first_month)
        after = _add_months(start, self.months)
        return start, after - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_type_names() -> dict[str, str]:
    """code → Thai name of every period type (a framework's rounds are period types)."""
    return dict(PeriodType.objects.values_list("code", "name_th"))


class PeriodError(ValueError):
    """A period code that names no period; the message is Thai."""


class Period(models.Model):
    """A span of dates within one fiscal year; created when first used."""

    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    start = models.DateField("ตั้งแต่")
    end = models.DateField("ถึง")

    class Meta:
        verbose_name = "ช่วงเวลารายงาน"
        verbose_name_plural = "ช่วงเวลารายงาน"
        ordering = ["start", "-end"]
        constraints = [
            models.UniqueConstraint(fields=["start", "end"], name="period_span_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                   name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.label_th

    @classmethod
    def of(cls, fiscal_year: int, type_code: str) -> Period:
        """The period of type ``type_code`` in ``fiscal_year``."""
        ptype = PeriodType.objects.filter(code=type_code).first()
        if ptype is None:
            known = ", ".join(PeriodType.objects.values_list("code", flat=True))
            raise PeriodError(f"ไม่รู้จักช่วงเวลา '{type_code}' (ใช้ได้: {known})")
        start, end = ptype.bounds(fiscal_year)
        period, _ = cls.objects.get_or_create(start=start, end=end,
                                              defaults={"fiscal_year": fiscal_year})
        return period

    @classmethod
    def many(cls, wanted: Iterable[tuple[int, str]]) -> dict[tuple[int, str], Period]:
        """(fiscal year, type code) → period for many at once: two queries, not two each."""
        wanted = set(wanted)
        types = {t.code: t for t in PeriodType.objects.filter(code__in={c for _y, c in wanted})}
        unknown = sorted({c for _y, c in wanted} - set(types))
        if unknown:
            known = ", ".join(PeriodType.objects.values_list("code", flat=True))
            raise PeriodError(f"ไม่รู้จักช่วงเวลา '{unknown[0]}' (ใช้ได้: {known})")
        spans = {(y, c): types[c].bounds(y) for y, c in wanted}
        q = Q(pk__in=[])
        for start, end in set(spans.values()):
            q |= Q(start=start, end=end)
        found: dict[tuple[dt.date, dt.date], Period] = {
            (p.start, p.end): p for p in Period.objects.filter(q)}
        out: dict[tuple[int, str], Period] = {}
        for (year, code), span in spans.items():
            if span not in found:
                found[span], _ = Period.objects.get_or_create(
                    start=span[0], end=span[1], defaults={"fiscal_year": year})
            out[(year, code)] = found[span]
        return out

    @classmethod
    def parse(cls, code: str) -> Period:
        """``2566`` (the fiscal year), ``2566-6m``, ``2566-12m``, ``2566-r2``, ``2566-q3``."""
        m = PERIOD_CODE_RE.match(code.strip())
        if m is None:
            raise PeriodError(
                f"รูปแบบช่วงเวลา '{code}' ไม่ถูกต้อง (เช่น 2566, 2566-6m, 2566-12m, 2566-r2, 2566-q3)"
            )
        return cls.of(int(m["year"]), m["type"] or YEAR_TYPE)

    def types(self) -> list[PeriodType]:
        """The period types that cover exactly these dates, in fixture order."""
        return [t for t in PeriodType.objects.all()
                if t.bounds(self.fiscal_year) == (self.start, self.end)]

    @property
    def code(self) -> str:
        """The canonical code: the first period type covering these dates."""
        types = self.types()
        return f"{self.fiscal_year}-{types[0].code}" if types else (
            f"{self.fiscal_year}:{self.start.isoformat()}..{self.end.isoformat()}")

    def codes(self) -> list[str]:
        return [f"{self.fiscal_year}-{t.code}" for t in self.types()]

    @property
    def label_th(self) -> str:
        names = " / ".join(t.name_th for t in self.types())
        return f"ปีงบประมาณ {self.fiscal_year} {names}".strip()


# --- the register ------------------------------------------------------------------


class ValueType(models.TextChoices):
    INTEGER = "integer", "จำนวนเต็ม"
    DECIMAL = "decimal", "ตัวเลข"
    PERCENT = "percent", "ร้อยละ"
    MONEY = "money", "จำนวนเงิน (บาท)"
    DATE = "date", "วันที่"
    TEXT = "text", "ข้อความ"
    LIST = "list", "รายการ (หนึ่งบรรทัดต่อหนึ่งรายการ)"


NUMERIC_TYPES = frozenset({ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT,
                           ValueType.MONEY})


class Aggregation(models.TextChoices):
    SUM = "sum", "รวมยอด"
    RATIO = "ratio", "อัตราส่วนของผลรวม (คำนวณจากตัวตั้งและตัวหาร)"
    LATEST = "latest", "ค่าล่าสุด"
    NONE = "none", "ไม่รวมยอดขึ้นไป"


class Category(models.Model):
    """A way a measure is broken down (DHIS2's category): threat type, grade, affiliation."""

    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    code = models.CharField("รหัส", max_length=64)
    name_th = models.CharField("ชื่อ", max_length=255)
    source = models.CharField("ที่มา", max_length=255, blank=True)

    class Meta:
        verbose_name = "การจำแนกข้อมูล"
        verbose_name_plural = "การจำแนกข้อมูล"
        ordering = ["fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="category_code_year"),
        ]

    def __str__(self) -> str:
        return self.name_th


class CategoryOption(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="options")
    code = models.CharField("รหัส", max_length=64)
    name_th = models.CharField("ชื่อ", max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "รายการจำแนก"
        verbose_name_plural = "รายการจำแนก"
        ordering = ["category", "position"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="category_option_code"),
        ]

    def __str__(self) -> str:
        return self.name_th


class Measure(models.Model):
    """One fact of the national register for a fiscal year (data: ``fixtures/fy*/``)."""

    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    code = models.CharField("รหัส", max_length=64)
    name_th = models.CharField("ชื่อ", max_length=500)
    value_type = models.CharField("ชนิดข้อมูล", max_length=16, choices=ValueType.choices)
    unit = models.CharField("หน่วย", max_length=32, blank=True)
    definition_th = models.TextField("นิยาม/ประชากร", blank=True)
    aggregation = models.CharField("การรวมยอดตามโครงสร้างหน่วยงาน", max_length=8,
                                   choices=Aggregation.choices, default=Aggregation.SUM)
    numerator = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="ตัวตั้ง")
    denominator = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="ตัวหาร")
    #: the org types that report it (``["primary_area", "secondary_area"]``); empty = any
    reported_by = models.JSONField("หน่วยงานที่รายงาน", default=list, blank=True)
    #: the category codes it is broken down by, in order (``["new_threat"]``)
    categories = models.JSONField("จำแนกตาม", default=list, blank=True)
    source = models.CharField("ที่มาของนิยาม", max_length=255, blank=True)

    class Meta:
        verbose_name = "รายการข้อมูลกลาง"
        verbose_name_plural = "ทะเบียนรายการข้อมูลกลาง"
        ordering = ["fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="measure_code_year"),
            # A ratio names both of its sides; nothing else has sides.
            models.CheckConstraint(
                condition=(Q(aggregation="ratio", numerator__isnull=False,
                             denominator__isnull=False)
                           | (~Q(aggregation="ratio") & Q(numerator__isnull=True,
                                                          denominator__isnull=True))),
                name="measure_ratio_sides",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def is_computed(self) -> bool:
        """A ratio is computed from its two sides, never typed."""
        return self.aggregation == Aggregation.RATIO

    @property
    def is_numeric(self) -> bool:
        return self.value_type in NUMERIC_TYPES


# --- observations ----------------------------------------------------------------


class SourceKind(models.TextChoices):
    TYPED = "typed", "กรอกในแบบรายงาน"
    IMPORTED = "imported", "นำเข้าจากเอกสาร"
    COMPUTED = "computed", "คำนวณโดยระบบ"
    REGISTER = "register", "จากทะเบียนข้อมูล"
    MIGRATED = "migrated", "ย้ายจากข้อมูลเดิม"


class ObservationValue(models.Model):
    """The value columns an observation and each of its revisions carry."""

    text = models.TextField("ค่าตามที่กรอก", blank=True)
    # Read back whatever SQLite holds, however wide (tidtam.limits.FigureField).
    value_decimal = FigureField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_list = models.JSONField(null=True, blank=True)
    source_kind = models.CharField("ที่มา", max_length=16, choices=SourceKind.choices)
    #: where it came from: {"submission", "node", "element"} for a form; {"file", "line",
    #: "draft"} for an import; {"register", "cases"} for a register; {"data_value"} migrated
    source = models.JSONField("รายละเอียดที่มา", default=dict, blank=True)

    VALUE_FIELDS = ("text", "value_decimal", "value_date", "value_list")

    class Meta:
        abstract = True

    @property
    def parsed(self) -> object:
        if self.value_decimal is not None:
            return self.value_decimal
        if self.value_date is not None:
            return self.value_date
        if self.value_list is not None:
            return list(self.value_list)
        return self.text or None

    def value_columns(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.VALUE_FIELDS}


def _one_value_column() -> Q:
    """At most one of the parsed columns is set: a value is a number, a date or a list."""
    d, t, li = (Q(value_decimal__isnull=True), Q(value_date__isnull=True),
                Q(value_list__isnull=True))
    return (d & t) | (d & li) | (t & li)


class Observation(ObservationValue):
    """The value of one measure for one org unit, period and disaggregation."""

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="observations",
                            verbose_name="หน่วยงาน")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="observations",
                                verbose_name="รายการข้อมูล")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="observations",
                               verbose_name="ช่วงเวลา")
    #: the measure's category options, codes joined by "+" in its category order; "" = total
    category = models.CharField("จำแนก", max_length=200, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "ค่าข้อมูล"
        verbose_name_plural = "ค่าข้อมูล"
        constraints = [
            models.UniqueConstraint(fields=["org", "measure", "period", "category"],
                                    name="observation_unique"),
            models.CheckConstraint(condition=_one_value_column(),
                                   name="observation_one_value_column"),
        ]
        indexes = [models.Index(fields=["measure", "period"], name="observation_measure_period")]

    def __str__(self) -> str:
        return f"{self.org.code} {self.measure.code} {self.period.code} = {self.text}"


class ObservationRevision(ObservationValue):
    """One version of an observation, kept for history and for documents that pinned it."""

    observation = models.ForeignKey(Observation, on_delete=models.PROTECT,
                                    related_name="revisions")
    version = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")

    class Meta:
        verbose_name = "ประวัติค่าข้อมูล"
        verbose_name_plural = "ประวัติค่าข้อมูล"
        ordering = ["observation", "version"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "version"],
                                    name="observation_revision_unique"),
            models.CheckConstraint(condition=_one_value_column(),
                                   name="revision_one_value_column"),
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} v{self.version} = {self.text}"


class PinnedDocument(models.Model):
    """A document that was sent or approved: from then on it prints its pins, not live values.

    An observation the document asked for but that did not exist when it was
    pinned stays empty in it, even if someone fills it in later.
    """

    document_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    document_id = models.PositiveBigIntegerField()
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "เอกสารที่ตรึงค่าข้อมูลแล้ว"
        verbose_name_plural = "เอกสารที่ตรึงค่าข้อมูลแล้ว"
        constraints = [
            models.UniqueConstraint(fields=["document_type", "document_id"],
                                    name="pinned_document_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type_id}:{self.document_id}"


class Pin(models.Model):
    """The revision of an observation a pinned document printed."""

    document = models.ForeignKey(PinnedDocument, on_delete=models.CASCADE, related_name="pins")
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="pins")
    revision = models.ForeignKey(ObservationRevision, on_delete=models.PROTECT,
                                 related_name="pins")

    class Meta:
        verbose_name = "ค่าที่เอกสารใช้พิมพ์"
        verbose_name_plural = "ค่าที่เอกสารใช้พิมพ์"
        constraints = [
            models.UniqueConstraint(fields=["document", "observation"], name="pin_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.revision}"


class DisagreementStatus(models.TextChoices):
    OPEN = "open", "รอตรวจสอบ"
    KEPT = "kept", "ยืนยันค่าที่เก็บไว้"
    REPLACED = "replaced", "ใช้ค่าใหม่แทน"


class Disagreement(ObservationValue):
    """A second value for a fact that already has one, listed for review, never merged silently.

    Typed data cannot disagree (one observation per org, measure, period and
    category); an import or a migration can bring a value that differs from
    the stored one (003 prints its learners as 42,753 and as 41,965).
    """

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=200, blank=True, default="")
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="disagreements")
    found_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=DisagreementStatus.choices,
                              default=DisagreementStatus.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "ค่าข้อมูลที่ไม่ตรงกัน"
        verbose_name_plural = "ค่าข้อมูลที่ไม่ตรงกัน"
        ordering = ["-found_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_one_value_column(),
                                   name="disagreement_one_value_column"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.measure_id} {self.text}"
