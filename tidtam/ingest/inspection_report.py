"""Read an inspection report (form รต., seeds 001 and 002) into a tree of what it printed.

This module only reads text (already repaired by ``thai_repair``); it knows
the form's layout, not the framework: "นโยบายที่ N" → "N.M issue" → the five
numbered sub-sections "N.M.k" → in the first, the numbered questions "1)"
(sub-types "1.1)") and the units' paragraphs; the third is a two-column
problem ↔ solution table; the fifth has two levels of suggestions. Matching
the printed numbers to the framework, finding the units named at the start
of a paragraph and the office that printed the report need the database and
are done by ``tidtam.ingest.handlers.inspection``.

Headings may be numbered in Thai digits ("๑.๑"); they are matched as Arabic,
while paragraphs keep their digits as printed. Two extractions occur in the
seeds and both are read: 001 (paragraphs
separated by blank lines, table rows as "problem<TAB>solution") and 002 (no
blank lines, items numbered "1.", table cells one per line with the
solutions as "- …" lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tidtam.ingest.sources import ImportRejected
from tidtam.thai.numbers import to_arabic_digits as arabic

# The five sub-sections in the form's order (the framework fixture uses the same keys).
SECTION_KEYS = {1: "progress", 2: "factors", 3: "problems", 4: "best_practice", 5: "suggestions"}
# How each sub-section's printed title begins (a different title is noted, 002's 2.6.3).
SECTION_TITLES = {
    1: "ความก้าวหน้าของการดำเนินงาน", 2: "ปัจจัยขับเคลื่อน", 3: "ปัญหาและอุปสรรค",
    4: "นวัตกรรม", 5: "ข้อเสนอแนะ",
}
# The two levels of suggestions of the form; the keys are the framework fixture's parts.
PART_LABELS = (("area", "ระดับพื้นที่"), ("policy", "ระดับนโยบาย"))

_POLICY_RE = re.compile(r"^นโยบายที่\s*(\d+)\s*(.*)$")
_ISSUE_RE = re.compile(r"^(\d+)\.(\d+)\s+(\S.*)$")
_SECTION_RE = re.compile(r"^(\d+)\.(\d+)\.([1-5])(?:\s+(.*))?$")
_QUESTION_RE = re.compile(r"^(\d+)\)\s*(\S.*)$")
_SUBTYPE_RE = re.compile(r"^(\d+)\.(\d+)\)\s*(\S.*)$")
_YEAR_RE = re.compile(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_ROUND_RE = re.compile(r"รอบที่\s*(\d)")
_REPORTS_RE = re.compile(r"^(.*?)\s*ขอรายงาน")
_TABLE_HEADER = ("ปัญหา/อุปสรรค", "วิธีการ/แนวทาง")
# Markers that start an item; the first one a block uses is its top level.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("sub", re.compile(r"^\d+\.\d+\)?\s")),
    ("dot", re.compile(r"^\d+\s?\.(?!\d)\s*")),
    ("paren", re.compile(r"^\d+\)\s*")),
    ("pparen", re.compile(r"^\(\d+\)\s*")),
    ("dash", re.compile(r"^[-–•·]\s*")),
]
_LEADING_MARKS = re.compile(r"^(?:(?:[-–•·]|\d+\s?\.(?!\d)|\d+\)|\(\d+\))\s*)+")
# "ไม่มี" as an answer, however it was typed: "-", "- ไม่มี -", "-ไม่มี–", "ไม่มี"
_NONE_RE = re.compile(r"^[-–.\s]*(?:ไม่มี)?[-–.\s]*$")
# Lines the extraction leaves that carry no text (a lost image's placeholder, a stray dot).
_NOISE_RE = re.compile(r"^[\s.·]*$|^(?:\[[^\]]*ภาพ[^\]]*\]\s*)+$")
# thai_repair's placeholder for an image the extraction lost ("[ภาพ]"), at a line's start
_IMAGE_RE = re.compile(r"^(?:\[[^\]]*ภาพ[^\]]*\]\s*)+")


class InspectionRejected(ImportRejected):
    """Not an inspection report (or not one this form); nothing was written."""

    def __init__(self, line: int, message: str, source: str = "") -> None:
        self.line, self.message, self.source = line, message, source
        super().__init__(f"บรรทัดที่ {line}: {message}")

    def report(self) -> str:
        where = f" {self.source}" if self.source else ""
        return (
            f"นำเข้ารายงานผลการตรวจราชการ{where} ไม่ได้ ไม่มีการบันทึกข้อมูลใด ๆ:\n"
            f"- บรรทัดที่ {self.line}: {self.message}"
        )


_HINTS_RE = re.compile(r"^\)?\s*(?:\(ถ้ามี\))?\s*\**\s*(?:ระบุรายละเอียดพอสังเขป\s*และแนบรูปภาพ)?")


def _finish_best_practice_title(section: dict[str, Any]) -> str:
    """Cut the heading after "(Best Practice)"; what follows its hints is the answer ("-")."""
    title = section["title"]
    if "Best Practice" not in title:
        return ""
    head, tail = title.split("Best Practice", 1)
    section["title"] = f"{head}Best Practice)"
    return _HINTS_RE.sub("", tail.strip(), count=1).strip()


def is_hint(text: str) -> bool:
    """The form's instructions left in the text ("** ระบุรายละเอียดพอสังเขป และแนบรูปภาพ")."""
    return bool(re.match(r"^\**\s*ระบุรายละเอียดพอสังเขป", text)) or text in ("(Best Practice)",
                                                                            "(ถ้ามี)")


def is_none(text: str) -> bool:
    """"-", "- ไม่มี -", "ไม่มี": the unit's explicit answer that there is nothing."""
    return bool(text.strip()) and bool(_NONE_RE.match(text.strip()))


def strip_marks(text: str) -> str:
    """The paragraph without its list markers ("- (1) ", "1. ", "2) ")."""
    return _LEADING_MARKS.sub("", text).strip()


def normalized(text: str) -> str:
    return " ".join(text.split())


def _marker(text: str) -> str | None:
    for name, pattern in _MARKERS:
        if pattern.match(text):
            return name
    return None


@dataclass
class Line:
    number: int
    text: str  # stripped


def paragraphs(lines: list[Line]) -> list[dict[str, Any]]:
    """Paragraphs of a block: a blank line ends one, so does an item of the block's top level.

    Lines of a lower level ("1)" under "1.") and hard-wrapped lines join the
    paragraph they continue.
    """
    top = next((m for m in (_marker(ln.text) for ln in lines if ln.text) if m), None)
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for ln in lines:
        if not ln.text or _NOISE_RE.match(ln.text) or is_hint(ln.text):
            if not ln.text:
                current = None
            continue
        starts = current is None or (top is not None and _marker(ln.text) == top)
        if starts:
            current = {"line": ln.number, "last_line": ln.number, "text": ln.text}
            out.append(current)
        else:
            assert current is not None
            current["text"] = f"{current['text']} {ln.text}"
            current["last_line"] = ln.number
    for p in out:
        p["text"] = normalized(p["text"])
        p["none"] = is_none(p["text"])
    return out


@dataclass
class Reader:
    """Reads the repaired lines into the tree; ``notes`` collects what is missing or odd."""

    lines: list[str]
    is_question: Callable[[str, int, str], bool] = lambda issue, n, text: True
    is_subtype: Callable[[str, str], bool] = lambda issue, number: True
    knows: Callable[[str, int], bool] = lambda issue, number: True
    question_length: Callable[[str, str], int] = lambda issue, number: 0
    notes: list[dict[str, Any]] = field(default_factory=list)

    def note(self, line: int, message: str, kind: str = "note") -> None:
        self.notes.append({"line": line, "message": message, "kind": kind})

    def numbered(self) -> Iterator[Line]:
        for i, raw in enumerate(self.lines, start=1):
            text = raw.strip()
            yield Line(i, _IMAGE_RE.sub("", text) or text)

    # --- the front matter -----------------------------------------------------------

    def front(self, first_policy: int) -> dict[str, Any]:
        head: dict[str, Any] = {"office_name": "", "office_line": None, "fiscal_year": None,
                                "year_line": None, "round": None, "round_line": None,
                                "form": ""}
        for ln in list(self.numbered())[: max(first_policy - 1, 0)]:
            if not head["form"] and ln.text.startswith("แบบ รต"):
                head["form"] = ln.text
            m = _YEAR_RE.search(arabic(ln.text))
            if m and head["fiscal_year"] is None:
                head["fiscal_year"], head["year_line"] = int(m.group(1)), ln.number
            m = _ROUND_RE.search(arabic(ln.text))
            if m and head["round"] is None:
                head["round"], head["round_line"] = int(m.group(1)), ln.number
            m = _REPORTS_RE.match(ln.text)
            if m and not head["office_name"]:
                head["office_name"], head["office_line"] = m.group(1).strip(), ln.number
        return head

    # --- the outline ----------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        all_lines = list(self.numbered())
        policies: list[dict[str, Any]] = []
        issue: dict[str, Any] | None = None
        section: dict[str, Any] | None = None
        body: list[Line] = []
        title_open: dict[str, Any] | None = None  # a heading that wraps onto the next lines

        def close() -> None:
            nonlocal body
            if section is not None:
                section["_body"] = body
            body = []

        for idx, ln in enumerate(all_lines):
            text = ln.text
            m = _POLICY_RE.match(arabic(text))
            if m:
                close()
                section, issue, title_open = None, None, None
                policies.append({"number": int(m.group(1)), "title": m.group(2).strip(),
                                 "line": ln.number, "issues": []})
                continue
            if not policies:
                continue
            policy = policies[-1]
            m = _SECTION_RE.match(arabic(text))
            if m and self._section_here(m, issue, policy, section):
                code = f"{m.group(1)}.{m.group(2)}"
                if issue is None or issue["code"] != code:
                    close()
                    issue = self._issue(policy, code, "", ln.number)
                    self.note(ln.number, f"ไม่พบหัวข้อประเด็นที่ {code} ก่อนหัวข้อย่อย {text[:20]}")
                close()
                k = int(m.group(3))
                section = {"number": k, "key": SECTION_KEYS[k], "title": (m.group(4) or "").strip(),
                           "line": ln.number}
                issue["sections"].append(section)
                title_open = None
                if k == 4:
                    title_open = None if "Best Practice" in section["title"] else section
                    rest = _finish_best_practice_title(section)
                    if rest:
                        body.append(Line(ln.number, rest))
                continue
            m = _ISSUE_RE.match(arabic(text))
            if m and self._issue_here(m, policy, issue, all_lines, idx):
                close()
                section = None
                issue = self._issue(policy, f"{m.group(1)}.{m.group(2)}", m.group(3).strip(),
                                    ln.number)
                title_open = issue
                continue
            if title_open is not None and section is None and text:
                # an issue's title wrapped onto the next line(s), until its first sub-section
                title_open["title"] = f"{title_open['title']} {text}".strip()
                continue
            if title_open is not None and section is title_open and text \
                    and _marker(text) is None:
                # the best-practice heading wraps until "(Best Practice)" and its hints
                section["title"] = f"{section['title']} {text}"
                title_open = None if "Best Practice" in text or len(section["title"]) > 400 \
                    else section
                rest = _finish_best_practice_title(section)
                if rest:
                    body.append(Line(ln.number, rest))
                continue
            body.append(ln)
        close()
        if not policies:
            raise InspectionRejected(
                len(all_lines),
                "ไม่พบหัวข้อ \"นโยบายที่ 1\" ทั้งไฟล์ จึงไม่ใช่รายงานผลการตรวจราชการตามแบบ รต.",
            )
        for policy in policies:
            for iss in policy["issues"]:
                for sec in iss["sections"]:
                    self._fill(iss, sec, sec.pop("_body", []))
                self._check_sections(iss)
        head = self.front(policies[0]["line"])
        head["policies"] = policies
        return head

    def _issue(self, policy: dict[str, Any], code: str, title: str, line: int) -> dict[str, Any]:
        issue = {"code": code, "title": title, "line": line, "sections": []}
        policy["issues"].append(issue)
        return issue

    def _section_here(self, m: re.Match[str], issue: dict[str, Any] | None,
                      policy: dict[str, Any], section: dict[str, Any] | None) -> bool:
        """A sub-section heading of the current issue (or of the policy's next one)."""
        code, k = f"{m.group(1)}.{m.group(2)}", int(m.group(3))
        if issue is not None and issue["code"] == code:
            done = {s["number"] for s in issue["sections"]}
            return k not in done and (section is None or k > section["number"])
        return int(m.group(1)) == policy["number"] and k == 1

    def _issue_here(self, m: re.Match[str], policy: dict[str, Any],
                    issue: dict[str, Any] | None, lines: list[Line], idx: int) -> bool:
        """"N.M title" is an issue heading only in its policy and followed by "N.M.1".

        Numbered steps inside a paragraph ("1.1 ศึกษาสภาพปัญหา…", 001 L414) are not.
        """
        if int(m.group(1)) != policy["number"]:
            return False
        if issue is not None and issue["code"] == f"{m.group(1)}.{m.group(2)}":
            return False
        want = f"{m.group(1)}.{m.group(2)}.1"
        for ln in lines[idx + 1: idx + 6]:
            if _SECTION_RE.match(arabic(ln.text)):
                return arabic(ln.text).startswith(want)
        return False

    def _check_sections(self, issue: dict[str, Any]) -> None:
        present = {s["number"] for s in issue["sections"]}
        for k in range(1, 6):
            if k not in present:
                self.note(issue["line"], f"ประเด็นที่ {issue['code']} ไม่มีหัวข้อ {issue['code']}.{k} "
                          f"({SECTION_TITLES[k]}…)", "missing")
        for s in issue["sections"]:
            expected = SECTION_TITLES[s["number"]]
            if s["title"] and not s["title"].startswith(expected):
                self.note(s["line"], f"หัวข้อ {issue['code']}.{s['number']} พิมพ์ว่า \"{s['title']}\" "
                          f"แทน \"{expected}…\" (อ่านเป็นหัวข้อที่ {s['number']} ตามเลขที่พิมพ์)")

    # --- the sub-sections -----------------------------------------------------------

    def _fill(self, issue: dict[str, Any], section: dict[str, Any], body: list[Line]) -> None:
        key = section["key"]
        if key == "suggestions":
            body = self._heading_part(section, body)
        if key == "progress":
            self._progress(issue, section, body)
        elif key == "problems":
            section["rows"] = self._rows(issue, section, body)
            section["none"] = not section["rows"] and any(is_none(ln.text) for ln in body)
        elif key == "suggestions":
            section["parts"] = self._parts(issue, section, body)
        else:
            section["paragraphs"] = paragraphs(body)
        self._mark_none(issue, section)

    def _heading_part(self, section: dict[str, Any], body: list[Line]) -> list[Line]:
        """"1.2.5 ข้อเสนอแนะในการดำเนินงาน ระดับพื้นที่ (…)": the first part on the heading line."""
        title = section["title"]
        for _, label in PART_LABELS:
            if label in title:
                before, after = title.split(label, 1)
                section["title"] = before.strip()
                return [Line(section["line"], f"{label}{after}"), *body]
        return body

    def _progress(self, issue: dict[str, Any], section: dict[str, Any], body: list[Line]) -> None:
        code = issue["code"]
        questions: list[dict[str, Any]] = []
        target: dict[str, Any] = section
        lines: list[Line] = []
        target["_lines"] = lines
        heading: dict[str, Any] | None = None  # a question heading that may wrap
        for ln in body:
            m_sub = _SUBTYPE_RE.match(arabic(ln.text))
            m_q = _QUESTION_RE.match(arabic(ln.text))
            current = questions[-1] if questions else None
            if m_sub and current and m_sub.group(1) == current["number"] \
                    and self.is_subtype(code, f"{m_sub.group(1)}.{m_sub.group(2)}"):
                target = {"number": f"{m_sub.group(1)}.{m_sub.group(2)}",
                          "text": m_sub.group(3).strip(), "line": ln.number}
                current["subtypes"].append(target)
                lines = target["_lines"] = []
                heading = target
                continue
            expected = int(current["number"]) + 1 if current else 1
            if m_q and int(m_q.group(1)) == expected and (
                self.is_question(code, expected, m_q.group(2))
                if self.knows(code, expected) else self._isolated(ln.number)
            ):
                target = {"number": m_q.group(1), "text": m_q.group(2).strip(),
                          "line": ln.number, "subtypes": []}
                questions.append(target)
                lines = target["_lines"] = []
                heading = target
                continue
            if heading is not None:
                if ln.text and _marker(ln.text) is None and self._wraps(code, heading):
                    heading["text"] = f"{heading['text']} {ln.text}"
                    continue
                heading = None
            lines.append(ln)
        for block in [section, *questions, *(s for q in questions for s in q["subtypes"])]:
            block["text"] = normalized(block.get("text", "")) if block is not section else ""
            block["paragraphs"] = self._opening(block, paragraphs(block.pop("_lines")))
        section.pop("text", None)
        section["questions"] = questions
        if section["paragraphs"]:
            self.note(section["paragraphs"][0]["line"],
                      f"ประเด็นที่ {code}: มีย่อหน้าก่อนข้อคำถามข้อแรก")

    def _isolated(self, number: int) -> bool:
        """A line with a blank line on either side: how 001 prints a heading.

        A numbered line the framework has no question for is a question heading
        only then ("4) ผลการดำเนินการ", 001 L200); 002's items "3) …" run on.
        """
        lines = self.lines
        before = lines[number - 2].strip() if number >= 2 else ""
        after = lines[number].strip() if number < len(lines) else ""
        return not before and not after

    def _wraps(self, code: str, heading: dict[str, Any]) -> bool:
        """Whether a question heading is still shorter than the framework's wording."""
        if heading["text"].count("(") > heading["text"].count(")"):
            return True  # the definition in brackets isn't closed yet
        want = self.question_length(code, heading["number"])
        return len("".join(heading["text"].split())) < want * 0.9

    def _opening(self, block: dict[str, Any], paras: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The compiler's sentence before the units' paragraphs is the form's, not a unit's.

        001: "หน่วยงานการศึกษาและสถานศึกษาสังกัดกระทรวงศึกษาธิการในจังหวัด…"; 002:
        "หน่วยงาน สถานศึกษา ในพื้นที่เขตตรวจราชการที่ 14 …". The report regenerates it.
        """
        if len(paras) > 1 and _marker(paras[0]["text"]) is None and (
            paras[0]["text"].startswith("หน่วยงาน")
            or "เขตตรวจราชการ" in paras[0]["text"][:80]
        ) and block.get("number"):
            block["opening"] = paras[0]
            return paras[1:]
        return paras

    def _rows(self, issue: dict[str, Any], section: dict[str, Any],
              body: list[Line]) -> list[dict[str, Any]]:
        """The problem ↔ solution table, either extraction of it."""
        raw = [Line(ln.number, self.lines[ln.number - 1].rstrip()) for ln in body]
        content = [ln for ln in raw if ln.text.strip()
                   and not ln.text.strip().startswith(_TABLE_HEADER)
                   and not is_none(ln.text)]
        rows: list[dict[str, Any]] = []
        tabbed = any("\t" in ln.text.strip() for ln in content)
        for ln in content:
            if tabbed:
                cells = ln.text.split("\t")
                problem = cells[0].strip()
                solution = normalized(" ".join(cells[1:]))
                if not problem and rows and "\t" not in ln.text.lstrip("\t") \
                        and not solution[:1].isdigit():
                    rows[-1]["solutions"][-1:] = [f"{rows[-1]['solutions'][-1]} {solution}"]
                    continue
                rows.append({"line": ln.number, "problem": problem,
                             "solutions": [solution] if solution else []})
                if not problem:
                    self.note(ln.number, f"ประเด็นที่ {issue['code']}: แถวที่มีแต่แนวทางแก้ไข "
                              "ไม่มีปัญหา (รับเข้าเป็นแนวทางแก้ไขเพิ่มของปัญหาก่อนหน้า)")
                continue
            text = ln.text.strip()
            if _marker(text) == "dot":
                rows.append({"line": ln.number, "problem": text, "solutions": []})
            elif _marker(text) == "dash" and rows:
                rows[-1]["solutions"].append(text)
            elif rows and rows[-1]["solutions"]:
                rows[-1]["solutions"][-1] += f" {text}"
            elif rows:
                rows[-1]["problem"] += f" {text}"
            else:
                rows.append({"line": ln.number, "problem": text, "solutions": []})
        for row in rows:
            row["number"] = (re.match(r"^(\d+)", row["problem"]) or [None, ""])[1] or ""
            row["problem"] = strip_marks(normalized(row["problem"]))
            row["solutions"] = [strip_marks(normalized(s)) for s in row["solutions"]]
            row["solutions"] = [s for s in row["solutions"] if s]
            if row["problem"] and not row["solutions"]:
                self.note(row["line"], f"ประเด็นที่ {issue['code']}: ปัญหา \"{row['problem'][:40]}\" "
                          "ไม่มีแนวทางแก้ไข")
        return rows

    def _parts(self, issue: dict[str, Any], section: dict[str, Any],
               body: list[Line]) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        lines: list[Line] = []
        before: list[Line] = []
        for ln in body:
            label = strip_marks(ln.text)
            found = next((k for k, lab in PART_LABELS if label.startswith(lab) and len(label) < 60),
                         None)
            if found:
                if parts:
                    parts[-1]["paragraphs"] = paragraphs(lines)
                rest = ""
                close = label.find(")")
                if found == "area" and close != -1:
                    rest = label[close + 1:].strip()
                elif found == "policy":
                    rest = label[len("ระดับนโยบาย"):].strip()
                parts.append({"key": found, "title": label[: len(label) - len(rest)].strip(),
                              "line": ln.number})
                lines = [Line(ln.number, rest)] if rest else []
                continue
            (lines if parts else before).append(ln)
        if parts:
            parts[-1]["paragraphs"] = paragraphs(lines)
        if [ln for ln in before if ln.text]:
            self.note(before[0].number, f"ประเด็นที่ {issue['code']}: ข้อเสนอแนะที่ไม่ระบุระดับ")
            parts.insert(0, {"key": "", "title": "", "line": before[0].number,
                             "paragraphs": paragraphs(before)})
        keys = [p["key"] for p in parts]
        for key, label in PART_LABELS:
            if key not in keys:
                self.note(section["line"], f"ประเด็นที่ {issue['code']}: ไม่มีข้อเสนอแนะ{label}",
                          "missing")
        return parts

    def _mark_none(self, issue: dict[str, Any], section: dict[str, Any]) -> None:
        """Note each answer "ไม่มี" and each block left empty (which is not an answer)."""
        where = f"{issue['code']}.{section['number']}"
        blocks: list[tuple[str, dict[str, Any]]] = []
        if section["key"] == "progress":
            for q in section["questions"]:
                blocks.append((f"{where} ข้อ {q['number']})", q))
                blocks += [(f"{where} ข้อ {s['number']})", s) for s in q["subtypes"]]
        elif section["key"] == "suggestions":
            blocks += [(f"{where} {p['title'] or 'ไม่ระบุระดับ'}", p) for p in section["parts"]]
        elif section["key"] == "problems":
            if section["none"]:
                self.note(section["line"], f"หัวข้อ {where} ตอบว่าไม่มี", "none")
            elif not section["rows"]:
                self.note(section["line"], f"หัวข้อ {where} ว่าง (ไม่มีทั้งปัญหาและคำว่าไม่มี)",
                          "empty")
            return
        else:
            blocks.append((f"หัวข้อ {where}", section))
        for label, block in blocks:
            paras = block.get("paragraphs", [])
            block["none"] = bool(paras) and all(p["none"] for p in paras)
            if block["none"]:
                self.note(paras[0]["line"], f"{label} ตอบว่าไม่มี", "none")
            elif not paras and not block.get("subtypes") and not block.get("opening"):
                self.note(block["line"], f"{label} ว่าง (ไม่มีทั้งเนื้อหาและคำว่าไม่มี)", "empty")


def walk_paragraphs(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every unit paragraph (not the openings) with its issue, in the document's order."""
    for policy in doc["policies"]:
        for issue in policy["issues"]:
            for section in issue["sections"]:
                blocks: list[dict[str, Any]] = [section]
                for q in section.get("questions", []):
                    blocks += [q, *q["subtypes"]]
                blocks += section.get("parts", [])
                for block in blocks:
                    for p in block.get("paragraphs", []):
                        yield issue, p


def duplicates(doc: dict[str, Any], reader: Reader) -> None:
    """Note every paragraph that repeats an earlier one word for word."""
    first: dict[str, dict[str, Any]] = {}
    for issue, p in walk_paragraphs(doc):
        key = normalized(strip_marks(p["text"]))
        if p["none"] or len(key) < 30:
            continue
        if key in first:
            p["duplicate_of"] = first[key]["line"]
            reader.note(p["line"], (
                f"ประเด็นที่ {issue['code']}: ย่อหน้านี้ซ้ำกับบรรทัดที่ {first[key]['line']} ทุกคำ"
            ), "duplicate")
        else:
            first[key] = p


def read_report(
    repaired: str, *,
    is_question: Callable[[str, int, str], bool] | None = None,
    is_subtype: Callable[[str, str], bool] | None = None,
    question_length: Callable[[str, str], int] | None = None,
    knows: Callable[[str, int], bool] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The printed tree and the notes (missing, "none", empty, duplicate, odd).

    The callbacks tell the reader what the framework asks: whether a printed
    "N) text" is its question N of the issue, whether it has question N at
    all, whether "N.M)" is one of its sub-types, and how long a question's
    wording is (to join a heading that wraps onto the next lines).
    """
    reader = Reader(repaired.split("\n"))
    if knows is not None:
        reader.knows = knows
    if is_question is not None:
        reader.is_question = is_question
    if is_subtype is not None:
        reader.is_subtype = is_subtype
    if question_length is not None:
        reader.question_length = question_length
    doc = reader.read()
    duplicates(doc, reader)
    return doc, sorted(reader.notes, key=lambda n: n["line"])


def count(doc: dict[str, Any]) -> dict[str, int]:
    """Policies, issues, questions, paragraphs and problem rows read."""
    issues = [i for p in doc["policies"] for i in p["issues"]]
    sections = [s for i in issues for s in i["sections"]]
    return {
        "policies": len(doc["policies"]),
        "issues": len(issues),
        "questions": sum(len(s.get("questions", [])) for s in sections),
        "paragraphs": sum(1 for _ in walk_paragraphs(doc)),
        "problem_rows": sum(len(s.get("rows", [])) for s in sections),
    }
