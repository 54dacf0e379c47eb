"""Inspection reports (form รต., seeds 001 and 002) → a province's or a region's report.

Reading is ``tidtam.ingest.inspection_report``; this module adds what needs
the database: the FY framework the printed numbers are matched to, the
office that printed the report (a ศธจ. or a ศธภ. of the demo tree), and the
unit named at the start of each paragraph. Accepting writes the inspection
app's records: one ``Entry`` per paragraph, table row or "ไม่มี", and an
``InspectionReport`` of the office whose lines (``Placement``) follow the
document's order, so the compiler continues from the imported report.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tidtam.accounts.permissions import can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.ingest.drafts import DraftRefused, store_draft
from tidtam.ingest.inspection_report import (
    PART_LABELS,
    InspectionRejected,
    count,
    read_report,
    strip_marks,
    walk_paragraphs,
)
from tidtam.ingest.kinds import Handler
from tidtam.ingest.models import ImportedSheet, ImportKind
from tidtam.ingest.thai_repair import repair
from tidtam.inspection import words
from tidtam.inspection.compile import LEVEL_OF_OFFICE, report_for
from tidtam.inspection.figures import round_period
from tidtam.inspection.models import (
    Entry,
    EntryKind,
    InspectionFramework,
    InspectionReport,
    Level,
    Placement,
    Question,
)
from tidtam.narratives import store as blocks
from tidtam.narratives.models import Block, BlockKind
from tidtam.narratives.models import Level as BlockLevel
from tidtam.narratives.models import SourceKind as BlockSource
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.orgs.names import canonical, read_name
from tidtam.thai.numbers import to_arabic_digits

SCHEMA = "tidtam.inspection-import/1"
DEFAULT_ROUND = 2  # the seeds are round-2 reports; a document that doesn't say is read as one
NONE_TEXT = "ไม่มี"
AUDIT_ACTION = Action.INSPECTION_IMPORT
# Units whose names can open a paragraph; provinces and the ministry's own levels don't.
_UNIT_TYPES = [t for t in OrgType.values if t not in (OrgType.PROVINCE, OrgType.MINISTRY)]
_SIMILAR = 0.6  # how close a printed question must be to the framework's wording


@dataclass
class ParsedInspection:
    source_name: str
    repaired_text: str
    org: OrgUnit
    fiscal_year: int
    round: int
    level: str
    framework: InspectionFramework
    doc: dict[str, Any]
    notes: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "office": {"code": self.org.code, "name": self.org.name_th,
                       "printed": self.doc.get("office_name", "")},
            "level": self.level,
            "fiscal_year": self.fiscal_year,
            "round": self.round,
            "framework": {"code": self.framework.code, "year": self.framework.year},
            "counts": count(self.doc),
            "policies": self.doc["policies"],
            "notes": self.notes,
        }


def _squash(text: str) -> str:
    """For comparing names: no spaces, Arabic digits ("ภาค ๑๔" is "ภาค 14")."""
    return to_arabic_digits("".join(text.split()))


def _similar(printed: str, framework: str) -> bool:
    a, b = _squash(printed), _squash(framework)
    n = min(len(a), len(b), 60)
    return n > 0 and difflib.SequenceMatcher(None, a[:n], b[:n]).ratio() >= _SIMILAR


class _Framework:
    """The framework's questions by issue code, as the reader's callbacks need them."""

    def __init__(self, framework: InspectionFramework) -> None:
        self.issues = {i.code: i for i in framework.issues()}
        self.questions: dict[tuple[str, str], Question] = framework.questions_by_number()

    def knows(self, code: str, number: int) -> bool:
        return (code, str(number)) in self.questions

    def is_question(self, code: str, number: int, text: str) -> bool:
        q = self.questions.get((code, str(number)))
        return q is not None and _similar(text, q.text)

    def is_subtype(self, code: str, number: str) -> bool:
        return (code, number) in self.questions

    def question_length(self, code: str, number: str) -> int:
        q = self.questions.get((code, number))
        return len(_squash(f"{q.text}{q.definition}")) if q else 0


def _framework_for(repaired: str, source_name: str) -> tuple[InspectionFramework, int, int,
                                                                list[dict[str, Any]]]:
    """The framework of the printed fiscal year (or the newest, noted) and the round."""
    lines = [to_arabic_digits(line) for line in repaired.split("\n")]
    head = []
    for line in lines:
        if line.strip().startswith("นโยบายที่"):
            break
        head.append(line)
    if len(head) == len(lines):
        # Not this form at all (an annual report, a result sheet): say so before the year.
        raise InspectionRejected(len(lines), (
            "ไม่พบหัวข้อ \"นโยบายที่ 1\" ทั้งไฟล์ จึงไม่ใช่รายงานผลการตรวจราชการตามแบบ รต."
        ), source_name)
    notes: list[dict[str, Any]] = []
    year_at = next(((i, m) for i, line in enumerate(head, start=1)
                    if (m := re.search(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(\d{4})", line))), None)
    round_at = next(((i, m) for i, line in enumerate(head, start=1)
                     if (m := re.search(r"รอบที่\s*(\d)", line))), None)
    if year_at is None:
        framework = InspectionFramework.objects.order_by("-fiscal_year").first()
        if framework is None:
            raise InspectionRejected(1, "ยังไม่มีกรอบการตรวจราชการในระบบ (โปรดรัน tidtam init)",
                                     source_name)
        notes.append({"line": 1, "kind": "note", "message": (
            f"ไม่พบปีงบประมาณในส่วนต้นของเอกสาร จึงอ่านตามกรอบปีงบประมาณ {framework.year}"
        )})
    else:
        at, m = year_at
        framework = InspectionFramework.objects.filter(fiscal_year=int(m.group(1))).first()
        if framework is None:
            raise InspectionRejected(at, (
                f"ปีงบประมาณ {m.group(1)} ยังไม่มีกรอบการตรวจราชการในระบบ"
            ), source_name)
    if round_at is None:
        round_ = DEFAULT_ROUND
        notes.append({"line": 1, "kind": "note", "message": (
            f"เอกสารไม่ระบุรอบการตรวจราชการ จึงรับเข้าเป็นรอบที่ {round_}"
        )})
    else:
        round_ = int(round_at[1].group(1))
    return framework, framework.year, round_, notes


def _office(doc: dict[str, Any], org: OrgUnit | None, source_name: str,
            notes: list[dict[str, Any]]) -> OrgUnit:
    """The ศธจ./ศธภ. that printed the report ("สำนักงานศึกษาธิการจังหวัด… ขอรายงาน…")."""
    printed = doc.get("office_name") or ""
    line = doc.get("office_line") or doc["policies"][0]["line"]
    offices = OrgUnit.objects.filter(type__in=list(LEVEL_OF_OFFICE))
    found = next((o for o in offices if printed and _squash(o.name_th) == _squash(printed)), None)
    if org is not None:
        if org.type not in LEVEL_OF_OFFICE:
            raise InspectionRejected(line, (
                f"{org.name_th} ไม่ใช่สำนักงานศึกษาธิการจังหวัดหรือภาค จึงรับรายงานการตรวจราชการไม่ได้"
            ), source_name)
        if found is not None and found != org:
            notes.append({"line": line, "kind": "note", "message": (
                f"เอกสารพิมพ์ชื่อ \"{printed}\" แต่นำเข้าให้ {org.name_th} ตามที่เลือก"
            )})
        return org
    if not printed:
        raise InspectionRejected(line, (
            "ไม่พบชื่อสำนักงานที่รายงาน (\"สำนักงานศึกษาธิการ… ขอรายงานผล…\") ก่อนนโยบายที่ 1 "
            "— ระบุหน่วยงานด้วย --org"
        ), source_name)
    if found is None:
        raise InspectionRejected(line, (
            f"ไม่พบหน่วยงานชื่อ \"{printed}\" ในระบบ (ต้องเป็นสำนักงานศึกษาธิการจังหวัดหรือภาค)"
        ), source_name)
    return found


class _Units:
    """The unit named at the start of a paragraph, and the province it reports to."""

    def __init__(self, office: OrgUnit, level: str) -> None:
        units = OrgUnit.objects.filter(type__in=_UNIT_TYPES, is_active=True)
        named: dict[str, OrgUnit] = {}
        self.by_canonical: dict[str, OrgUnit] = {}
        for u in units:
            for name in (u.name_th, u.short_name_th):
                if name and len(name) >= 6:
                    named.setdefault(name, u)
                    self.by_canonical.setdefault(canonical(name), u)
        self.names = sorted(named.items(), key=lambda kv: -len(kv[0]))
        # how names print a province: "ลำพูน", not "จังหวัดลำพูน"
        self.province_names = [p.short_name_th or p.name_th.removeprefix("จังหวัด")
                               for p in OrgUnit.objects.filter(type=OrgType.PROVINCE)]
        if level == Level.REGION:
            self.provinces = list(OrgUnit.objects.filter(parent=office, type=OrgType.PROVINCE)
                                  .order_by("code"))
        else:
            self.provinces = [u for u in [*office.ancestors(), office]
                              if u.type == OrgType.PROVINCE][-1:]

    def find(self, text: str) -> tuple[str, OrgUnit | None]:
        """The name as printed and the unit of the tree it names (None: not in the tree)."""
        printed = strip_marks(text)
        body = to_arabic_digits(printed)  # "เขต ๔" names the demo's "เขต 4"
        for name, unit in self.names:
            if body.startswith(name):
                return name, unit
        # Not a name the tree spells this way: read it by the forms unit names take
        # ("โรงเรียน…", "สพป.… เขต ๑") and look for it in the tree written out.
        name = read_name(printed, self.province_names)
        return name, (self.by_canonical.get(canonical(name)) if name else None)

    def province_of(self, unit: OrgUnit | None, text: str) -> OrgUnit | None:
        if len(self.provinces) == 1:
            return self.provinces[0]
        if unit is not None:
            chain = [*unit.ancestors(), unit]
            linked = {p.pk for u in chain for p in u.provinces.all()} | {
                u.pk for u in chain if u.type == OrgType.PROVINCE}
            mine = [p for p in self.provinces if p.pk in linked]
            if len(mine) == 1:
                return mine[0]
        named = [p for p in self.provinces if (p.short_name_th or p.name_th) in text[:200]]
        return named[0] if len(named) == 1 else None


def parse(raw: str, source_name: str, org: OrgUnit | None) -> ParsedInspection:
    repaired = repair(raw)
    framework, year, round_, notes = _framework_for(repaired, source_name)
    fw = _Framework(framework)
    try:
        doc, read_notes = read_report(repaired, is_question=fw.is_question,
                                      is_subtype=fw.is_subtype,
                                      question_length=fw.question_length, knows=fw.knows)
    except InspectionRejected as exc:
        exc.source = source_name
        raise
    if not any(p["issues"] for p in doc["policies"]):
        raise InspectionRejected(doc["policies"][0]["line"], (
            "ไม่พบประเด็นการตรวจราชการ (เช่น \"1.1 …\" ตามด้วย \"1.1.1 ความก้าวหน้า…\") "
            "หลังหัวข้อนโยบาย"
        ), source_name)
    office = _office(doc, org, source_name, notes)
    level = LEVEL_OF_OFFICE[OrgType(office.type)]
    _match_framework(doc, fw, level, notes)
    _check_end(doc, fw, repaired, notes)
    _name_units(doc, _Units(office, level))
    notes = sorted([*notes, *read_notes], key=lambda n: n["line"])
    return ParsedInspection(
        source_name=source_name, repaired_text=repaired, org=office, fiscal_year=year,
        round=round_, level=level, framework=framework, doc=doc, notes=notes,
    )


def _match_framework(doc: dict[str, Any], fw: _Framework, level: str,
                     notes: list[dict[str, Any]]) -> None:
    """Mark each printed issue and question with what the framework knows of it."""
    seen: set[str] = set()
    level_label = Level(level).label
    for policy in doc["policies"]:
        for issue in policy["issues"]:
            known = fw.issues.get(issue["code"])
            issue["known"] = known is not None
            seen.add(issue["code"])
            if known is None:
                notes.append({"line": issue["line"], "kind": "note", "message": (
                    f"ประเด็นที่ {issue['code']} ไม่มีในกรอบการตรวจราชการ จึงไม่รับเข้า"
                )})
                continue
            for section in issue["sections"]:
                for q in section.get("questions", []):
                    _match_question(issue["code"], q, fw, level, level_label, notes)
                    for s in q["subtypes"]:
                        _match_question(issue["code"], s, fw, level, level_label, notes)
    for code, issue_obj in fw.issues.items():
        if code in seen:
            continue
        first = doc["policies"][0]["line"]
        if issue_obj.optional:
            notes.append({"line": first, "kind": "note", "message": (
                f"ไม่มีประเด็นที่ {code} ในเอกสาร (ประเด็นที่ละได้ จะละไว้ในรายงาน)"
            )})
        else:
            notes.append({"line": first, "kind": "missing", "message": (
                f"ไม่มีประเด็นที่ {code} {issue_obj.title} ในเอกสาร"
            )})


def _check_end(doc: dict[str, Any], fw: _Framework, repaired: str,
               notes: list[dict[str, Any]]) -> None:
    """A file that stops before the form does: say so where it stops.

    The form ends every issue with its five sub-sections and the framework
    says which issues follow. When the last issue read lacks its later
    sub-sections, or issues the framework requires after it are absent, the
    file ended early, and the paragraph it ends on was most likely cut short
    too (each missing piece is noted on its own as well).
    """
    issues = [i for p in doc["policies"] for i in p["issues"]]
    last = issues[-1]
    printed = {s["number"] for s in last["sections"]}
    after_sections = [f"{last['code']}.{k}" for k in range(max(printed, default=0) + 1, 6)]
    codes = list(fw.issues)
    at = codes.index(last["code"]) + 1 if last["code"] in codes else len(codes)
    seen = {i["code"] for i in issues}
    after_issues = [c for c in codes[at:] if c not in seen and not fw.issues[c].optional]
    if not (after_sections or after_issues):
        return
    lines = repaired.split("\n")
    end = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), len(lines))
    where = f"หัวข้อ {last['code']}.{max(printed)}" if printed else f"ประเด็นที่ {last['code']}"
    missing = []
    if after_sections:
        missing.append("หัวข้อ " + ", ".join(after_sections))
    if after_issues:
        missing.append("ประเด็นที่ " + ", ".join(after_issues))
    notes.append({"line": end, "kind": "missing", "message": (
        f"เอกสารน่าจะถูกตัดท้าย: ไฟล์จบที่บรรทัดที่ {end} ใน{where} ทั้งที่ยังไม่มี"
        f"{' และ'.join(missing)} — ย่อหน้าสุดท้ายอาจขาดหายตอนท้าย ตรวจว่าได้ไฟล์ครบทุกหน้า"
    )})


def _match_question(code: str, q: dict[str, Any], fw: _Framework, level: str,
                    level_label: str, notes: list[dict[str, Any]]) -> None:
    found = fw.questions.get((code, q["number"]))
    q["known"] = found is not None
    if found is None:
        notes.append({"line": q["line"], "kind": "note", "message": (
            f"ประเด็นที่ {code} ข้อ {q['number']}) \"{q['text'][:40]}\" ไม่มีในกรอบ "
            "ย่อหน้าใต้ข้อนี้รับเข้าโดยไม่ผูกกับข้อคำถาม (ไม่พิมพ์ในรายงานจนกว่าจะย้าย)"
        )})
    elif level not in found.levels:
        notes.append({"line": q["line"], "kind": "note", "message": (
            f"ประเด็นที่ {code} ข้อ {q['number']}) กรอบระบุว่าไม่ได้ถามในระดับ{level_label} "
            "(รับเข้าไว้ แต่รายงานที่รวบรวมจะไม่พิมพ์ข้อนี้)"
        )})


def _name_units(doc: dict[str, Any], units: _Units) -> None:
    for _issue, p in walk_paragraphs(doc):
        name, unit = units.find(p["text"])
        p["unit_name"] = name
        p["unit"] = unit.code if unit else ""
        province = units.province_of(unit, p["text"])
        p["province"] = province.code if province else ""


# --- what accepting writes -------------------------------------------------------------


def entry_specs(content: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per Entry to write, in the document's order (from the stored draft)."""
    out: list[dict[str, Any]] = []

    def add(issue: str, section: str, paras: list[dict[str, Any]], *, part: str = "",
            question: str | None = None, none: bool = False) -> None:
        base: dict[str, Any] = {"issue": issue, "section": section, "part": part,
                                "question": question, "solutions": []}
        if none:
            out.append({**base, "kind": EntryKind.NONE.value, "text": NONE_TEXT,
                        "unit": "", "province": "", "line": paras[0]["line"]})
            return
        for p in paras:
            if p["none"]:
                continue
            # The report numbers its paragraphs itself ("1.", "2.", …): the printed
            # marker would print twice and hide the unit named after it.
            out.append({**base, "kind": EntryKind.TEXT.value,
                        "text": strip_marks(p["text"]) or p["text"],
                        "unit": p.get("unit", ""), "province": p.get("province", ""),
                        # a unit not in the tree keeps the name the document gives it
                        "unit_name": "" if p.get("unit") else p.get("unit_name", ""),
                        "line": p["line"]})

    for policy in content["policies"]:
        for issue in policy["issues"]:
            if not issue.get("known", True):
                continue
            code = issue["code"]
            for s in issue["sections"]:
                key = s["key"]
                if key == "progress":
                    add(code, key, s["paragraphs"])
                    for q in s["questions"]:
                        number = q["number"] if q.get("known", True) else None
                        add(code, key, q["paragraphs"], question=number, none=q["none"])
                        for sub in q["subtypes"]:
                            add(code, key, sub["paragraphs"], question=sub["number"],
                                none=sub["none"])
                elif key == "problems":
                    if s["none"]:
                        add(code, key, [{"line": s["line"]}], none=True)
                    for row in s["rows"]:
                        if not row["problem"] and out and out[-1]["kind"] == EntryKind.PROBLEM:
                            out[-1]["solutions"] += row["solutions"]  # a row of solutions only
                            continue
                        out.append({"issue": code, "section": key, "part": "", "question": None,
                                    "kind": EntryKind.PROBLEM.value, "text": row["problem"],
                                    "solutions": list(row["solutions"]), "unit": "",
                                    "province": "", "line": row["line"]})
                elif key == "suggestions":
                    for part in s["parts"]:
                        add(code, key, part["paragraphs"], part=part["key"] or PART_LABELS[0][0],
                            none=part["none"])
                else:
                    add(code, key, s["paragraphs"], none=s["none"])
    return out


@dataclass
class ImportedReport:
    report: InspectionReport
    kinds: Counter[str]
    named_units: int
    # a region's lines whose province the text doesn't tell, filed under ``fallback``
    unplaced: int = 0
    fallback: OrgUnit | None = None

    def summary(self) -> str:
        total = sum(self.kinds.values())
        url = reverse("inspection:report", args=[self.report.org.code])
        unplaced = (
            f" · ไม่ทราบจังหวัด {self.unplaced} บรรทัด (บันทึกไว้ที่{self.fallback.name_th})"
            if self.unplaced and self.fallback is not None else ""
        )
        return (
            f"รับเข้าแล้ว: {self.report} · {total} บรรทัด (ข้อความ {self.kinds['text']} "
            f"ปัญหา/แนวทางแก้ไข {self.kinds['problem']} ตอบว่าไม่มี {self.kinds['none']}) "
            f"ระบุหน่วยงานได้ {self.named_units} ย่อหน้า{unplaced} · รายงานอยู่ที่ {url}"
        )


def accept(draft: ImportedSheet, user: Any) -> ImportedReport:
    content = draft.content
    framework = InspectionFramework.objects.get(code=content["framework"]["code"],
                                                fiscal_year=content["framework"]["year"])
    round_ = int(content["round"])
    org = draft.org
    existing = InspectionReport.objects.filter(framework=framework, round=round_, org=org).first()
    if existing is not None and (existing.placements.exists() or existing.is_sent):
        state = "ส่งแล้ว" if existing.is_sent else "กำลังรวบรวม"
        raise DraftRefused(
            f"ไม่รับเข้า เพราะ{org.display_name} มีรายงานการตรวจราชการรอบที่ {round_}/"
            f"{framework.year} อยู่แล้ว ({state} {existing.placements.count()} บรรทัด) "
            "การนำเข้าจะไม่เขียนทับรายงานที่มีอยู่"
        )
    specs = entry_specs(content)
    issues = {i.code: i for i in framework.issues()}
    questions = framework.questions_by_number()
    codes = {s["unit"] for s in specs if s["unit"]}
    codes |= {s["province"] for s in specs if s["province"]}
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in=codes)}
    report = report_for(framework, org, round_)
    printed = {i["code"] for p in content["policies"] for i in p["issues"]}
    report.omitted_issues.set([i for c, i in issues.items() if i.optional and c not in printed])
    fallback = report.province or OrgUnit.objects.filter(
        parent=org, type=OrgType.PROVINCE).order_by("code").first()
    if fallback is None:
        raise DraftRefused(f"{org.display_name} ไม่มีจังหวัดในความรับผิดชอบ จึงรับเข้าไม่ได้")
    # A sub-section the crosswalk topic's blocks fill is written as the units' blocks
    # (with the file and line), not as entries: the QP form shows the same words.
    # A region's report is the region's own synthesis of what its provinces sent, not
    # words a unit wrote: its lines stay the region report's entries.
    as_blocks = [s for s in specs if report.province is not None and s["kind"] != EntryKind.NONE
                 and words.written_as_blocks(issues[s["issue"]], framework, s["section"])]
    specs = [s for s in specs if s not in as_blocks]
    written = _blocks(user, framework, round_, issues, orgs, org, as_blocks, draft)
    entries = [
        Entry(
            framework=framework, round=round_, issue=issues[s["issue"]],
            province=orgs.get(s["province"]) or fallback, unit=orgs.get(s["unit"]) or org,
            unit_name=s.get("unit_name", "") if not orgs.get(s["unit"]) else "",
            section=s["section"], part=s["part"],
            question=questions.get((s["issue"], s["question"])) if s["question"] else None,
            kind=s["kind"], text=s["text"], solutions=s["solutions"], author=user
            if user is not None and user.is_authenticated else None,
            # A region's lines must not reach a province's report when its ศธจ. gathers.
            is_final=report.level == Level.PROVINCE,
        )
        for s in specs
    ]
    Entry.objects.bulk_create(entries)
    Placement.objects.bulk_create([
        Placement(report=report, entry=e, order=n, text=e.text)
        for n, e in enumerate(entries, start=1)
    ])
    kinds = Counter(s["kind"] for s in [*specs, *as_blocks])
    named = sum(1 for s in specs if s["unit"] or s.get("unit_name"))
    # The inspection models have no "imported from" field: the audit entry is where
    # each written entry is tied to the draft and to the source line it was read from.
    record(user, AUDIT_ACTION, report, org=org, after={
        "draft": draft.pk, "source": draft.source_name, "entries": len(entries),
        "entry_lines": [[e.pk, s["line"]] for e, s in zip(entries, specs, strict=True)],
        "block_lines": [[b.pk, s["line"]] for b, s in zip(written, as_blocks, strict=True)],
        **dict(kinds),
    }, comment=f"นำเข้าจาก {draft.source_name} (ร่างนำเข้าเลขที่ {draft.pk})")
    unplaced = 0 if report.province else sum(1 for s in specs if not s["province"])
    return ImportedReport(report, kinds, named, unplaced, fallback)


def _blocks(user: Any, framework: InspectionFramework, round_: int, issues: dict[str, Any],
            orgs: dict[str, OrgUnit], office: OrgUnit, specs: list[dict[str, Any]],
            draft: ImportedSheet) -> list[Block]:
    """One block per paragraph or table row of a linked sub-section, tied to its line."""
    period = round_period(framework, round_)
    sections = {s["key"]: s for s in framework.sections}
    kinds = {k.code: k for k in BlockKind.objects.all()}
    levels = {lv.code: lv for lv in BlockLevel.objects.all()}
    out = []
    for s in specs:
        section = sections[s["section"]]
        part = next((p for p in section.get("parts") or [] if p["key"] == s["part"]), None)
        unit = orgs.get(s["unit"])
        out.append(blocks.create(
            user, unit or office, issues[s["issue"]], period, kinds[section["kind"]],
            levels.get(part["level"]) if part else None,
            {"text": s["text"], "solutions": s["solutions"],
             "unit_name": "" if unit else s.get("unit_name", "")},
            source_kind=BlockSource.IMPORTED,
            source={"file": draft.source_name, "line": s["line"], "draft": draft.pk}))
    return out


# --- the command line and the review page ------------------------------------------------


def create_draft(parsed: ParsedInspection, raw: str, user: Any) -> ImportedSheet:
    notes = [{"line": n["line"], "message": n["message"], "kind": n.get("kind", "note")}
             for n in parsed.notes]
    return store_draft(ImportKind.INSPECTION, parsed, raw, user, notes=notes)


NOTE_KINDS = [
    ("missing", "ขาดหายไป"), ("empty", "ว่าง (ไม่มีทั้งเนื้อหาและคำว่าไม่มี)"),
    ("none", "ตอบว่าไม่มี"), ("duplicate", "ย่อหน้าซ้ำกันทุกคำ"), ("note", "ข้อสังเกตอื่น"),
]


def text_summary(parsed: ParsedInspection) -> str:
    c = count(parsed.doc)
    kinds = Counter(n.get("kind", "note") for n in parsed.notes)
    named = sum(1 for _i, p in walk_paragraphs(parsed.doc) if p.get("unit_name"))
    lines = [
        f"{parsed.source_name}: รายงานผลการตรวจราชการ ระดับ{Level(parsed.level).label}",
        f"หน่วยงาน: {parsed.org.name_th} ({parsed.org.code})",
        f"ปีงบประมาณ: {parsed.fiscal_year} รอบที่ {parsed.round}",
        f"นโยบาย {c['policies']} · ประเด็น {c['issues']} · ข้อคำถาม {c['questions']} · "
        f"ย่อหน้า {c['paragraphs']} (ระบุหน่วยงาน {named}) · แถวปัญหา/แนวทางแก้ไข "
        f"{c['problem_rows']}",
        "ข้อสังเกต: " + " · ".join(f"{label} {kinds[k]}" for k, label in NOTE_KINDS),
    ]
    lines += [f"  บรรทัดที่ {n['line']}: {n['message']}" for n in parsed.notes
              if n.get("kind") != "none"]
    lines.append(f"บรรทัดที่จะรับเข้าเป็นรายงาน: {len(entry_specs(parsed.as_json()))}")
    return "\n".join(lines)


def may_decide(user: Any, org: OrgUnit) -> bool:
    """The office's compiler (a reporter of the ศธจ./ศธภ.), who compiles its report."""
    return can_report(user, org)


def body_context(draft: ImportedSheet) -> dict[str, Any]:
    notes = draft.notes
    groups = [(label, [n for n in notes if n.get("kind", "note") == k]) for k, label in NOTE_KINDS]
    report = InspectionReport.objects.filter(
        org=draft.org, framework__fiscal_year=draft.content.get("framework", {}).get("year"),
        round=draft.content.get("round"),
    ).first()
    return {
        "doc": draft.content, "counts": draft.content.get("counts", {}),
        "note_groups": [(label, ns) for label, ns in groups if ns],
        "report_url": reverse("inspection:report", args=[draft.org.code])
        if report is not None and not draft.is_draft else "",
    }


HANDLER = Handler(
    kind=ImportKind.INSPECTION,
    help="รายงานผลการตรวจราชการของจังหวัดหรือภาค (แบบ รต.)",
    parse=parse,
    create_draft=create_draft,
    summary=text_summary,
    accept=accept,
    may_decide=may_decide,
    accept_label="รับเข้า (สร้างรายงานการตรวจราชการของสำนักงานนี้)",
    decider="ผู้รวบรวมรายงานการตรวจราชการของสำนักงานนี้",
    body_template="ingest/kinds/inspection.html",
    body_context=body_context,
)
