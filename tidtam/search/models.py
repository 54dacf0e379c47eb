"""One row per piece of text a user may want to find again.

The index keeps its own copy of each text, repaired (so the words are spelled
right whatever encoding they arrived in), folded and cut into words, so that a
search is a few LIKE conditions that run the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.urls import NoReverseMatch, reverse

from tidtam.orgs.models import OrgUnit


class SourceKind(models.TextChoices):
    NARRATIVE = "narrative", "ข้อความบรรยาย ปัญหา แนวปฏิบัติที่เป็นเลิศ และข้อเสนอแนะของหน่วยงาน"
    INSPECTION = "inspection", "ข้อมูลการตรวจราชการ"
    IMPORTED = "imported", "เอกสารนำเข้า"
    RECOMMENDATION = "recommendation", "ข้อเสนอแนะของผู้ประเมิน"
    PLAN = "plan", "แผนปฏิบัติการ"
    PROJECT = "project", "โครงการ"


class SearchDocument(models.Model):
    kind = models.CharField("ประเภท", max_length=32, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField()
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+",
                            verbose_name="หน่วยงาน")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", null=True, blank=True)
    title = models.CharField("ชื่อ", max_length=500)
    # Where to open the source: a URL name and its arguments, reversed when shown, so
    # indexing (which runs inside ``tidtam init --demo``) never loads every app's views.
    route = models.CharField(max_length=100, blank=True)
    route_args = models.JSONField(default=list, blank=True)
    text = models.TextField("ข้อความหลังซ่อม")
    # ``text`` lower-cased with Arabic digits, character for character (search.text.fold).
    folded = models.TextField()
    # The words of ``folded``, each as " word " (search.text.token_string).
    tokens = models.TextField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ดัชนีค้นหา"
        verbose_name_plural = "ดัชนีค้นหา"
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="search_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def url(self) -> str:
        if not self.route:
            return ""
        try:
            return reverse(self.route, args=self.route_args)
        except NoReverseMatch:  # a page that has since moved: the result still shows
            return ""
