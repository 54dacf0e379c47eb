"""What editors choose to print in the national synthesis (seed 000).

Figures and charts are computed; the texts are picked by an editor from what
offices reported — a best practice, a problem, a suggestion, a way of
driving the work — each printed with the office named. A pick keeps a copy
of the text as it was chosen, so a later edit by the office does not change a
published synthesis behind the editor's back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tidtam.frameworks.models import FrameworkNode
from tidtam.orgs.models import OrgUnit


class Section(models.TextChoices):
    DRIVE = "drive", "การขับเคลื่อนการดำเนินงานของ สพท."
    BEST_PRACTICE = "best_practice", "ตัวอย่างวิธีการปฏิบัติที่เป็นเลิศ/นวัตกรรม"
    PROBLEM_CENTRAL = "problem_central", "ปัญหา อุปสรรค: สพฐ."
    PROBLEM_OFFICE = "problem_office", "ปัญหา อุปสรรค: สพท."
    SUGGESTION_CENTRAL = "suggestion_central", "ข้อเสนอแนะ: สพฐ."
    SUGGESTION_OFFICE = "suggestion_office", "ข้อเสนอแนะ: สพท."


class SourceKind(models.TextChoices):
    NARRATIVE = "narrative", "ข้อความบรรยาย"
    PROBLEM = "problem", "ปัญหา/แนวทางแก้ไข"
    BEST_PRACTICE = "best_practice", "วิธีปฏิบัติที่เป็นเลิศ"


class SynthesisPick(models.Model):
    node = models.ForeignKey(FrameworkNode, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=32, choices=Section.choices)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices)
    source_id = models.PositiveIntegerField()
    text = models.TextField("ข้อความที่เลือก")
    position = models.PositiveIntegerField(default=0)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    picked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ข้อความที่เลือกลงรายงานสังเคราะห์"
        verbose_name_plural = "ข้อความที่เลือกลงรายงานสังเคราะห์"
        ordering = ["node__position", "section", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["node", "section", "source_kind", "source_id"],
                                    name="synthesis_pick_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.node.code} {self.section} {self.org.code}"

