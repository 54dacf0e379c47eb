"""Compiling: the ศธจ. puts its province's entries in order, the ศธภ. its provinces'.

A report's lines (placements) are gathered, never typed: gathering again adds
only what arrived since. The compiler reorders lines within their question,
edits their text (the unit's entry is left as written), and marks a line as
the duplicate of another, which names both units on one printed paragraph.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tidtam.accounts.people import person_name
from tidtam.accounts.permissions import can_read, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.inspection.completeness import Finding, check_report
from tidtam.inspection.models import (
    Entry,
    InspectionFramework,
    InspectionReport,
    Level,
    Placement,
    Question,
    ReportStatus,
)
from tidtam.limits import OutOfLimits, check_values
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed

LEVEL_OF_OFFICE = {
    OrgType.PROVINCIAL_OFFICE: Level.PROVINCE,
    OrgType.REGIONAL_OFFICE: Level.REGION,
}

SlotKey = tuple[int, str, str, int | None]


def slot_of(p: Placement) -> SlotKey:
    """Lines are ordered within their issue, sub-section, part and question."""
    e = p.entry
    return (e.issue_id, e.section, e.part, e.question_id)


def report_for(framework: InspectionFramework, org: OrgUnit, round_: int = 2) -> InspectionReport:
    level = LEVEL_OF_OFFICE.get(OrgType(org.type))
    if level is None:
        raise InvalidInput("org", (
            f"{org.name_th} ไม่ใช่สำนักงานศึกษาธิการจังหวัดหรือภาค จึงรวบรวมรายงานการตรวจราชการไม่ได้"
        ))
    report, created = InspectionReport.objects.get_or_create(
        framework=framework, round=round_, org=org, defaults={"level": level},
    )
    if created and level == Level.PROVINCE:
        # A province usually has no unit for the optional issues (001 has no 3.5–3.7):
        # they start left out, and the compiler puts them back when units answered them.
        report.omitted_issues.set([i for i in framework.issues() if i.optional])
    return report


def may_compile(user: Any, report: InspectionReport) -> bool:
    return can_report(user, report.org)


def may_view(user: Any, report: InspectionReport) -> bool:
    return can_read(user, report.org)


def _ensure_compiler(user: Any, report: InspectionReport) -> None:
    if not may_compile(user, report):
        raise NotAllowed("เฉพาะผู้รวบรวมรายงานของสำนักงานนี้เท่านั้น")
    if report.is_sent:
        raise Locked("รายงานนี้ส่งแล้ว แก้ไขไม่ได้")


def province_reports(report: InspectionReport) -> list[InspectionReport]:
    """The sent provincial reports a regional report draws on."""
    provinces = OrgUnit.objects.filter(parent=report.org, type=OrgType.PROVINCE)
    return list(
        InspectionReport.objects.filter(
            framework=report.framework, round=report.round, level=Level.PROVINCE,
            org__parent__in=provinces, status=ReportStatus.SENT,
        ).select_related("org").order_by("org__path")
    )


def gather(user: Any, report: InspectionReport) -> int:
    """Add the lines that are not in the report yet; returns how many were added."""
    _ensure_compiler(user, report)
    placed = set(report.placements.values_list("entry_id", flat=True))
    last = report.placements.aggregate(m=Max("order"))["m"] or 0
    new: list[Placement] = []
    if report.level == Level.PROVINCE:
        province = report.province
        assert province is not None
        entries = Entry.objects.filter(
            framework=report.framework, round=report.round, province=province, is_final=True,
        ).exclude(pk__in=placed).order_by("unit__path", "created_at", "pk")
        for e in entries:
            last += 1
            new.append(Placement(report=report, entry=e, order=last, text=e.text))
    else:
        for source_report in province_reports(report):
            lines = source_report.placements.filter(duplicate_of=None).exclude(entry_id__in=placed)
            for p in lines.order_by("order", "pk"):
                last += 1
                new.append(Placement(report=report, entry_id=p.entry_id, source=p,
                                     order=last, text=p.text))
    with transaction.atomic():
        Placement.objects.bulk_create(new)
        if new:
            record(user, Action.INSPECTION_GATHER, report, org=report.org,
                   after={"added": len(new)})
    return len(new)


def lines(report: InspectionReport) -> dict[SlotKey, list[Placement]]:
    """Every line of the report by slot, in order (duplicates included)."""
    qs = report.placements.select_related(
        "entry", "entry__unit", "entry__author", "source", "source__entry__unit"
    ).prefetch_related("duplicates")
    by_slot: dict[SlotKey, list[Placement]] = defaultdict(list)
    for p in qs.order_by("order", "pk"):
        by_slot[slot_of(p)].append(p)
    return by_slot


def _line(placement: Placement) -> str:
    """A report's line as the audit log names it: whose paragraph, in which issue."""
    entry = placement.entry
    who = entry.unit_name or entry.unit.display_name
    return f"{placement.report} · ย่อหน้าของ{who} · {entry.where}"


def move(user: Any, placement: Placement, step: int) -> None:
    """Move a line up (-1) or down (+1) among the lines of its question."""
    report = placement.report
    _ensure_compiler(user, report)
    siblings = lines(report)[slot_of(placement)]
    ids = [p.pk for p in siblings]
    i = ids.index(placement.pk)
    j = i + step
    if not 0 <= j < len(siblings):
        return
    other = siblings[j]
    with transaction.atomic():
        a, b = placement.order, other.order
        if a == b:
            b = a + step
        Placement.objects.filter(pk=placement.pk).update(order=b)
        Placement.objects.filter(pk=other.pk).update(order=a)
        record(user, Action.INSPECTION_MOVE, placement, target=_line(placement),
               org=report.org, before={"order": a}, after={"order": b})


def edit_text(user: Any, placement: Placement, text: str, version: int) -> Placement:
    _ensure_compiler(user, placement.report)
    try:
        text = check_values(Placement, {"text": text}, {"text": "ข้อความที่เรียบเรียง"})["text"]
    except OutOfLimits as exc:
        raise InvalidInput("text", exc.message) from None
    with transaction.atomic():
        current = Placement.objects.select_for_update().get(pk=placement.pk)
        if current.version != version:
            by = person_name(current.edited_by, "")
            raise Conflict(current.text, current.version, by, current.edited_at)
        before = current.text
        current.text = text.strip()
        current.version += 1
        current.edited_by = user
        current.edited_at = timezone.now()
        current.save()
        record(user, Action.INSPECTION_EDIT, current, target=_line(placement),
               org=placement.report.org, before=before, after=current.text)
    return current


def mark_duplicate(user: Any, placement: Placement, of: Placement | None) -> None:
    """Mark ``placement`` as saying the same as ``of`` (None: not a duplicate any more)."""
    report = placement.report
    _ensure_compiler(user, report)
    if of is not None:
        if of.report_id != report.pk or of.pk == placement.pk or of.duplicate_of_id is not None:
            raise InvalidInput("duplicate_of", "เลือกย่อหน้าที่จะรวมไม่ถูกต้อง")
        if slot_of(of) != slot_of(placement):
            raise InvalidInput("duplicate_of", "รวมได้เฉพาะย่อหน้าในข้อคำถามเดียวกัน")
    with transaction.atomic():
        before = placement.duplicate_of_id
        # Lines that pointed at this one now point at the line it joins.
        if of is not None:
            Placement.objects.filter(duplicate_of=placement).update(duplicate_of=of)
        Placement.objects.filter(pk=placement.pk).update(duplicate_of=of)
        placement.duplicate_of = of
        record(user, Action.INSPECTION_DUPLICATE, placement, target=_line(placement),
               org=report.org, before=before, after=of.pk if of else None)


def duplicate_candidates(report: InspectionReport) -> dict[int, Placement]:
    """Lines whose text is the same as an earlier line of another unit in the same question."""
    found: dict[int, Placement] = {}
    for slot_lines in lines(report).values():
        first: dict[str, Placement] = {}
        for p in slot_lines:
            if p.duplicate_of_id is not None:
                continue
            key = " ".join(p.text.split())
            if not key:
                continue
            if key in first and first[key].entry.speaker != p.entry.speaker:
                found[p.pk] = first[key]
            else:
                first.setdefault(key, p)
    return found


def set_omitted(user: Any, report: InspectionReport, issue_codes: list[str]) -> None:
    _ensure_compiler(user, report)
    issues = [i for i in report.framework.issues() if i.code in issue_codes]
    bad = [i.code for i in issues if not i.optional]
    if bad:
        raise InvalidInput("omitted", f"ประเด็น {', '.join(bad)} ต้องรายงาน ละเว้นไม่ได้")
    report.omitted_issues.set(issues)


def send(user: Any, report: InspectionReport) -> list[Finding]:
    """Send the report up; errors block, warnings are returned to be shown."""
    _ensure_compiler(user, report)
    findings = check_report(report)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise InvalidInput("report", (
            f"ยังส่งไม่ได้: ขาดอีก {len(errors)} รายการ เช่น {errors[0].where} {errors[0].message}"
        ))
    with transaction.atomic():
        report.status = ReportStatus.SENT
        report.sent_at = timezone.now()
        report.sent_by = user
        report.save(update_fields=["status", "sent_at", "sent_by"])
        # What it printed is what was sent: the figures' revisions are pinned, so the
        # offices keep editing their own figures without rewriting the sent report.
        from tidtam.inspection import figures, words

        pinned = figures.pin(report, figures.printed(report, figures.bindings(report.framework),
                                                     live=True))
        words.pin(pinned, report)
        record(user, Action.INSPECTION_SEND, report, org=report.org,
               before=ReportStatus.DRAFT, after=ReportStatus.SENT)
    return [f for f in findings if not f.is_error]


SUBJECT_PREFIXES = ("หน่วยงาน/สถานศึกษา", "หน่วยงานการศึกษา")


def opening_sentence(report: InspectionReport, question: Question) -> str:
    """The fixed sentence before a question's paragraphs, made from the question's text.

    001: "หน่วยงานการศึกษาและสถานศึกษาสังกัดกระทรวงศึกษาธิการในจังหวัดสมุทรสงคราม
    ดำเนินการดังต่อไปนี้" — the subject replaces the question's "หน่วยงาน/สถานศึกษา".
    """
    subject = f"หน่วยงานการศึกษาและสถานศึกษาสังกัดกระทรวงศึกษาธิการใน{report.area_phrase}"
    text = question.text.strip()
    for prefix in SUBJECT_PREFIXES:
        if text.startswith(prefix):
            return f"{subject} {text[len(prefix):].strip()} ดังต่อไปนี้"
    return f"{subject} มีผลการดำเนินงานเรื่อง{text} ดังต่อไปนี้"
