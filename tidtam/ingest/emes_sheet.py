"""Read an e-MES result sheet (seed 004) back into the result-sheet content model.

The text is repaired first (``thai_repair``), then read line by line. Nothing
here knows an indicator: rows are found by the headings the framework nodes
of that fiscal year print (ตัวชี้วัดที่ …, ตัวบ่งชี้ที่ …, or a bare sub-item number), matched in
the order the framework lists them, and a row's figures are read the way its
node is scored (levels per round, one level, target and result, monitored).

The printed levels are the data. Everything derived from them (averages,
labels, achieved or not, overall figures) is recomputed by the project's own
code: the parsed levels are imported as ratings of a throw-away office inside
a transaction that is rolled back, and ``build_sheet`` builds the sheet from
them. That sheet, with the printed averages and labels put back where the
document printed them, is the imported content model; every place where a
printed figure and the recomputed one disagree is listed with its line.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from tidtam.csvfiles import ImportFailed
from tidtam.documents.esa_sheet import ACHIEVED, build_sheet
from tidtam.evaluation.importer import OPTIONAL, OVERALL, REQUIRED, import_ratings
from tidtam.evaluation.models import Recommendation, Status
from tidtam.frameworks.models import (
    EvaluationCycle,
    Framework,
    FrameworkNode,
    Layout,
    Method,
    OverallMethod,
)
from tidtam.ingest.sources import ImportRejected
from tidtam.ingest.thai_repair import repair
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgUnit
from tidtam.thai.numbers import to_arabic_digits

KIND = "emes-sheet"
PREVIEW_ORG_CODE = "IMPORT-PREVIEW-0"

# Words of the sheet's template (not of any framework): a note's prefix, a list bullet.
_NOTE_PREFIX = r"(?:[●•▪➢\-–]\s*)?(?:หมายเหตุ\s*:?\s*)?"
_YEAR_RE = re.compile(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_OVERALL_RE = re.compile(r"^คะแนน\S*รวม")
_SIGNATORY_RE = re.compile(r"^\((?P<name>[\u0e01-\u0e4e][^()]*)\)$")  # "(นางสาว…)"
_NUMBERED_ITEM_RE = re.compile(r"^(\d+)\.\s+(?P<text>\S.*)$")
_DASH = "-"
_OFFICE_PREFIX = "สำนักงานเขตพื้นที่การศึกษา"  # how every area office's name begins


def squash(text: str) -> str:
    """Text without whitespace and with Arabic digits: how headings are compared."""
    return re.sub(r"\s+", "", to_arabic_digits(text))


# --- problems ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int  # 0 = the document as a whole
    message: str

    def __str__(self) -> str:
        return f"บรรทัดที่ {self.line}: {self.message}" if self.line else self.message


class SheetRejected(ImportRejected):
    """The document can't be imported; nothing was written."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(dict.fromkeys(problems))  # one per line and message
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))

    def report(self) -> str:
        where = f" {self.source}" if self.source else ""
        head = f"นำเข้าแบบรายงานผลการประเมิน{where} ไม่ได้ ไม่มีการบันทึกข้อมูลใด ๆ:"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


@dataclass
class Discrepancy:
    """A printed figure that the printed levels don't give."""

    line: int
    framework: str
    code: str | None  # node code; None for the framework's overall row
    field: str
    printed: Any
    computed: Any
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line, "framework": self.framework, "code": self.code,
            "field": self.field, "printed": self.printed, "computed": self.computed,
            "message": self.message,
        }


# --- what a row prints -----------------------------------------------------------


@dataclass
class PrintedRow:
    framework: Framework
    node: FrameworkNode
    line: int
    title: str = ""
    figures_line: int = 0
    status: str = ""  # a Status value, or "" when nothing is printed (a heading)
    rounds: dict[str, int | None] = field(default_factory=dict)
    average: str | None = None
    level: int | None = None
    label: str | None = None
    target: Decimal | None = None
    actual: Decimal | None = None
    result_label: str | None = None

    @property
    def has_figures(self) -> bool:
        return self.figures_line > 0


@dataclass
class PrintedOverall:
    line: int
    count: int
    value: str  # an average ("3.83") or a level ("5")
    label: str


@dataclass
class PrintedRecommendation:
    node: FrameworkNode
    line: int
    title: str
    text: str


@dataclass
class ParsedSheet:
    """An e-MES sheet read back: the content model and where it disagrees with itself."""

    source_name: str
    repaired_text: str
    org: OrgUnit
    fiscal_year: int
    frameworks: list[Framework]
    rows: list[PrintedRow]
    overall: dict[str, PrintedOverall]
    recommendations: list[PrintedRecommendation]
    sheet: dict[str, Any]
    discrepancies: list[Discrepancy]
    notes: list[Problem]

    def rating_rows(self, org_code: str | None = None) -> list[dict[str, str]]:
        return _rating_rows(self, org_code or self.org.code)

    def ratings_csv(self, org_code: str | None = None) -> bytes:
        return ratings_csv(self.rating_rows(org_code))

    def recommendation_rows(self) -> list[dict[str, Any]]:
        return [
            {"framework": r.node.framework.code, "node": r.node.code, "line": r.line,
             "text": r.text}
            for r in self.recommendations
        ]

    def as_json(self) -> dict[str, Any]:
        """The content model plus an ``import`` block (source, problems, ratings)."""
        data = dict(self.sheet)
        data["import"] = {
            "kind": KIND,
            "source": self.source_name,
            "discrepancies": [d.as_dict() for d in self.discrepancies],
            "notes": [{"line": n.line, "message": n.message} for n in self.notes],
            "ratings": self.rating_rows(),
            "recommendations": self.recommendation_rows(),
        }
        return data


def ratings_csv(rows: list[dict[str, str]]) -> bytes:
    """Rows in the ``tidtam ratings import`` format, the one path ratings are written by."""
    out = io.StringIO()
    columns = [*REQUIRED, *OPTIONAL]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# --- reading --------------------------------------------------------------------


@dataclass
class _Context:
    lines: list[str]  # repaired, Arabic digits
    text_lines: list[str]  # repaired, digits as printed (recommendation text)
    raw_lines: list[str]
    org: OrgUnit
    year: int
    frameworks: list[Framework]
    nodes: dict[int, list[FrameworkNode]]  # framework pk → nodes in sheet order
    labels: list[str]  # band labels, longest first
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def parse_emes_sheet(
    raw: str, *, source_name: str = "", org: OrgUnit | None = None
) -> ParsedSheet:
    """Read a result sheet; raise ``SheetRejected`` (Thai, with line numbers) if it isn't one."""
    repaired = repair(raw)
    text_lines = repaired.split("\n")
    lines = [to_arabic_digits(x) for x in text_lines]
    _require_tables(lines, source_name)
    year, year_line = _find_year(lines, source_name)
    frameworks = list(
        Framework.objects.on_sheet(year).select_related("band_table")
    )
    if not frameworks:
        known = sorted(set(Framework.objects.values_list("fiscal_year", flat=True)))
        raise SheetRejected([Problem(year_line, (
            f"ปีงบประมาณ {year} ยังไม่มีกรอบการประเมินในระบบ "
            f"(ปีที่มี: {', '.join(map(str, known)) or 'ยังไม่มี'}) — โหลดกรอบของปีนั้นก่อน"
        ))], source_name)
    found_org, notes = _find_org(lines, org, source_name)
    labels = sorted(
        {b.label_th for fw in frameworks for b in fw.bands()}, key=len, reverse=True
    )
    ctx = _Context(
        lines=lines, text_lines=text_lines, raw_lines=raw.replace("\r\n", "\n").split("\n"),
        org=found_org, year=year, frameworks=frameworks,
        nodes={fw.pk: list(fw.nodes.all().order_by("position")) for fw in frameworks},
        labels=labels, notes=notes,
    )
    reader = _Reader(ctx)
    reader.read()
    if not reader.rows:
        ctx.problems.append(Problem(0, (
            "ไม่ใช่แบบรายงานผลการประเมินของ e-MES: ไม่พบแถวตัวชี้วัดของกรอบการประเมิน "
            f"ปีงบประมาณ {year} ({', '.join(fw.full_name for fw in frameworks)})"
        )))
    if ctx.problems:
        raise SheetRejected(ctx.problems, source_name)
    parsed = ParsedSheet(
        source_name=source_name, repaired_text=repaired, org=found_org, fiscal_year=year,
        frameworks=frameworks,
        rows=reader.rows,
        overall=reader.overall, recommendations=reader.recommendations, sheet={},
        discrepancies=[], notes=ctx.notes,
    )
    _check_missing_rows(parsed, ctx)
    _check_missing_recommendations(parsed, ctx, reader.recommendation_headers)
    computed = _computed_sheet(parsed)
    parsed.sheet, parsed.discrepancies = _as_printed(parsed, computed, reader)
    return parsed


def _require_tables(lines: list[str], source: str) -> None:
    """A result sheet has at least one table headed "… ตาม<framework name>"."""
    names = {"ตาม" + squash(name) for name in Framework.objects.values_list("name_th", flat=True)}
    if any(name in squash(line) for line in lines for name in names):
        return
    titles = sorted(set(Framework.objects.values_list("name_th", flat=True)))
    raise SheetRejected([Problem(0, (
        "ไม่ใช่แบบรายงานผลการประเมินของ e-MES: ไม่พบหัวตารางผลการประเมินตามกรอบใดเลย "
        f"({', '.join(titles) or 'ยังไม่มีกรอบการประเมินในระบบ'})"
    ))], source)


def _find_year(lines: list[str], source: str) -> tuple[int, int]:
    for number, line in enumerate(lines, start=1):
        m = _YEAR_RE.search(line)
        if m:
            return int(m.group(1)), number
    raise SheetRejected([Problem(0, (
        "ไม่ใช่แบบรายงานผลการประเมินของ e-MES: ไม่พบ \"ประจำปีงบประมาณ พ.ศ. ....\" ในเอกสาร"
    ))], source)


def _find_org(
    lines: list[str], org: OrgUnit | None, source: str
) -> tuple[OrgUnit, list[Problem]]:
    """The office named on the sheet (its name_th on a line of its own), or ``org``."""
    offices = {squash(o.name_th): o for o in OrgUnit.objects.filter(type__in=AREA_OFFICE_TYPES)}
    # The first line that is an office's name is the sheet's subject (page 1,
    # under the year); later pages repeat it.
    printed: tuple[int, str, OrgUnit | None] | None = None
    for number, line in enumerate(lines, start=1):
        key = squash(line)
        if key in offices or (key.startswith(_OFFICE_PREFIX) and len(key) < 80):
            printed = (number, line.strip(), offices.get(key))
            break
    notes: list[Problem] = []
    if org is not None:
        if not org.is_area_office:
            raise SheetRejected([Problem(0, (
                f"{org.display_name} ({org.code}) ไม่ใช่สำนักงานเขตพื้นที่การศึกษา"
            ))], source)
        if printed is not None and printed[2] != org:
            notes.append(Problem(printed[0], (
                f"ชื่อหน่วยงานที่พิมพ์ \"{printed[1]}\" ไม่ตรงกับ {org.name_th} ({org.code}) "
                "ที่ระบุให้นำเข้า"
            )))
        return org, notes
    if printed is None:
        raise SheetRejected([Problem(0, (
            "ไม่พบชื่อสำนักงานเขตพื้นที่การศึกษาในเอกสาร — ระบุหน่วยงานด้วย --org รหัสหน่วยงาน"
        ))], source)
    number, name, found = printed
    if found is None:
        raise SheetRejected([Problem(number, (
            f"ไม่พบหน่วยงานชื่อ \"{name}\" ในระบบ — ตรวจชื่อในทะเบียนหน่วยงาน "
            "หรือระบุด้วย --org รหัสหน่วยงาน"
        ))], source)
    return found, notes


class _Reader:
    """The line-by-line pass: summary page, framework blocks, recommendations."""

    def __init__(self, ctx: _Context):
        self.ctx = ctx
        self.rows: list[PrintedRow] = []
        self.overall: dict[str, PrintedOverall] = {}
        self.recommendations: list[PrintedRecommendation] = []
        self.recommendation_headers: dict[int, int] = {}  # framework pk → line of its title
        self.summary: list[tuple[int, str, str | None]] = []  # (line, text, label)
        self.signatory: tuple[int, str, list[str]] | None = None
        self.title_line = 0
        self._fw: Framework | None = None
        self._mode = "summary"
        self._pointer: dict[int, int] = {}
        self._row: PrintedRow | None = None
        self._rec: PrintedRecommendation | None = None
        self._rec_title_open = False
        self._done_signing = False
        self._cycle_title = ""
        labels = {n.label for nodes in ctx.nodes.values() for n in nodes if n.label}
        label_re = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
        self._heading_re = re.compile(
            rf"^{_NOTE_PREFIX}(?P<label>{label_re})\s*(?P<number>[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)"
            r"(?=\s|$)\s*(?P<rest>.*)$"
        )
        self._subitem_re = re.compile(r"^(?P<number>\d+(?:\.\d+)+)\s+(?P<rest>\S.*)$")
        label_alt = "|".join(re.escape(x) for x in ctx.labels)
        self._label_re = label_alt
        self._rounds_re: dict[int, re.Pattern[str]] = {}
        self._level_re = re.compile(rf"(?:^|\s)(?P<level>\d+)\s+(?P<label>{label_alt})$")
        self._status_re = re.compile(
            "(?:^|\\s)(?P<status>" + "|".join(
                re.escape(str(s.label))
                for s in (Status.MONITORED, Status.IN_PROGRESS, Status.UNSCORED)
            ) + ")$"
        )
        achieved = "|".join(re.escape(x) for x in sorted(ACHIEVED.values(), key=len, reverse=True))
        self._target_re = re.compile(
            r"(?:^|\s)(?P<tunit>[^\s\d]+)?\s*(?P<target>\d+(?:\.\d+)?)\s*%?\s+"
            r"(?P<aunit>[^\s\d]+)?\s*(?P<actual>\d+(?:\.\d+)?)\s*%?\s+"
            rf"(?P<result>{achieved})$"
        )
        self._overall_re = re.compile(
            rf"^คะแนน\S*รวม\D*?(?P<count>\d+)\D*?\s(?P<value>\d+(?:\.\d+)?)\s+(?P<label>{label_alt})$"
        )

    # -- the pass --

    def read(self) -> None:
        ctx = self.ctx
        cycle = EvaluationCycle.objects.filter(fiscal_year=ctx.year).first()
        self._cycle_title = squash(cycle.title_th) if cycle else ""
        for index, line in enumerate(ctx.lines):
            number = index + 1
            text = line.strip()
            if not text:
                continue
            if cycle and not self.title_line and squash(text) == squash(cycle.title_th):
                self.title_line = number
            fw = self._block_header(index)
            if fw is not None:
                self._close()
                self._fw, self._mode = fw, "block"
                continue
            rec_fw = self._recommendations_header(text)
            if rec_fw is not None:
                self._close()
                self._fw, self._mode = rec_fw, "recommendations"
                self.recommendation_headers.setdefault(rec_fw.pk, number)
                continue
            if self._mode == "summary":
                self._summary_line(number, text)
            elif self._mode == "block":
                self._block_line(number, text)
            else:
                self._recommendation_line(index, text)
        self._close()

    def _block_header(self, index: int) -> Framework | None:
        """The line that names a framework's table: "… ตาม<framework name>"."""
        here = squash(self.ctx.lines[index])
        for fw in self.ctx.frameworks:
            if "ตาม" + squash(fw.name_th) in here:
                return fw
        return None

    def _recommendations_header(self, text: str) -> Framework | None:
        key = squash(text)
        for fw in self.ctx.frameworks:
            if fw.recommendations_title_th and key == squash(fw.recommendations_title_th):
                return fw
        return None

    # -- page 1 --

    def _summary_line(self, number: int, text: str) -> None:
        m = _SIGNATORY_RE.match(text)
        if m and self.signatory is None:
            self.signatory = (number, m.group("name"), [])
            return
        if self.signatory is not None:
            positions = self.signatory[2]
            # the positions end where the next page's title begins
            if self._done_signing or (self._cycle_title and squash(text).startswith(
                    self._cycle_title)):
                self._done_signing = True
            elif len(positions) < 5:
                positions.append(text)
            return
        item = _NUMBERED_ITEM_RE.match(text)
        if item:
            self.summary.append((number, item.group("text"), None))
        elif not self.summary:
            return
        line, item_text, label = self.summary[-1]
        if not item:
            item_text = f"{item_text} {text}"
        found = re.search(rf"(?:^|\s)({self._label_re})$", text)
        if found:
            label = found.group(1)
            item_text = item_text[: len(item_text) - len(label)].rstrip()
        self.summary[-1] = (line, item_text, label)

    # -- framework tables --

    def _block_line(self, number: int, text: str) -> None:
        assert self._fw is not None
        overall = self._overall_re.match(text)
        if overall:
            self._close()
            self.overall[self._fw.code] = PrintedOverall(
                number, int(overall.group("count")), overall.group("value"), overall.group("label")
            )
            return
        start = self._row_start(number, text)
        if start is not None:
            node, rest = start
            self._close()
            self._row = PrintedRow(framework=self._fw, node=node, line=number)
            self._take(number, rest)
            return
        if self._row is not None:
            self._take(number, text)

    def _row_start(self, number: int, text: str) -> tuple[FrameworkNode, str] | None:
        m = self._heading_re.match(text)
        sub = None if m else self._subitem_re.match(text)
        if not (m or sub):
            return None
        if m:
            heading = f"{m.group('label')} {m.group('number')}"
            rest = m.group("rest")
        else:
            assert sub is not None
            heading, rest = sub.group("number"), sub.group("rest")
        assert self._fw is not None
        fw = self._fw
        if not any(n.heading == heading for n in self.ctx.nodes[fw.pk]):
            # The first page of a table may have lost its header ("มาตรฐานที่ 1" with
            # no "ตามมาตรฐาน…" above it): the heading itself says which framework.
            owners = [
                f for f in self.ctx.frameworks
                if m and any(n.label == m.group("label") for n in self.ctx.nodes[f.pk])
            ]
            if m and len(owners) == 1 and owners[0] != fw:
                fw = self._fw = owners[0]
            elif sub:
                return None  # a numbered line inside a title, not a row of this table
        node = self._match_node(fw, heading, rest, number)
        if node is None:
            return None
        return node, rest

    def _match_node(
        self, fw: Framework, heading: str, rest: str, number: int
    ) -> FrameworkNode | None:
        nodes = self.ctx.nodes[fw.pk]
        start = self._pointer.get(fw.pk, 0)
        candidates = [i for i in range(len(nodes)) if nodes[i].heading == heading]
        if not candidates:
            self.ctx.problems.append(Problem(number, (
                f"ไม่พบ \"{heading}\" ในกรอบ{fw.full_name} ปีงบประมาณ {fw.fiscal_year}"
            )))
            return None
        ahead = [i for i in candidates if i >= start]
        # Same heading under several parents ("ตัวบ่งชี้ที่ 1" in every standard):
        # the next one in sheet order, unless the title says it is a later one.
        title = squash(_strip_figures(rest))
        best = ahead[0] if ahead else candidates[0]
        if title and len(ahead) > 1:
            def closeness(i: int) -> float:
                expected = squash(nodes[i].display_title)[: len(title)]
                return difflib.SequenceMatcher(None, title, expected).ratio()
            best = max(ahead[:3], key=closeness)
        if not ahead and len(candidates) > 1:
            self.ctx.notes.append(Problem(number, (
                f"\"{heading}\" พิมพ์ไม่ตรงตามลำดับในกรอบการประเมิน จึงจับคู่กับรายการแรกที่ชื่อเดียวกัน"
            )))
        self._pointer[fw.pk] = best + 1
        return nodes[best]

    def _take(self, number: int, text: str) -> None:
        """Add a line to the open row: more title, its figures, or neither."""
        row = self._row
        assert row is not None
        expected = len(squash(row.node.display_title))
        title_open = len(squash(row.title)) < expected
        if row.has_figures and not title_open:
            return
        body, figures = self._figures(row, text)
        if figures and not row.has_figures:
            row.figures_line = number
        if title_open and body:
            row.title = _join(row.title, body)
        elif not figures and not title_open:
            # Past the title and not figures: the table's header lines after a
            # page break, or the next page. The row is done.
            self._close()

    def _figures(self, row: PrintedRow, text: str) -> tuple[str, bool]:
        """Read the figures at the end of ``text`` into ``row``; returns (rest, found)."""
        node, fw = row.node, row.framework
        if node.method == Method.LEVELS_PER_ROUND:
            n = len(fw.rounds)
            pattern = self._rounds_re.get(n)
            if pattern is None:
                # Any number here: a level of 7 must reach import_ratings and be
                # refused with its line, not be skipped as "no figures".
                cell = r"(?:\d+|-)"
                pattern = self._rounds_re[n] = re.compile(
                    rf"(?:^|\s)(?P<levels>{cell}(?:\s+{cell}){{{n - 1}}})\s+"
                    rf"(?P<average>\d+\.\d+|-)\s+(?P<label>{self._label_re}|-)$"
                )
            m = pattern.search(text)
            if m:
                levels = m.group("levels").split()
                row.rounds = {r: (None if v == _DASH else int(v)) for r, v in zip(
                    fw.rounds, levels, strict=True)}
                row.average = None if m.group("average") == _DASH else m.group("average")
                row.label = None if m.group("label") == _DASH else m.group("label")
                row.status = (
                    Status.NOT_APPLICABLE if all(v == _DASH for v in levels) else Status.RATED
                )
                return text[: m.start()].strip(), True
            return text, False
        if node.method == Method.TARGET:
            m = self._target_re.search(text)
            if m:
                try:
                    row.target = Decimal(m.group("target"))
                    row.actual = Decimal(m.group("actual"))
                except InvalidOperation:
                    return text, False
                row.result_label = m.group("result")
                row.status = Status.RATED
                return text[: m.start()].strip(), True
        m = self._status_re.search(text)
        if m:
            row.status = Status(
                next(s for s in Status if s.label == m.group("status"))
            ).value
            return text[: m.start()].strip(), True
        if node.method in (Method.SINGLE_LEVEL, Method.AGGREGATE):
            m = self._level_re.search(text)
            if m:
                row.level = int(m.group("level"))
                row.label = m.group("label")
                row.status = Status.RATED
                return text[: m.start()].strip(), True
        return text, False

    def _close(self) -> None:
        if self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if self._rec is not None:
            self._rec.text = self._rec.text.strip()
            self.recommendations.append(self._rec)
            self._rec = None

    # -- recommendations --

    def _recommendation_line(self, index: int, text: str) -> None:
        assert self._fw is not None
        number = index + 1
        m = self._heading_re.match(text)
        if m:
            heading = f"{m.group('label')} {m.group('number')}"
            node = next((n for n in self.ctx.nodes[self._fw.pk] if n.heading == heading), None)
            if node is not None:
                self._close()
                self._rec = PrintedRecommendation(node, number, "", "")
                self._rec_title_open = True
                self._rec_take(index, m.group("rest"))
                return
        if self._rec is not None:
            self._rec_take(index, self.ctx.text_lines[index].strip())

    def _rec_take(self, index: int, text: str) -> None:
        rec = self._rec
        assert rec is not None
        if self._rec_title_open:
            need = len(squash(rec.node.title_th)) - len(squash(rec.title))
            if len(squash(text)) <= need:
                rec.title = _join(rec.title, text)
                self._rec_title_open = len(squash(text)) < need
                return
            # The title ends inside this line. A few characters after it ("”(5)"
            # in 004 L363) are a footnote mark; more are the recommendation itself.
            cut = _after_letters(text, need)
            rec.title = _join(rec.title, text[:cut])
            self._rec_title_open = False
            rest = text[cut:].strip()
            if len(squash(rest)) < 10:
                self.ctx.notes.append(Problem(index + 1, (
                    f"ข้อความต่อท้ายชื่อ{rec.node.heading} \"{rest}\" ไม่ได้นำเข้า "
                    "(น่าจะเป็นเครื่องหมายเชิงอรรถ)"
                )))
                return
            text = rest
        text = re.sub(r"\s{2,}", " ", text)  # layout, not prose
        if not rec.text:
            rec.text = text
        elif _THAI_CHAR.match(rec.text[-1]) and _THAI_CHAR.match(text[0]):
            rec.text = f"{rec.text}{_gap(self.ctx.raw_lines, index - 1)}{text}"
        else:
            rec.text = f"{rec.text} {text}"

    # -- after the pass --

    def rows_by_node(self) -> dict[int, PrintedRow]:
        return {r.node.pk: r for r in self.rows}


def _after_letters(text: str, count: int) -> int:
    """Index in ``text`` just after its first ``count`` non-space characters."""
    seen = 0
    for i, c in enumerate(text):
        if not c.isspace():
            seen += 1
            if seen == count:
                return i + 1
    return len(text)


def _strip_figures(text: str) -> str:
    return re.sub(r"(\s+(?:[1-5]|-|\d+\.\d+)\b.*)$", "", text)


_THAI_CHAR = re.compile("[\u0e01-\u0e4e]")


def _join(left: str, right: str) -> str:
    """Join a wrapped title: Thai runs on without a space, anything else with one."""
    if not left:
        return right
    if _THAI_CHAR.match(left[-1:]) and _THAI_CHAR.match(right[:1]):
        return left + right
    return f"{left} {right}"


def _gap(raw_lines: list[str], index: int) -> str:
    """The space a line break between two Thai letters stood for.

    Judged from how the source line ended: PDF extraction mostly leaves two or
    more spaces where the line ended between phrases, and one or none where
    it broke inside one (45 of 56 breaks in 004's recommendations agree with
    the hand-repaired text; no rule tried did better, the dictionary worst).
    """
    if index < 0 or index >= len(raw_lines):
        return ""
    # the previous non-empty line of the source
    while index >= 0 and not raw_lines[index].strip():
        index -= 1
    if index < 0:
        return ""
    line = raw_lines[index].rstrip("\r")
    trailing = len(line) - len(line.rstrip(" \u00a0"))
    return " " if trailing >= 2 else ""


def _check_missing_rows(parsed: ParsedSheet, ctx: _Context) -> None:
    for r in parsed.rows:
        if not r.has_figures and r.node.is_rated and r.node.applies(parsed.org):
            ctx.notes.append(Problem(r.line, (
                f"{r.node.heading} ({r.framework.full_name}) ไม่มีผลการประเมินพิมพ์ไว้ "
                "จึงนำเข้าเป็น \"ไม่มีผลการประเมิน\""
            )))
    printed = {r.node.pk for r in parsed.rows}
    for fw in ctx.frameworks:
        if not any(r.framework == fw for r in parsed.rows):
            ctx.notes.append(Problem(0, f"ไม่พบตาราง{fw.full_name} ในเอกสาร"))
            continue
        missing = [n for n in ctx.nodes[fw.pk] if n.pk not in printed]
        for n in missing:
            ctx.notes.append(Problem(0, f"ไม่พบแถว {n.heading} {n.title_th} ({fw.full_name})"))


def _check_missing_recommendations(
    parsed: ParsedSheet, ctx: _Context, headers: dict[int, int]
) -> None:
    """What the sheet's own structure says is missing from its recommendations.

    A framework with a recommendations part prints one recommendation per
    indicator it rated, in the order of its table, and the part is the last
    thing on the sheet. So an indicator rated in the table but without its
    recommendation is missing; a rated indicator missing after the last
    recommendation of the file means the file ends early, and that last
    recommendation, running to the end of the file, was most likely cut
    short too. Each is a note for the reviewer: the draft keeps what was read.
    """
    last = max(parsed.recommendations, key=lambda r: r.line, default=None)
    for fw in ctx.frameworks:
        title = fw.recommendations_title_th
        rated = [r for r in parsed.rows if r.framework == fw and r.has_figures
                 and r.status == Status.RATED and r.node.is_rated]
        if not title or not rated:
            continue
        if fw.pk not in headers:
            ctx.notes.append(Problem(0, (
                f"ไม่พบส่วน \"{title}\" ในเอกสาร: {len(rated)} ตัวชี้วัดที่มีผลการประเมิน"
                "จึงไม่มีข้อเสนอแนะ (เอกสารอาจไม่ครบ หรือถูกตัดท้าย)"
            )))
            continue
        found = {r.node.pk: r for r in parsed.recommendations if r.node.framework_id == fw.pk}
        for r in rated:
            if r.node.pk not in found:
                ctx.notes.append(Problem(r.line, (
                    f"{r.node.heading} มีผลการประเมิน แต่ไม่พบข้อเสนอแนะของตัวชี้วัดนี้"
                    f"ในส่วน \"{title}\""
                )))
        for rec in found.values():
            if not rec.text:
                ctx.notes.append(Problem(rec.line, (
                    f"ข้อเสนอแนะของ{rec.node.heading} มีแต่ชื่อตัวชี้วัด ไม่มีข้อความ"
                )))
        if last is None or last.node.framework_id != fw.pk:
            continue
        after = [r.node.heading for r in rated
                 if r.node.pk not in found and r.node.position > last.node.position]
        if after:
            ctx.notes.append(Problem(last.line, (
                f"เอกสารน่าจะถูกตัดท้าย: ข้อเสนอแนะของ{last.node.heading} เป็นข้อความสุดท้ายของไฟล์ "
                f"และตัวชี้วัดที่ตามมา ({', '.join(after)}) ไม่มีข้อเสนอแนะเลย "
                f"ข้อความของ{last.node.heading} จึงอาจขาดหายตอนท้าย — ตรวจว่าได้ไฟล์ครบทุกหน้า"
            )))


# --- ratings from the printed rows -----------------------------------------------


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _rating_rows(parsed: ParsedSheet, org_code: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    year = str(parsed.fiscal_year)

    def add(row: PrintedRow | None, fw: Framework, node: str, rnd: str, **values: str) -> None:
        rows.append({
            "org_code": org_code, "year": year, "framework": fw.code, "node": node,
            "round": rnd, "level": values.get("level", ""), "status": values.get("status", ""),
            "target": values.get("target", ""), "actual": values.get("actual", ""),
            "note": values.get("note", ""),
            "line": str((row.figures_line or row.line) if row else 0),
        })

    for r in parsed.rows:
        fw, node = r.framework, r.node
        if node.method == Method.GROUP:
            continue
        status = r.status
        if node.method == Method.LEVELS_PER_ROUND:
            for rnd in fw.rounds:
                if status == Status.NOT_APPLICABLE or not r.has_figures:
                    level = _DASH if status == Status.NOT_APPLICABLE or not node.applies(
                        parsed.org) else ""
                    add(r, fw, node.code, rnd, level=level,
                        status="" if level else Status.UNSCORED)
                else:
                    value = r.rounds.get(rnd)
                    add(r, fw, node.code, rnd, level=_DASH if value is None else str(value))
            continue
        rnd = fw.rounds[0]
        if node.method == Method.MONITORED:
            add(r, fw, node.code, rnd, status=Status.MONITORED)
        elif status in (Status.MONITORED, Status.IN_PROGRESS, Status.UNSCORED):
            add(r, fw, node.code, rnd, status=status)
        elif status == Status.NOT_APPLICABLE or (not r.has_figures and not node.applies(
                parsed.org)):
            add(r, fw, node.code, rnd, level=_DASH)
        elif not r.has_figures:
            add(r, fw, node.code, rnd, status=Status.UNSCORED)
        elif node.method == Method.TARGET:
            assert r.actual is not None
            target = r.target if r.target is not None and r.target != node.target_value else None
            add(r, fw, node.code, rnd, actual=_number(r.actual),
                target=_number(target) if target is not None else "")
        else:
            add(r, fw, node.code, rnd, level=str(r.level))
    for fw in parsed.frameworks:
        o = parsed.overall.get(fw.code)
        if o is not None and fw.overall == OverallMethod.EVALUATOR:
            rows.append({
                "org_code": org_code, "year": year, "framework": fw.code, "node": OVERALL,
                "round": fw.rounds[0], "level": o.value.split(".")[0], "status": "",
                "target": "", "actual": "", "note": "", "line": str(o.line),
            })
    return rows


# --- the sheet the printed levels give ----------------------------------------------


def preview_sheet(
    org: OrgUnit, year: int, rating_rows: list[dict[str, str]],
    recommendations: list[dict[str, Any]],
) -> dict[str, Any]:
    """``build_sheet`` over these ratings alone, written nowhere.

    A stand-in office of the same type gets the ratings through
    ``import_ratings`` (so they pass the same checks an accepted draft will)
    inside a transaction that is always rolled back.
    """
    with transaction.atomic():
        stand_in = OrgUnit.objects.create(
            code=PREVIEW_ORG_CODE, name_th=org.name_th, short_name_th=org.short_name_th,
            type=org.type, parent=org.parent,
        )
        try:
            import_ratings(ratings_csv([dict(r, org_code=stand_in.code) for r in rating_rows]))
        except ImportFailed as exc:
            transaction.set_rollback(True)
            lines = {i: int(r.get("line") or 0) for i, r in enumerate(rating_rows, start=2)}
            raise SheetRejected([
                Problem(lines.get(e.row, 0), e.message) for e in exc.errors
            ]) from None
        nodes = {
            (n.framework.code, n.code): n
            for n in FrameworkNode.objects.filter(framework__fiscal_year=year)
            .select_related("framework")
        }
        Recommendation.objects.bulk_create([
            Recommendation(org=stand_in, node=nodes[(r["framework"], r["node"])], text=r["text"])
            for r in recommendations if (r["framework"], r["node"]) in nodes
        ])
        sheet = build_sheet(stand_in, year)
        transaction.set_rollback(True)
    sheet["office"] = {
        "code": org.code, "name_th": org.name_th, "short_name_th": org.short_name_th,
        "type": org.type, "type_label": org.get_type_display(),
    }
    return _without_sources(sheet)


def _without_sources(value: Any) -> Any:
    """Rating ids of the rolled-back stand-in mean nothing: a draft has no sources yet."""
    if isinstance(value, dict):
        return {k: ([] if k == "sources" else _without_sources(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_sources(v) for v in value]
    return value


def _computed_sheet(parsed: ParsedSheet) -> dict[str, Any]:
    try:
        return preview_sheet(
            parsed.org, parsed.fiscal_year, parsed.rating_rows(), parsed.recommendation_rows()
        )
    except SheetRejected as exc:
        raise SheetRejected(exc.problems, parsed.source_name) from None


def _as_printed(
    parsed: ParsedSheet, computed: dict[str, Any], reader: _Reader
) -> tuple[dict[str, Any], list[Discrepancy]]:
    """The computed sheet with the printed figures put back, and where they differ."""
    sheet = dict(computed)
    found: list[Discrepancy] = []
    by_node = reader.rows_by_node()

    def differs(line: int, fw: str, code: str | None, what: str, field_name: str,
                printed: Any, value: Any, why: str) -> None:
        found.append(Discrepancy(
            line, fw, code, field_name, printed, value,
            f"{what}: พิมพ์ {printed if printed is not None else '-'} "
            f"แต่{why} {value if value is not None else '-'}",
        ))

    for fw in parsed.frameworks:
        if fw.code not in sheet:
            continue
        block = sheet[fw.code] = dict(sheet[fw.code])
        nodes = {n.code: n for n in fw.nodes.all()}
        layout = Layout(fw.layout)
        new_rows = []
        for row in block["rows"]:
            row = dict(row)
            printed = by_node.get(nodes[row["code"]].pk)
            row["line"] = printed.line if printed else None
            if printed is None:
                new_rows.append(row)
                continue
            what = f"{row['heading']}"
            line = printed.figures_line or printed.line
            if layout == Layout.ROUNDS and printed.status == Status.RATED:
                for key, name in (("average", "ค่าเฉลี่ย"), ("label", "คำอธิบายระดับ")):
                    value = getattr(printed, key)
                    if value != row[key]:
                        levels = " และ ".join(
                            f"{r['label']} {printed.rounds.get(r['code'])}"
                            for r in block["rounds"]
                        )
                        differs(line, fw.code, row["code"], f"{what} {name}", key, value,
                                row[key], f"คำนวณจากระดับ{levels} ได้")
                        row.setdefault("computed", {})[key] = row[key]
                        row[key] = value
            elif printed.level is not None and printed.label != row.get("label"):
                differs(line, fw.code, row["code"], f"{what} คำอธิบายระดับ", "label",
                        printed.label, row.get("label"), f"ระดับ {printed.level} ตามเกณฑ์คือ")
                row.setdefault("computed", {})["label"] = row.get("label")
                row["label"] = printed.label
            if printed.result_label is not None and printed.result_label != row.get(
                    "result_label"):
                differs(line, fw.code, row["code"], f"{what} การแปลผล", "result_label",
                        printed.result_label, row.get("result_label"),
                        f"ผล {printed.actual} เทียบค่าเป้าหมาย {row.get('target')} คือ")
                row.setdefault("computed", {})["result_label"] = row.get("result_label")
                row["result_label"] = printed.result_label
                row["achieved"] = printed.result_label == ACHIEVED[True]
            new_rows.append(row)
        block["rows"] = new_rows
        if layout == Layout.RATED_AND_TARGET:
            codes = {r["code"]: r for r in new_rows}
            block["rated"] = dict(block["rated"], rows=[codes[r["code"]] for r in
                                                         block["rated"]["rows"]])
            block["target"] = dict(block["target"], rows=[codes[r["code"]] for r in
                                                           block["target"]["rows"]])
            block["notes"] = [
                dict(r, line=by_node[nodes[r["code"]].pk].line if nodes[r["code"]].pk in by_node
                     else None) for r in block["notes"]
            ]
        block["overall"] = _overall_as_printed(fw, block, parsed.overall.get(fw.code), differs)
        if layout == Layout.RATED_AND_TARGET:
            block["rated"] = dict(block["rated"], overall=block["overall"])
    _summary_as_printed(parsed, sheet, reader, differs)
    return sheet, found


def _overall_as_printed(
    fw: Framework, block: dict[str, Any], printed: PrintedOverall | None, differs: Any
) -> dict[str, Any]:
    overall = dict(block["overall"])
    if printed is None:
        overall["line"] = None
        return overall
    overall["line"] = printed.line
    what = f"ภาพรวม{fw.full_name}"
    if printed.count != overall.get("count"):
        differs(printed.line, fw.code, None, f"{what} จำนวนตัวชี้วัด", "count", printed.count,
                overall.get("count"), "นับตัวชี้วัดที่ประเมินได้")
        overall.setdefault("computed", {})["count"] = overall.get("count")
        overall["count"] = printed.count
    if fw.overall == OverallMethod.EVALUATOR:
        level = int(printed.value.split(".")[0])
        # The evaluator's level is the data (it went into the ratings); only its
        # label can disagree with the band table.
        if printed.label != overall.get("label"):
            differs(printed.line, fw.code, None, f"{what} คำอธิบายระดับ", "label",
                    printed.label, overall.get("label"), f"ระดับ {level} ตามเกณฑ์คือ")
            overall.setdefault("computed", {})["label"] = overall.get("label")
            overall["label"] = printed.label
        return overall
    for key, value, name in (("average", printed.value, "ค่าเฉลี่ย"),
                             ("label", printed.label, "คำอธิบายระดับ")):
        if value != overall.get(key):
            differs(printed.line, fw.code, None, f"{what} {name}", key, value, overall.get(key),
                    "คำนวณจากตัวชี้วัดได้")
            overall.setdefault("computed", {})[key] = overall.get(key)
            overall[key] = value
    return overall


def _summary_as_printed(
    parsed: ParsedSheet, sheet: dict[str, Any], reader: _Reader, differs: Any
) -> None:
    items = [dict(i) for i in sheet["summary"]["items"]]
    for item, (line, text, label) in zip(items, reader.summary, strict=False):
        item["line"] = line
        overall = sheet[item["framework"]]["overall"]
        block_label = overall.get("computed", {}).get("label", overall.get("label"))
        expected = squash(item["title"])
        if difflib.SequenceMatcher(None, squash(text), expected).ratio() < 0.6:
            parsed.notes.append(Problem(line, (
                f"หน้าสรุปข้อ \"{text}\" ไม่ตรงกับกรอบ {item['title']}"
            )))
        if label != block_label:
            differs(line, item["framework"], None, f"หน้าสรุป {item['title']}", "summary_label",
                    label, block_label, "ภาพรวมในตารางคือ")
            item.setdefault("computed", {})["label"] = block_label
            item["label"] = label
    if len(reader.summary) != len(items):
        parsed.notes.append(Problem(0, (
            f"หน้าสรุปมี {len(reader.summary)} ข้อ แต่กรอบการประเมินของปีนี้มี {len(items)} กรอบ"
        )))
    summary = dict(sheet["summary"], items=items)
    if reader.signatory is not None:
        line, name, positions = reader.signatory
        summary["signatory"] = {"name": name, "positions": positions, "line": line}
    sheet["summary"] = summary
    if reader.title_line:
        sheet["title_line"] = reader.title_line
    for rec in sheet.get("recommendations", []):
        match = next((r for r in parsed.recommendations if r.node.code == rec["code"]
                      and r.node.framework.code == rec["framework"]), None)
        rec["line"] = match.line if match else None
