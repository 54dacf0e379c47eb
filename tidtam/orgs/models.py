"""Organisation units: one tree from the ministry down to schools.

The tree is stored as an adjacency list plus a materialized path of codes
("MOE/OBEC/SPM-52-51/"), the DHIS2 approach: a subtree is one indexed
``path__startswith`` query, which is what permission checks and rollups need.
"""

from __future__ import annotations

import re

from django.db import models

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


class OrgType(models.TextChoices):
    MINISTRY = "ministry", "กระทรวง"
    AGENCY = "agency", "ส่วนราชการ"
    REGIONAL_OFFICE = "regional_office", "สำนักงานศึกษาธิการภาค"
    PROVINCE = "province", "จังหวัด"
    PROVINCIAL_OFFICE = "provincial_office", "สำนักงานศึกษาธิการจังหวัด"
    PRIMARY_AREA = "primary_area", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา (สพป.)"
    SECONDARY_AREA = "secondary_area", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา (สพม.)"
    SCHOOL_CLUSTER = "school_cluster", "สหวิทยาเขต/กลุ่มโรงเรียน"
    SCHOOL = "school", "สถานศึกษา"
    OFFICE_GROUP = "office_group", "กลุ่มงานภายในสำนักงาน"


AREA_OFFICE_TYPES = frozenset({OrgType.PRIMARY_AREA, OrgType.SECONDARY_AREA})


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """The unit and everything below it."""
        return self.filter(path__startswith=unit.path)

    def area_offices(self) -> OrgUnitQuerySet:
        return self.filter(type__in=AREA_OFFICE_TYPES)


class OrgUnit(models.Model):
    code = models.CharField("รหัส", max_length=32, unique=True)
    name_th = models.CharField("ชื่อหน่วยงาน", max_length=255)
    short_name_th = models.CharField("ชื่อย่อ", max_length=120, blank=True)
    # Indexed: aggregation and dashboards pick the area offices out of ~29,000 units.
    type = models.CharField("ประเภท", max_length=32, choices=OrgType.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True,
        related_name="children", verbose_name="สังกัด",
    )
    path = models.CharField("ตำแหน่งในผังหน่วยงาน", max_length=600, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("ระดับชั้นในผัง", default=0, editable=False)
    provinces = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="area_offices",
        limit_choices_to={"type": OrgType.PROVINCE}, verbose_name="จังหวัดที่รับผิดชอบ",
    )
    is_active = models.BooleanField("ใช้งาน", default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return self.short_name_th or self.name_th

    @property
    def is_area_office(self) -> bool:
        return self.type in AREA_OFFICE_TYPES

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.code}/"

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is ``other`` or lies in its subtree."""
        return self.path.startswith(other.path)

    def ancestors(self) -> list[OrgUnit]:
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]
