"""Read an area office's annual report (รายงานผลการดำเนินงานประจำปี, like seed 003).

The text is repaired first (``thai_repair``) and its Thai digits read as
Arabic ones. What is read:

- the office (its printed name, matched against the org register) and the
  fiscal year of the title;
- Chapter 2's tables (ตารางที่ …): header, rows and the printed total row;
- Chapter 3's projects: number, title, policy area, responsible group and
  budget with the amount in words as printed;
- Chapter 4's indicator table: per project its owner, activities and
  indicators (target, result, count, whether the document shows a shortfall);
- Table 13 (budget execution by category) with its printed totals;
- what the report states about itself (indicators achieved "47 of 49",
  percentages stated with their parts).

The result is a plan in the format of ``tidtam/plans/fixtures/*.yaml`` (what
``tidtam.plans.loader.load_plan_data`` writes), so accepting a draft goes
through the plans loader and checking it goes through ``tidtam.plans.checks``
(on unsaved model instances), not through checks written a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tidtam.ingest import facts as stated_facts
from tidtam.ingest.sources import ImportRejected
from tidtam.ingest.thai_repair import repair
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgUnit
from tidtam.plans import checks
from tidtam.plans.models import BudgetCategory, BudgetLine, Plan, PlanIndicator, Project
from tidtam.thai.numbers import quantize, to_arabic_digits

KIND = "annual-report"
PERCENT = "ร้อยละ"
_OFFICE_PREFIX = "สำนักงานเขตพื้นที่การศึกษา"  # how every area office's name begins

# Words of the report's template (the OBEC annual-report outline), not of any plan.
_TITLE_RE = re.compile(r"รายงานผลการดำเนินงาน.*ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_CHAPTER_RE = re.compile(r"^บทที่\s*(\d+)")
_TABLE_RE = re.compile(r"^ตารางที่\s*(\d+)\s*(.*)$")
_POLICY_RE = re.compile(r"^(นโยบายด้าน\S+)\s*$")
_PROJECT_RE = re.compile(r"^\**\s*(\d+)\.\s*\**\s*(โครงการ.*?)\**\s*$")
_GROUP_RE = re.compile(r"^กลุ่ม(?:งาน)?ที่รับผิดชอบ\s*(.*)$")
_BUDGET_RE = re.compile(r"^งบประมาณ\s*จำนวน\s*([\d,]+(?:\.\d+)?)\s*บาท\s*(?:\((.*)\))?")
_ACTIVITY_RE = re.compile(r"^กิจกรรม(?:ที่)?\s*(\d+)\s*(.*)$")
_INDICATOR_PREFIX = "ตัวชี้วัด"
_PCT_RE = re.compile(r"^ร้อยละ\s*([\d,]+(?:\.\d+)?)$")
_AMOUNT_RE = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(\S*)$")
# A person's title, where the owner's name starts in "(กลุ่ม…/นางสาว…)".
_PERSON_RE = re.compile(r"(?:^|[\s/])((?:นางสาว|นาง|นาย|ส\.ต\.[ทตอ]\.\s?|ว่าที่|ดร\.\s?)\S.*)$")
_ACHIEVED_SUMMARY_RE = re.compile(
    r"(\d+)\s*ตัวชี้วัด\s*จาก\s*(\d+)\s*ตัวชี้วัด\s*คิดเป็นร้อยละ\s*([\d.]+)")
# "… จำนวน 312.923 ล้านบาท จากยอดงบประมาณ 338.316 ล้านบาท หรือคิดเป็นร้อยละ 96.04"
#: the sentences that state a fact of the register of measures (tidtam/ingest/fixtures/)
FACTS_FIXTURE = "annual_report_facts.yaml"

_RATIO_RE = re.compile(
    r"([\d,]+(?:\.\d+)?)\s*(ล้านบาท|บาท|คน|โรงเรียน|ราย)\s*จาก\S*?\s*([\d,]+(?:\.\d+)?)\s*\2"
    r"\s*(?:หรือ)?\s*คิดเป็นร้อยละ\s*([\d.]+)")
# "… สูงกว่าระดับประเทศ 4.33 คะแนน คิดเป็นร้อยละ 12.59": a gap stated as a share of the
# value it is measured from, which the table above prints just before the gap.
_GAP_RE = re.compile(r"(?:สูงกว่า|ต่ำกว่า)\S*\s*([\d.]+)\s*คะแนน\s*คิดเป็นร้อยละ\s*([\d.]+)")
_GAP_LOOKBACK = 12  # lines: the table is printed right above its commentary
# An indicator of the plan's own rate: "ร้อยละของตัวชี้วัด…ที่…บรรลุค่าเป้าหมาย".
_OWN_RATE_RE = re.compile(r"^ร้อยละของตัวชี้วัด.*บรรลุค่าเป้าหมาย")
# "… จำนวน 362 ราย …" followed by "- reason<TAB>จำนวน 155 ราย" lines.
_STATED_COUNT_RE = re.compile(r"จำนวน\s*([\d,]+)\s*(ราย|คน|โรงเรียน)\s*(?:โดย|ดังนี้|จำแนก|$)")
_PART_RE = re.compile(r"^-\s*(.+?)\s*\t+\s*จำนวน\s*([\d,]+)\s*(ราย|คน|โรงเรียน)\s*$")
_SCHOOL_UNIT = "โรงเรียน"
_PEOPLE_UNIT = "คน"
_OF_ALL_SCHOOLS = re.compile(r"ร้อยละ(?:ของ)?(?:โรงเรียน|สถานศึกษา)ในสังกัด")
_OF_ALL_STUDENTS = re.compile(r"ร้อยละ(?:ของ)?นักเรียนในสังกัด")
# A project's sections in Chapter 3 (heading → Project field); other headings end a section.
_PROJECT_SECTIONS = {
    "วัตถุประสงค์": "objectives", "ผลการดำเนินงาน": "results",
    "ปัญหา/อุปสรรค": "problems", "ปัญหาอุปสรรค": "problems", "ปัญหา อุปสรรค": "problems",
    "แนวทางการพัฒนา/ข้อเสนอแนะ": "suggestions", "ข้อเสนอแนะ": "suggestions",
}
_SECTION_ENDS = ("วิธีการดำเนินงาน", "ภาพกิจกรรม", "ตารางที่", "[image")
# A contradiction tidtam.plans.checks has no class for yet (an average over the wrong count).
_OWN_KINDS = {"average_vs_scores": "ค่าเฉลี่ยไม่ตรงกับคะแนนที่แสดง"}
# "คะแนนเฉลี่ยรวม 6 ตัวชี้วัด<TAB>4.83": an average stated over a number of rows above it.
_AVERAGE_ROW_RE = re.compile(r"เฉลี่ย\S*\s*(\d+)\s*(ตัวชี้วัด|รายการ|ด้าน|มาตรฐาน)")
_CATEGORIES = {label: value for value, label in BudgetCategory.choices}
_TOTAL_LABEL = "รวมทั้งสิ้น"
_TOTAL_PREFIX = "รวม"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _plain(value: Decimal) -> str:
    """A Decimal as the fixture format writes it ("375000.00", "100")."""
    return format(value, "f")


# --- problems ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int  # 0 = the document as a whole
    message: str

    def __str__(self) -> str:
        return f"บรรทัดที่ {self.line}: {self.message}" if self.line else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


class ReportRejected(ImportRejected):
    """Not an annual report we can read; nothing was written."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))

    def report(self) -> str:
        where = f" {self.source}" if self.source else ""
        head = f"นำเข้ารายงานผลการดำเนินงานประจำปี{where} ไม่ได้ ไม่มีการบันทึกข้อมูลใด ๆ:"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


@dataclass(frozen=True)
class Discrepancy:
    """A figure the document printed that its own data contradict (a ``checks.Finding``)."""

    line: int
    kind: str
    where: str
    printed: str
    computed: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "kind": self.kind,
                "kind_th": checks.KINDS.get(self.kind) or _OWN_KINDS[self.kind],
                "where": self.where, "printed": self.printed, "computed": self.computed,
                "message": self.message}


# --- what was read ----------------------------------------------------------------


@dataclass
class Table:
    number: int
    title: str
    line: int
    header: list[str]
    rows: list[list[str]]  # label first, then the cells as printed (Arabic digits)
    row_lines: list[int]
    total: list[str] | None = None
    total_line: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "line": self.line,
                "header": self.header, "rows": self.rows, "row_lines": self.row_lines,
                "total": self.total, "total_line": self.total_line}


@dataclass
class ReadIndicator:
    line: int
    activity: int | None
    name: str
    target_value: Decimal
    target_unit: str
    actual_value: Decimal | None
    actual_unit: str
    count: int | None
    count_unit: str
    denominator: int | None
    printed_achieved: bool

    def row(self) -> list[Any]:
        """The fixture's indicator row (see tidtam.plans.loader.INDICATOR_FIELDS)."""
        return [self.activity, self.name, _plain(self.target_value), self.target_unit,
                None if self.actual_value is None else _plain(self.actual_value),
                self.actual_unit, self.count, self.count_unit, self.denominator,
                self.printed_achieved, self.line]


@dataclass
class ReadProject:
    number: int
    title: str
    line: int
    policy_area: str = ""
    group: str = ""
    group_line: int = 0
    owner: str = ""
    budget: Decimal = Decimal(0)
    budget_line: int = 0
    printed_budget_words: str = ""
    activities: dict[int, str] = field(default_factory=dict)
    indicators: list[ReadIndicator] = field(default_factory=list)
    table_line: int = 0
    texts: dict[str, list[str]] = field(default_factory=dict)  # objectives, results, …
    alignment: dict[str, list[str]] = field(default_factory=dict)

    def text(self, key: str) -> str:
        return "\n".join(self.texts.get(key, []))

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "title": self.title, "policy_area": self.policy_area,
            "group": self.group, "owner": self.owner, "budget": _plain(quantize(self.budget)),
            "printed_budget_words": self.printed_budget_words,
            **{key: self.text(key) for key in _PROJECT_SECTIONS.values()},
            "alignment": self.alignment,
            # JSON objects have string keys; the activity number stays a number here.
            "activities": [[n, t] for n, t in self.activities.items()],
            "indicators": [i.row() for i in self.indicators],
            "line": self.line, "budget_line": self.budget_line, "table_line": self.table_line,
        }


@dataclass
class ParsedReport:
    source_name: str
    repaired_text: str
    org: OrgUnit
    fiscal_year: int
    title: str
    tables: list[Table]
    projects: list[ReadProject]
    budget_lines: list[dict[str, Any]]
    budget_line_numbers: list[int]
    printed: dict[str, Any]
    printed_lines: dict[str, int]
    statements: list[dict[str, Any]]
    narrative: dict[str, str] = field(default_factory=dict)
    alignment_kinds: dict[str, str] = field(default_factory=dict)
    averages: list[dict[str, Any]] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    #: facts of the register the sentences state (tidtam.ingest.facts), with their lines
    facts: list[dict[str, Any]] = field(default_factory=list)

    # --- the plan in the plans fixture format -----------------------------------
    def plan_data(self) -> dict[str, Any]:
        """What ``tidtam.plans.loader.load_plan_data`` takes (activities keyed by number)."""
        return plan_data(self.plan_json())

    def plan_json(self) -> dict[str, Any]:
        return {
            "office": self.org.code, "fiscal_year": self.fiscal_year,
            "title": f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {self.fiscal_year}",
            **self.narrative,
            "context": [_context_table(t) for t in self.tables if t.rows],
            "printed": self.printed,
            "statements": self.statements,
            "budget_lines": self.budget_lines,
            "alignment_kinds": self.alignment_kinds,
            "projects": [p.as_dict() for p in self.projects],
        }

    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)

    def budget_total(self) -> Decimal:
        return sum((p.budget for p in self.projects), Decimal(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": KIND, "source": self.source_name, "office": self.org.code,
            "office_name": self.org.name_th, "fiscal_year": self.fiscal_year,
            "title": self.title,
            "plan": self.plan_json(),
            "tables": [t.as_dict() for t in self.tables],
            "budget_total": _plain(self.budget_total()),
            "averages": self.averages,
            "indicator_count": self.indicator_count(),
            "discrepancies": [d.as_dict() for d in self.discrepancies],
            "notes": [n.as_dict() for n in self.notes],
            "facts": self.facts,
        }


def plan_data(plan_json: dict[str, Any]) -> dict[str, Any]:
    """The stored plan (JSON) back in the loader's format: activities as {number: title}."""
    data = dict(plan_json)
    data["projects"] = [
        dict(p, activities={int(n): t for n, t in p.get("activities", [])})
        for p in plan_json["projects"]
    ]
    return data


def _context_table(table: Table) -> dict[str, Any]:
    """A Chapter 2 table as the plan stores it: the parts only (totals are added when shown)."""
    keep = [i for i, h in enumerate(table.header)
            if i == 0 or not (h.startswith(_TOTAL_PREFIX) or h.endswith(_TOTAL_PREFIX)
                              or h.split()[-1:] == [_TOTAL_PREFIX] or h == "ที่")]
    rows = []
    for row in table.rows:
        cells = [row[i] if i < len(row) else "" for i in keep]
        rows.append([cells[0], *(_plain(_number(c)) if c else "0" for c in cells[1:])])
    return {"title": table.title, "source": f"L{table.line}",
            "header": [table.header[i] for i in keep], "rows": rows}


# --- reading ---------------------------------------------------------------------


def parse_annual_report(raw: str, *, source_name: str = "",
                        org: OrgUnit | None = None) -> ParsedReport:
    """Read an annual report; raise ``ReportRejected`` (Thai, with the line) if it isn't one."""
    repaired = repair(raw)
    lines = [to_arabic_digits(x).rstrip() for x in repaired.split("\n")]
    year, title_line = _find_year(lines, source_name)
    found_org, notes = _find_org(lines, org, source_name)
    chapters = _chapters(lines)
    if 3 not in chapters or 4 not in chapters:
        missing = "บทที่ 3 (ผลการดำเนินงาน)" if 3 not in chapters else "บทที่ 4 (สรุปผลการดำเนินงาน)"
        raise ReportRejected([Problem(len(lines), (
            f"ไม่ใช่รายงานผลการดำเนินงานประจำปีแบบที่อ่านได้: อ่านถึงท้ายไฟล์แล้วไม่พบหัวข้อ {missing}"
        ))], source_name)
    _check_contents(lines, chapters, notes)
    tables = _chapter2_tables(lines, chapters)
    projects = _projects(lines, chapters[3], chapters[4], source_name, notes)
    _indicator_table(lines, chapters[4], projects, tables, notes)
    budget_lines, budget_line_numbers, totals, totals_line = _table13(lines, source_name)
    printed, printed_lines = _printed_summary(lines, chapters[4])
    printed["budget_totals"] = totals
    printed_lines["budget_totals"] = totals_line
    statements = _statements(lines, projects) + _own_rate_statements(projects, printed)
    narrative = _narrative(lines, chapters, max(budget_line_numbers))
    alignment_kinds = _alignment(lines, chapters, projects)
    averages = _averages(lines, chapters[4])
    parsed = ParsedReport(
        source_name=source_name, repaired_text=repaired, org=found_org, fiscal_year=year,
        title=lines[title_line - 1].strip(), tables=tables, projects=projects,
        budget_lines=budget_lines, budget_line_numbers=budget_line_numbers,
        printed=printed, printed_lines=printed_lines, statements=statements,
        narrative=narrative, alignment_kinds=alignment_kinds,
        averages=averages, notes=notes,
        facts=stated_facts.read(lines, FACTS_FIXTURE),
    )
    parsed.discrepancies = find_discrepancies(parsed)
    return parsed


def _find_year(lines: list[str], source: str) -> tuple[int, int]:
    # The title is on the cover: within the first lines, before the table of contents.
    for number, line in enumerate(lines[:60], start=1):
        m = _TITLE_RE.search(line)
        if m:
            return int(m.group(1)), number
    raise ReportRejected([Problem(min(len(lines), 60), (
        "ไม่ใช่รายงานผลการดำเนินงานประจำปี: ไม่พบชื่อเรื่อง \"รายงานผลการดำเนินงาน "
        "ประจำปีงบประมาณ พ.ศ. ....\" ในหน้าปก (อ่านถึงบรรทัดนี้)"
    ))], source)


def _find_org(lines: list[str], org: OrgUnit | None,
              source: str) -> tuple[OrgUnit, list[Problem]]:
    """The office whose name is printed on a line of its own on the cover, or ``org``."""
    offices = {squash(o.name_th): o for o in OrgUnit.objects.filter(type__in=AREA_OFFICE_TYPES)}
    printed: tuple[int, str, OrgUnit | None] | None = None
    for number, line in enumerate(lines[:60], start=1):
        key = squash(line)
        if key in offices or (key.startswith(_OFFICE_PREFIX) and len(key) < 80):
            printed = (number, line.strip(), offices.get(key))
            break
    notes: list[Problem] = []
    if org is not None:
        if not org.is_area_office:
            raise ReportRejected([Problem(0, (
                f"{org.display_name} ({org.code}) ไม่ใช่สำนักงานเขตพื้นที่การศึกษา"))], source)
        if printed is not None and printed[2] != org:
            notes.append(Problem(printed[0], (
                f"ชื่อหน่วยงานที่พิมพ์ \"{printed[1]}\" ไม่ตรงกับ {org.name_th} ({org.code}) "
                "ที่ระบุให้นำเข้า")))
        return org, notes
    if printed is None:
        raise ReportRejected([Problem(0, (
            "ไม่พบชื่อสำนักงานเขตพื้นที่การศึกษาในหน้าปก — ระบุหน่วยงานด้วย --org รหัสหน่วยงาน"
        ))], source)
    number, name, found = printed
    if found is None:
        raise ReportRejected([Problem(number, (
            f"ไม่พบหน่วยงานชื่อ \"{name}\" ในระบบ — ตรวจชื่อในทะเบียนหน่วยงาน "
            "หรือระบุด้วย --org รหัสหน่วยงาน"))], source)
    return found, notes


def _chapters(lines: list[str]) -> dict[int, int]:
    """Chapter number → index of its heading line (the body's, not the table of contents')."""
    found: dict[int, int] = {}
    for index, line in enumerate(lines):
        m = _CHAPTER_RE.match(line.strip())
        # The table of contents prints "บทที่ 1 บทนำ<TAB>1"; a heading has no page number.
        if m and "\t" not in line:
            found.setdefault(int(m.group(1)), index)
    return found


def _check_contents(lines: list[str], chapters: dict[int, int], notes: list[Problem]) -> None:
    """What the report's own table of contents lists but its body lacks.

    The contents (entries with their page after a tab) list every chapter,
    every table, and after the last chapter its end matter (ภาคผนวก, คณะผู้จัดทำ).
    A chapter or table missing from the body is noted at its entry. When what
    is missing comes after everything the body has (a later chapter or
    table, or the end matter after the last chapter's heading), the file
    ended early and its last paragraph was most likely cut short too.
    """
    listed_chapters: dict[int, int] = {}
    listed_tables: dict[int, int] = {}
    printed_tables: set[int] = set()
    end_matter: list[tuple[int, str]] = []  # contents entries after the last chapter's
    for index, line in enumerate(lines):
        text = line.strip()
        in_contents = "\t" in line or "....." in line
        if m := _CHAPTER_RE.match(text):
            if in_contents:
                listed_chapters.setdefault(int(m.group(1)), index + 1)
                end_matter = []
        elif m := _TABLE_RE.match(text):
            if in_contents:
                listed_tables.setdefault(int(m.group(1)), index + 1)
            else:
                printed_tables.add(int(m.group(1)))
        elif in_contents and listed_chapters and not listed_tables \
                and index < min(chapters.values()) and re.search(r"\d", text.split("\t")[-1]):
            title = re.split(r"\.{3,}|\t", text)[0].strip()
            if title:
                end_matter.append((index + 1, title))
    missing = [(f"บทที่ {n}", line, n > max(chapters)) for n, line in listed_chapters.items()
               if n not in chapters]
    missing += [(f"ตารางที่ {n}", line, n > max(printed_tables, default=0))
                for n, line in listed_tables.items() if n not in printed_tables]
    for what, entry, _ in missing:
        notes.append(Problem(entry, f"สารบัญระบุ{what} แต่ไม่พบ{what} ในเนื้อหา"))
    after = [what for what, _, later in missing if later]
    if not after and listed_chapters and max(listed_chapters) in chapters:
        # End matter after the last chapter: missing from some point on means cut there.
        body = [squash(x) for x in lines[chapters[max(listed_chapters)]:]]
        found = [any(b.startswith(squash(title)[:30]) for b in body) for _, title in end_matter]
        trailing = len(found) - next((i for i, f in enumerate(reversed(found)) if f), len(found))
        cut = [_short(title) for _, title in end_matter[trailing:]]
        if len(cut) >= 2:  # one unmatched entry is as likely a heading printed differently
            after = cut
    if after:
        end = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), len(lines))
        notes.append(Problem(end, (
            f"เอกสารน่าจะถูกตัดท้าย: ไฟล์จบที่บรรทัดที่ {end} ก่อน{', '.join(after)} ที่สารบัญระบุ "
            "— ย่อหน้าสุดท้ายอาจขาดหายตอนท้าย ตรวจว่าได้ไฟล์ครบทุกหน้า"
        )))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\d,]+(?:\.\d+)?", text))


def _chapter2_tables(lines: list[str], chapters: dict[int, int]) -> list[Table]:
    """Every "ตารางที่ N" of Chapter 2 whose rows are label + numbers."""
    start, end = chapters.get(2, 0), chapters[3]
    tables: list[Table] = []
    index = start
    while index < end:
        m = _TABLE_RE.match(lines[index].strip())
        if not m or "\t" in lines[index]:
            index += 1
            continue
        table = Table(int(m.group(1)), m.group(2).strip(), index + 1, [], [], [])
        header_rows: list[list[str]] = []
        index += 1
        while index < end:
            line = lines[index]
            if not line.strip():
                if table.rows or table.total:
                    break
                index += 1
                continue
            if "\t" not in line:
                break
            cells = _cells(line)
            # A numbered row ("1<TAB>ผู้อำนวยการ…<TAB>1"): the number is not a part.
            if len(cells) > 2 and _is_number(cells[0]) and not _is_number(cells[1]):
                cells = cells[1:]
            label, values = cells[0], [c for c in cells[1:]]
            if values and all(_is_number(v) or not v for v in values) and any(values):
                if label.startswith(_TOTAL_PREFIX):
                    if label == _TOTAL_LABEL or not table.rows:
                        table.total, table.total_line = [label, *values], index + 1
                else:
                    table.rows.append([label, *values])
                    table.row_lines.append(index + 1)
            elif not table.rows:
                header_rows.append(cells)
            index += 1
        width = max((len(r) for r in table.rows), default=0)
        if table.total and len(table.total) > width:
            # The total row keeps the empty cell under the "ที่" column the rows drop.
            table.total = [table.total[0], *[c for c in table.total[1:] if c]][:width]
        table.header = _merge_header(header_rows)
        if table.header and table.header[0] == "ที่":
            table.header = table.header[1:]
        if table.rows:
            tables.append(table)
    return tables


def _merge_header(rows: list[list[str]]) -> list[str]:
    """Two printed header lines ("จำนวนนักเรียน (คน)" over "ชาย | หญิง | รวม") as one."""
    if not rows:
        return []
    width = max(len(r) for r in rows)
    merged = [""] * width
    group = ""
    for i in range(width):
        top = rows[0][i] if i < len(rows[0]) else ""
        if top:
            group = top
        below = " ".join(r[i] for r in rows[1:] if i < len(r) and r[i])
        if below:
            merged[i] = f"{group} {below}".strip() if not top or top == group else below
            if top and top == group and i + 1 < width and not (
                    rows[0][i + 1] if i + 1 < len(rows[0]) else ""):
                merged[i] = f"{group} {below}"
        else:
            merged[i] = top
    return [re.sub(r"\s+", " ", h).strip() for h in merged]


def _projects(lines: list[str], start: int, end: int, source: str,
              notes: list[Problem]) -> list[ReadProject]:
    """Chapter 3: a project is the last "N. โครงการ…" heading before a "งบประมาณ จำนวน" line."""
    projects: list[ReadProject] = []
    policy = ""
    heading: ReadProject | None = None
    headings: dict[int, list[int]] = {}  # number → lines of "N. โครงการ…" headings
    section = ""
    for index in range(start, end):
        text = lines[index].strip()
        if "\t" in lines[index]:
            continue
        m = _POLICY_RE.match(text)
        if m:
            policy, section = m.group(1), ""
            continue
        m = _PROJECT_RE.match(text)
        if m:
            heading = ReadProject(int(m.group(1)), m.group(2).strip(), index + 1,
                                  policy_area=policy)
            headings.setdefault(heading.number, []).append(heading.line)
            section = ""
            continue
        if heading is None:
            continue
        bare = text.strip("*").strip()
        if bare in _PROJECT_SECTIONS:
            section = _PROJECT_SECTIONS[bare]
            continue
        if not bare:
            continue
        if bare.startswith(_SECTION_ENDS):
            section = ""
            continue
        if section and not _GROUP_RE.match(text) and not _BUDGET_RE.match(text):
            heading.texts.setdefault(section, []).append(bare)
            continue
        m = _GROUP_RE.match(text)
        if m and not heading.group_line:
            heading.group_line = index + 1
            heading.group = m.group(1).strip()
            continue
        m = _BUDGET_RE.match(text)
        if m and not heading.budget_line:
            heading.budget = _number(m.group(1))
            heading.budget_line = index + 1
            heading.printed_budget_words = (m.group(2) or "").strip().strip("-").strip()
            if not heading.printed_budget_words:
                notes.append(Problem(index + 1, (
                    f"โครงการที่ {heading.number}: ไม่ได้เขียนจำนวนเงินเป็นตัวอักษร")))
            if projects and projects[-1].number == heading.number:
                continue
            projects.append(heading)
    if not projects:
        raise ReportRejected([Problem(end, (
            "อ่านบทที่ 3 จนจบแล้วไม่พบโครงการ (หัวข้อ \"1. โครงการ…\" ตามด้วย "
            "\"งบประมาณ จำนวน … บาท\")"))], source)
    numbers = [p.number for p in projects]
    for expected, project in zip(range(1, len(projects) + 1), projects, strict=True):
        if project.number == expected:
            continue
        # A heading whose budget line is missing is overtaken by the next heading.
        seen = [line for line in headings.get(expected, []) if line > projects[0].line]
        where = seen[-1] if seen else project.line
        raise ReportRejected([Problem(where, (
            f"โครงการที่ {expected}: ไม่พบบรรทัด \"งบประมาณ จำนวน … บาท\" ก่อนโครงการถัดไป "
            f"(โครงการที่อ่านได้: {', '.join(map(str, numbers))})"))], source)
    return projects


def _amount(cell: str) -> tuple[Decimal, str] | None:
    """"ร้อยละ 100" → (100, ร้อยละ); "38 คน" → (38, คน); "42,753" → (42753, "")."""
    m = _PCT_RE.match(cell)
    if m:
        return _number(m.group(1)), PERCENT
    m = _AMOUNT_RE.match(cell)
    if m:
        try:
            return _number(m.group(1)), m.group(2)
        except InvalidOperation:
            return None
    return None


def _indicator_table(lines: list[str], start: int, projects: list[ReadProject],
                     tables: list[Table], notes: list[Problem]) -> None:
    """Chapter 4's table: project rows (owner), activity rows and indicator rows."""
    by_number = {p.number: p for p in projects}
    schools, students = _area_totals(tables)
    project: ReadProject | None = None
    activity: int | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if "\t" not in line:
            if project is not None and line.strip().startswith("ตารางที่"):
                break
            continue
        cells = _cells(line)
        if len(cells) < 2:
            continue
        if cells[0].isdigit() and int(cells[0]) in by_number and cells[1].startswith("โครงการ"):
            project = by_number[int(cells[0])]
            project.table_line = index + 1
            activity = None
            _owner_and_group(project, cells[1], index + 1, notes)
            continue
        if project is None:
            continue
        if cells[0] == _TOTAL_PREFIX:
            break
        m = _ACTIVITY_RE.match(cells[1])
        if m:
            activity = int(m.group(1))
            project.activities.setdefault(activity, m.group(2).strip())
            continue
        if cells[1].startswith(_INDICATOR_PREFIX):
            project.indicators.append(
                _indicator(cells, index + 1, activity, schools, students, notes))
    for p in projects:
        if not p.table_line:
            notes.append(Problem(p.line, (
                f"โครงการที่ {p.number}: ไม่พบในตารางสรุปผลตัวชี้วัดของบทที่ 4")))
        if not p.group:
            notes.append(Problem(p.group_line or p.line, (
                f"โครงการที่ {p.number}: ไม่ได้ระบุกลุ่มงานที่รับผิดชอบ")))


def _owner_and_group(project: ReadProject, text: str, line: int, notes: list[Problem]) -> None:
    m = re.search(r"\(([^()]*)\)\s*$", text)
    if not m:
        return
    inside = m.group(1).strip()
    person = _PERSON_RE.search(inside)
    owner = person.group(1).strip() if person else ""
    group = inside[: person.start(1)].strip(" /") if person else inside
    project.owner = re.sub(r"\s*/\s*", " / ", owner)
    if not project.group and group:
        # Chapter 3 left it blank (003's project 6); the table names it.
        project.group = group
        notes.append(Problem(line, (
            f"โครงการที่ {project.number}: กลุ่มงานที่รับผิดชอบนำมาจากตารางในบทที่ 4 "
            f"(\"{group}\") เพราะบทที่ 3 เว้นว่างไว้ (บรรทัดที่ {project.group_line})")))


def _area_totals(tables: list[Table]) -> tuple[int | None, int | None]:
    """The office's number of schools and of students, from Chapter 2's total rows."""
    schools = students = None
    for t in tables:
        if not t.total:
            continue
        header = " ".join(t.header)
        values = [_number(v) for v in t.total[1:] if v]
        if schools is None and "โรงเรียน" in t.title and "ขนาด" in t.title and values:
            schools = int(values[-1])
        if students is None and "นักเรียน" in header:
            for i, h in enumerate(t.header):
                if "นักเรียน" in h and h.endswith(_TOTAL_PREFIX) and i < len(t.total):
                    students = int(_number(t.total[i]))
    return schools, students


def _indicator(cells: list[str], line: int, activity: int | None, schools: int | None,
               students: int | None, notes: list[Problem]) -> ReadIndicator:
    name = cells[1][len(_INDICATOR_PREFIX):].strip()
    figures = [(c, _amount(c)) for c in cells[2:] if c]
    target = figures[0][1] if figures else None
    if target is None:
        notes.append(Problem(line, f"ตัวชี้วัด \"{name[:60]}\": ไม่พบค่าเป้าหมาย"))
        target = (Decimal(0), PERCENT)
    rest = [a for _, a in figures[1:] if a is not None]
    percents = [v for v, unit in rest if unit == PERCENT]
    counts = [(v, unit) for v, unit in rest if unit != PERCENT]
    count = int(counts[0][0]) if counts else None
    count_unit = counts[0][1] if counts else ""
    denominator = None
    if count is not None:
        # A share "of the schools (students) of the area" is out of all of them.
        if count_unit == _SCHOOL_UNIT and schools and (
                count == schools or _OF_ALL_SCHOOLS.search(name)):
            denominator = schools
        elif count_unit == _PEOPLE_UNIT and students and _OF_ALL_STUDENTS.search(name):
            denominator = students
    # The table prints the result under "บรรลุ" and, when short, the missing share under
    # "ไม่บรรลุ" (54.39 and 45.61; 67.85 and 22.15): a second, different percentage.
    shortfall = len(percents) >= 2 and percents[1] != percents[0]
    return ReadIndicator(
        line=line, activity=activity, name=name, target_value=target[0],
        target_unit=target[1] or PERCENT, actual_value=percents[0] if percents else None,
        actual_unit=PERCENT, count=count, count_unit=count_unit, denominator=denominator,
        printed_achieved=not shortfall,
    )


def _table13(lines: list[str], source: str) -> tuple[list[dict[str, Any]], list[int],
                                                      dict[str, str], int]:
    """Budget execution by category, its printed total row, and lines below the total."""
    out: list[dict[str, Any]] = []
    numbers: list[int] = []
    totals: dict[str, str] = {}
    totals_line = 0
    for index, line in enumerate(lines):
        if "\t" not in line:
            continue
        cells = _cells(line)
        label = re.sub(r"^\d+\.\s*", "", cells[0])
        values = cells[1:5]
        if len(values) < 2 or not all(_is_number(v) for v in values[:2]):
            continue
        category = next((value for name, value in _CATEGORIES.items()
                         if label.startswith(name)), None)
        if label == _TOTAL_LABEL and out:
            totals = {"allocated": _plain(_number(values[0])),
                      "disbursed": _plain(_number(values[1]))}
            if len(values) > 2 and values[2]:
                totals["remaining"] = _plain(_number(values[2]))
            if len(values) > 3 and values[3]:
                totals["pct"] = _plain(_number(values[3]))
            totals_line = index + 1
            continue
        if category is None:
            continue
        row: dict[str, Any] = {"category": category,
                               "allocated": _plain(_number(values[0])),
                               "disbursed": _plain(_number(values[1]))}
        if label != dict(BudgetCategory.choices)[category]:
            row["label"] = label
        if totals_line:
            # Printed under "รวมทั้งสิ้น" (003's central reserve): not part of the total.
            row["in_total"] = False
        if len(values) > 2 and values[2]:
            row["printed_remaining"] = _plain(_number(values[2]))
        if len(values) > 3 and values[3]:
            row["printed_pct"] = _plain(_number(values[3]))
        out.append(row)
        numbers.append(index + 1)
        if totals_line and not row.get("in_total", True):
            break
    if not out:
        raise ReportRejected([Problem(len(lines), (
            "อ่านถึงท้ายไฟล์แล้วไม่พบตารางผลการเบิกจ่ายงบประมาณตามหมวดงบ "
            "(แถว \"งบบุคลากร\", \"งบดำเนินงาน\" … พร้อมยอดได้รับจัดสรรและเบิกแล้ว)"))], source)
    return out, numbers, totals, totals_line


def _averages(lines: list[str], start: int) -> list[dict[str, Any]]:
    """Rows stating "average of N …" with the scored rows printed right above them."""
    out = []
    for index in range(start, len(lines)):
        cells = _cells(lines[index])
        if len(cells) < 2 or not _is_number(cells[1]):
            continue
        m = _AVERAGE_ROW_RE.search(cells[0])
        if not m:
            continue
        scores: list[str] = []
        score_lines: list[int] = []
        j = index - 1
        while j > start and "\t" in lines[j]:
            row = _cells(lines[j])
            if len(row) < 2 or not _is_number(row[1]):
                break
            scores.insert(0, row[1])
            score_lines.insert(0, j + 1)
            j -= 1
        if scores:
            out.append({"line": index + 1, "label": cells[0], "stated_count": int(m.group(1)),
                        "printed": cells[1], "scores": scores, "score_lines": score_lines})
    return out


_ALIGNMENT_TITLE = "ความสอดคล้อง"
_TAG_START = re.compile(r"(?:(?<=\s)|^)(?=ประเด็นที่\s*\d+|\d+\.\s)")


def _alignment(lines: list[str], chapters: dict[int, int],
               projects: list[ReadProject]) -> dict[str, str]:
    """Chapter 2's table of each project's alignment with national plans and policies.

    Its header names the kinds (they change with governments, so they are read, not
    coded); under each project's row, one row of tags per kind, several in a cell
    ("ประเด็นที่ 11 … ประเด็นที่ 17 …"), "-" for none.
    """
    by_number = {p.number: p for p in projects}
    kinds: dict[str, str] = {}
    inside = False
    current: ReadProject | None = None
    for index in range(chapters.get(2, 0), chapters[3]):
        line = lines[index]
        m = _TABLE_RE.match(line.strip())
        if m and "\t" not in line:
            inside = _ALIGNMENT_TITLE in m.group(2)
            continue
        if not inside:
            continue
        cells = _cells(line)
        project = re.match(r"^(\d+)\.\s*โครงการ", cells[0])
        if project:
            current = by_number.get(int(project.group(1)))
            continue
        if "\t" not in line:
            continue
        if current is None:
            if not kinds and len([c for c in cells if c]) >= 2:
                kinds = {f"k{i}": c for i, c in enumerate(cells, start=1) if c}
            continue
        if kinds and not current.alignment:
            current.alignment = {
                key: [t.strip() for t in _TAG_START.split(cells[i]) if t.strip()]
                if i < len(cells) and cells[i] not in ("", "-") else []
                for i, key in enumerate(kinds)
            }
        current = None
    return kinds


def _paragraphs(lines: list[str], start: int, stop: tuple[str, ...]) -> tuple[str, int]:
    """Lines from ``start`` up to a heading in ``stop`` (or a chapter), joined; and the end."""
    out = []
    index = start
    while index < len(lines):
        text = lines[index].strip()
        if text in stop or _CHAPTER_RE.match(text):
            break
        if text and not text.startswith("["):
            out.append(text)
        index += 1
    return "\n".join(out), index


def _narrative(lines: list[str], chapters: dict[int, int], after: int) -> dict[str, str]:
    """The plan's texts: Chapter 4's opening, the problems and suggestions after Table 13,
    and Chapter 5's opening (the direction for the next year)."""
    out: dict[str, str] = {}
    start = chapters[4] + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines):
        out["introduction"] = lines[start].strip()
    for index in range(after, len(lines)):
        text = lines[index].strip()
        if text == "ปัญหา อุปสรรค" and "problems" not in out:
            out["problems"], _ = _paragraphs(lines, index + 1, ("ข้อเสนอแนะ",))
        elif text == "ข้อเสนอแนะ" and "suggestions" not in out:
            out["suggestions"], _ = _paragraphs(lines, index + 1, ())
        elif _CHAPTER_RE.match(text):
            break
    if 5 in chapters:
        text, _ = _paragraphs(lines, chapters[5] + 1, ("วิสัยทัศน์", "พันธกิจ"))
        out["next_year_direction"] = text
    return {k: v for k, v in out.items() if v}


def _printed_summary(lines: list[str], start: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Chapter 4's "N ตัวชี้วัด จาก M ตัวชี้วัด คิดเป็นร้อยละ P"."""
    for index in range(start, len(lines)):
        m = _ACHIEVED_SUMMARY_RE.search(lines[index])
        if m:
            return ({"indicator_count": int(m.group(2)), "achieved_count": int(m.group(1)),
                     "achievement_pct": m.group(3)},
                    {"indicator_count": index + 1})
    return {}, {}


def _statements(lines: list[str], projects: list[ReadProject]) -> list[dict[str, Any]]:
    """Figures the text states with their parts: percentages of a whole, totals of a list."""
    out: list[dict[str, Any]] = []
    starts = sorted((p.line, p.number) for p in projects)
    for index, line in enumerate(lines):
        if "\t" in line and not line.lstrip().startswith("-"):
            continue
        for m in _RATIO_RE.finditer(line):
            out.append({"kind": "ratio", "label": _context_before(line, m.start()),
                        "part": _plain(_number(m.group(1))), "whole": _plain(_number(m.group(3))),
                        "stated": m.group(4), "source": f"L{index + 1}"})
        for m in _GAP_RE.finditer(line):
            base = _gap_base(lines, index, m.group(1))
            if base is not None:
                out.append({"kind": "ratio", "label": _context_before(line, m.start(1)),
                            "part": m.group(1), "whole": base, "stated": m.group(2),
                            "source": f"L{index + 1}"})
        m2 = _STATED_COUNT_RE.search(line)
        if m2 is None or _PART_RE.match(line.strip()):
            continue
        parts = []
        j = index + 1
        while j < len(lines) and (not lines[j].strip() or _PART_RE.match(lines[j].strip())):
            p = _PART_RE.match(lines[j].strip())
            if p and p.group(3) == m2.group(2):
                parts.append([p.group(1), _plain(_number(p.group(2)))])
            j += 1
        if len(parts) >= 2:
            project = next((n for start, n in reversed(starts) if start <= index + 1), None)
            out.append({"kind": "sum", "project": project,
                        "label": _context_before(line, m2.start()),
                        "stated": _plain(_number(m2.group(1))), "parts": parts,
                        "source": f"L{index + 1}-{j}"})
    return out


def _own_rate_statements(projects: list[ReadProject],
                         printed: dict[str, Any]) -> list[dict[str, Any]]:
    """An indicator measuring the plan's own achievement rate (003's project 9, L3191)
    against the counts the report prints for that rate ("47 of 49", L3061)."""
    if "achieved_count" not in printed or "indicator_count" not in printed:
        return []
    out = []
    for p in projects:
        for i in p.indicators:
            if (_OWN_RATE_RE.search(i.name) and i.actual_unit == PERCENT
                    and i.actual_value is not None):
                out.append({"kind": "ratio", "project": p.number,
                            "label": f"{i.name[:60]} (โครงการที่ {p.number})",
                            "part": str(printed["achieved_count"]),
                            "whole": str(printed["indicator_count"]),
                            "stated": _plain(i.actual_value), "source": f"L{i.line}"})
    return out


def _gap_base(lines: list[str], index: int, gap: str) -> str | None:
    """The value printed just before ``gap`` in a table row shortly above line ``index``."""
    for j in range(index - 1, max(index - _GAP_LOOKBACK, 0), -1):
        cells = _cells(lines[j])
        for k in range(1, len(cells)):
            if cells[k] == gap and _is_number(cells[k - 1]):
                return cells[k - 1]
    return None


def _context_before(line: str, end: int) -> str:
    """What a stated figure is of: the phrase (Thai has no spaces between words) before it."""
    words = line[:end].split()
    phrase = words[-1] if words else ""
    return phrase.removesuffix("จำนวน")[-80:] or " ".join(words[-3:])[-80:]


# --- checks (tidtam.plans.checks on unsaved instances) ------------------------------


def unsaved_plan(data: dict[str, Any]) -> tuple[Plan, list[Project], list[PlanIndicator],
                                               list[BudgetLine]]:
    """The plan as model instances that are never saved, for ``tidtam.plans.checks``."""
    printed = data.get("printed") or {}
    pct = printed.get("achievement_pct")
    plan = Plan(fiscal_year=int(data["fiscal_year"]), title=data["title"],
                statements=data.get("statements", []),
                printed_indicator_count=printed.get("indicator_count"),
                printed_achieved_count=printed.get("achieved_count"),
                printed_achievement_pct=Decimal(pct) if pct is not None else None,
                printed_budget_totals=printed.get("budget_totals", {}))
    projects: list[Project] = []
    indicators: list[PlanIndicator] = []
    for p in data["projects"]:
        project = Project(number=p["number"], title=p["title"], budget=Decimal(p["budget"]),
                          printed_budget_words=p.get("printed_budget_words", ""))
        projects.append(project)
        for order, row in enumerate(p.get("indicators", []), start=1):
            (_activity, name, target, target_unit, actual, actual_unit, count, count_unit,
             denominator, achieved, line) = row
            indicators.append(PlanIndicator(
                project=project, order=order, name=name, target_value=Decimal(target),
                target_unit=target_unit,
                actual_value=Decimal(actual) if actual is not None else None,
                actual_unit=actual_unit, count=count, count_unit=count_unit or "",
                denominator=denominator, printed_achieved=achieved,
                source=f"L{line}" if line else ""))
    lines = [BudgetLine(order=i, category=b["category"], label=b.get("label", ""),
                        allocated=Decimal(b["allocated"]), disbursed=Decimal(b["disbursed"]),
                        in_total=b.get("in_total", True),
                        printed_remaining=(Decimal(b["printed_remaining"])
                                           if b.get("printed_remaining") else None),
                        printed_pct=Decimal(b["printed_pct"]) if b.get("printed_pct") else None)
             for i, b in enumerate(data.get("budget_lines", []), start=1)]
    # Plan.indicators() and budget_lines_in_total() read the database; an unsaved plan
    # answers from these lists instead (instance attributes shadow the methods).
    in_total = [b for b in lines if b.in_total]
    setattr(plan, "indicators", lambda: list(indicators))  # noqa: B010
    setattr(plan, "budget_lines_in_total", lambda: list(in_total))  # noqa: B010
    return plan, projects, indicators, lines


def find_discrepancies(parsed: ParsedReport) -> list[Discrepancy]:
    """Every contradiction ``tidtam.plans.checks`` finds, each with the line it is on."""
    plan, projects, indicators, lines = unsaved_plan(parsed.plan_json())
    found: list[Discrepancy] = []

    def add(finding: checks.Finding, line: int) -> None:
        found.append(Discrepancy(line, finding.kind, finding.where, finding.printed,
                                 finding.expected, _words_hint(finding)))

    for read, project in zip(parsed.projects, projects, strict=True):
        for f in checks.project_findings(project):
            add(f, read.budget_line)
    read_indicators = [i for p in parsed.projects for i in p.indicators]
    for read_i, indicator in zip(read_indicators, indicators, strict=True):
        for f in checks.indicator_findings(indicator):
            add(f, read_i.line)
    for number, line in zip(parsed.budget_line_numbers, lines, strict=True):
        for f in checks.budget_line_findings(line, f"ผลการเบิกจ่าย {line.display_label}"):
            add(f, number)
    for statement, f in _statement_findings(plan):
        add(f, int(re.sub(r"\D.*", "", statement.get("source", "L0")[1:]) or 0))
    for table in parsed.tables:
        for f in _table_findings(table):
            add(f, table.total_line)
    for average in parsed.averages:
        found += _average_findings(average)
    summary_line = parsed.printed_lines.get("indicator_count", 0)
    for f in checks.plan_summary_findings(plan):
        budget = f.where.startswith(("ยอดรวม", "ร้อยละการเบิกจ่ายรวม"))
        add(f, parsed.printed_lines.get("budget_totals", 0) if budget else summary_line)
    return found


def _average_findings(average: dict[str, Any]) -> list[Discrepancy]:
    """The stated count against the rows listed (checks.check_count), and the average itself."""
    out = []
    line, label = average["line"], average["label"]
    scores = [_number(v) for v in average["scores"]]
    f = checks.check_count(label, average["stated_count"], scores)
    if f:
        out.append(Discrepancy(line, f.kind, f.where, f.printed, f.expected, f.message_th))
    printed = _number(average["printed"])
    places = max(len(average["printed"].partition(".")[2]), 0)
    computed = quantize(sum(scores, Decimal(0)) / len(scores), places)
    if quantize(printed, places) != computed:
        out.append(Discrepancy(
            line, "average_vs_scores", label, average["printed"], str(computed),
            f"{label}: ระบุค่าเฉลี่ย {average['printed']} แต่คะแนน {len(scores)} รายการที่แสดง "
            f"(บรรทัดที่ {average['score_lines'][0]}–{average['score_lines'][-1]}) "
            f"เฉลี่ยได้ {computed}"))
    return out


def _table_findings(table: Table) -> list[checks.Finding]:
    """A Chapter 2 table's printed total row against the sum of its rows, column by column."""
    if not table.total:
        return []
    out = []
    for i in range(1, len(table.total)):
        stated = table.total[i]
        parts = [r[i] for r in table.rows if i < len(r) and r[i]]
        if not stated or not parts:
            continue
        head = table.header[i] if i < len(table.header) else f"คอลัมน์ที่ {i + 1}"
        f = checks.check_total(f"ตารางที่ {table.number} {head} {table.total[0]}",
                               _number(stated), [_number(v) for v in parts])
        if f:
            out.append(f)
    return out


def _statement_findings(plan: Plan) -> list[tuple[dict[str, Any], checks.Finding]]:
    """``checks.statement_findings`` one statement at a time, to keep each one's line."""
    out = []
    statements = list(plan.statements)
    for s in statements:
        plan.statements = [s]
        out += [(s, f) for f in checks.statement_findings(plan)]
    plan.statements = statements
    return out


def _words_hint(finding: checks.Finding) -> str:
    """The check's message, plus what amount the printed words do say when they are numerals."""
    if finding.kind != "words_vs_amount":
        return finding.message_th
    from pythainlp.util import thaiword_to_num  # only needed for this hint

    words = finding.printed.replace("บาทถ้วน", "").replace("บาท", "")
    try:
        said = thaiword_to_num(words)
    except (ValueError, KeyError, IndexError):
        return finding.message_th + " (ข้อความที่พิมพ์ไม่ใช่จำนวนเงินที่อ่านเป็นตัวเลขได้)"
    return finding.message_th + f" (ที่พิมพ์อ่านได้ {said:,} บาท)"
