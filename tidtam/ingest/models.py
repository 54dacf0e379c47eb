"""Imported documents waiting for review.

An import never writes an office's records directly: it stores what it read
(the source, the repaired text, the parsed content model and every place the
document disagrees with itself) as a draft. A reviewer with the right for
that kind of document (kinds.py) accepts it, which writes the real records
(an e-MES sheet's ratings go through the same importer as
``tidtam ratings import``), or rejects it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from tidtam.orgs.models import OrgUnit


class ImportKind(models.TextChoices):
    EMES_SHEET = "emes-sheet", "แบบรายงานผลการประเมิน e-MES"
    INSPECTION = "inspection", "รายงานผลการตรวจราชการ"
    ANNUAL_REPORT = "annual-report", "รายงานผลการดำเนินงานประจำปี"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", "รอตรวจ"
    ACCEPTED = "accepted", "รับเข้าแล้ว"
    REJECTED = "rejected", "ไม่รับ"
    SUPERSEDED = "superseded", "แก้ข้อความแล้วอ่านใหม่"


class ImportedSheet(models.Model):
    kind = models.CharField("ประเภทเอกสาร", max_length=32, choices=ImportKind.choices,
                            default=ImportKind.EMES_SHEET)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="imported_sheets",
                            verbose_name="หน่วยงาน")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    source_name = models.CharField("ไฟล์ต้นฉบับ", max_length=255)
    raw_text = models.TextField("ข้อความต้นฉบับ")
    repaired_text = models.TextField("ข้อความหลังซ่อม")
    content = models.JSONField("เนื้อหาที่อ่านได้", default=dict)
    discrepancies = models.JSONField("จุดที่ตัวเลขไม่ตรงกัน", default=list)
    notes = models.JSONField("ข้อสังเกต", default=list)
    ratings = models.JSONField("ผลการประเมินที่จะนำเข้า", default=list)
    recommendations = models.JSONField("ข้อเสนอแนะที่จะนำเข้า", default=list)
    status = models.CharField("สถานะ", max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="ผู้นำเข้า",
    )
    created_at = models.DateTimeField("นำเข้าเมื่อ", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="ผู้ตรวจ",
    )
    decided_at = models.DateTimeField("ตรวจเมื่อ", null=True, blank=True)
    decision_note = models.TextField("ผลการรับเข้า/เหตุผล", blank=True)
    # A reviewer who corrects the source text gets a new draft read from it;
    # the old one stays, superseded, so the history of a migration is kept.
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next",
        verbose_name="ฉบับก่อนแก้ข้อความ",
    )

    class Meta:
        verbose_name = "เอกสารนำเข้า"
        verbose_name_plural = "เอกสารนำเข้า"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.org.display_name} ปี {self.fiscal_year}"

    @property
    def is_draft(self) -> bool:
        return self.status == ImportStatus.DRAFT

    def discrepancy_lines(self) -> list[int]:
        return sorted({int(d["line"]) for d in self.discrepancies if d.get("line")})

    def numbered_lines(self) -> list[tuple[int, str, bool]]:
        """The repaired text as (line number, text, has a discrepancy) for the review page."""
        marked = set(self.discrepancy_lines())
        return [
            (i, line, i in marked)
            for i, line in enumerate(self.repaired_text.split("\n"), start=1)
        ]

    def summary(self) -> dict[str, Any]:
        return {
            "rows": len(self.ratings), "recommendations": len(self.recommendations),
            "discrepancies": len(self.discrepancies), "notes": len(self.notes),
        }
