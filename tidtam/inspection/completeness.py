"""Before a report is sent up: is every sub-section answered (or explicitly "none")?

Errors block sending: a question, sub-section or suggestion level with no
line at all. Warnings are shown and do not block: a problem without a
solution, an entry dated outside the fiscal year, a province (for a region)
that has not sent its report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tidtam.inspection import words
from tidtam.inspection.models import EntryKind, InspectionReport, Level, Placement, ReportStatus
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.thai.dates import thai_date

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    where: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check_report(report: InspectionReport) -> list[Finding]:
    fw = report.framework
    sections = fw.sections
    printed = list(
        report.placements.filter(duplicate_of=None)
        .select_related("entry", "entry__unit", "entry__question", "entry__issue")
    )
    by_slot: dict[tuple[int, str, str], list[Placement]] = defaultdict(list)
    by_question: dict[int, list[Placement]] = defaultdict(list)
    for p in printed:
        e = p.entry
        by_slot[(e.issue_id, e.section, e.part)].append(p)
        if e.question is not None:
            q = e.question
            by_question[q.parent_id if q.is_subtype and q.parent_id else q.pk].append(p)
    # A sub-section of an issue in a crosswalk topic is answered by the units' blocks of
    # that topic too (written in QP2's form, say): the report prints them there.
    issues = report.included_issues()
    blocks_at = words.printed(report, issues)
    findings: list[Finding] = []
    for issue in issues:
        for n, section in enumerate(sections, start=1):
            where = f"ประเด็น {issue.code} หัวข้อ {issue.code}.{n}"
            if section["key"] == "progress":
                for q in issue.questions_for(report.level):
                    if not by_question.get(q.pk):
                        findings.append(Finding(ERROR, f"{where} ข้อ {q.number})", (
                            "ยังไม่มีคำตอบ (หากไม่มีการดำเนินงานให้ตอบว่า \"ไม่มี\")"
                        )))
                continue
            for part in section.get("parts") or [{"key": "", "title": ""}]:
                key = (issue.pk, section["key"], part["key"])
                if not by_slot.get(key) and not blocks_at.get(key):
                    label = f" {part['title']}" if part["title"] else ""
                    findings.append(Finding(ERROR, f"{where}{label}", (
                        "ยังไม่มีคำตอบ (หากไม่มีให้ตอบว่า \"ไม่มี\")"
                    )))
    for p in printed:
        e = p.entry
        where = f"ประเด็น {e.issue.code} ({e.unit.display_name})"
        if e.kind == EntryKind.PROBLEM and not e.solutions:
            findings.append(Finding(WARNING, where, f"ปัญหา \"{_short(p.text)}\" ยังไม่มีแนวทางแก้ไข"))
        if e.outside_year() and e.day is not None:
            findings.append(Finding(WARNING, where, (
                f"วันที่ {thai_date(e.day)} อยู่นอกปีงบประมาณ {report.framework.year}"
            )))
    if report.level == Level.REGION:
        findings.extend(_unsent_provinces(report))
    return findings


def _unsent_provinces(report: InspectionReport) -> list[Finding]:
    sent = set(
        InspectionReport.objects.filter(
            framework=report.framework, round=report.round, level=Level.PROVINCE,
            status=ReportStatus.SENT,
        ).values_list("org__parent_id", flat=True)
    )
    provinces = OrgUnit.objects.filter(parent=report.org, type=OrgType.PROVINCE)
    return [
        Finding(WARNING, p.name_th, "ยังไม่ได้ส่งรายงานของจังหวัด")
        for p in provinces.order_by("name_th") if p.pk not in sent
    ]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
