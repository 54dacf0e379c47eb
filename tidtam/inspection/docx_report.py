"""The inspection report as a Word document: Sarabun 16 pt, numbered as in 001/002."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from tidtam.documents.printing import Furniture, docx_furniture

FONT = "Sarabun"
BODY_PT = 16  # the government convention for official documents
IMAGE_WIDTH_CM = 8


def _use_sarabun(doc: Any) -> None:
    """Sarabun for Latin and for Thai: Word picks the w:cs font for Thai text."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    size_cs = rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(BODY_PT * 2)})
    rpr.append(size_cs)


def _p(container: Any, text: str, *, bold: bool = False, indent: float = 0,
       first_line: float = 0, align: Any = None) -> Paragraph:
    p: Paragraph = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(0)
    if indent:
        fmt.left_indent = Cm(indent)
    if first_line:
        fmt.first_line_indent = Cm(first_line)
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    if bold:
        run.bold = True
        rpr = run._element.get_or_add_rPr()
        rpr.append(rpr.makeelement(qn("w:bCs"), {}))
    return p


def _items(doc: Any, items: list[dict[str, Any]], indent: float) -> None:
    if not items:
        _p(doc, "-", indent=indent)
        return
    for n, it in enumerate(items, start=1):
        _p(doc, f"{n}. {it['text']}", indent=indent, first_line=0)
        for s, step in enumerate(it["steps"], start=1):
            _p(doc, f"{s}) {step}", indent=indent + 1)
        if it["image"]:
            try:
                doc.add_paragraph().add_run().add_picture(it["image"], width=Cm(IMAGE_WIDTH_CM))
            except Exception:  # a damaged stored image must not cost the whole report
                _p(doc, "[ภาพ: เปิดไฟล์ภาพไม่ได้]", indent=indent)


def _said(b: dict[str, Any]) -> str:
    return f"{b['unit_name']} {b['text']}".strip()


def _blocks(doc: Any, blocks: list[dict[str, Any]], indent: float, after: int = 0) -> None:
    """The units' narrative blocks of the issue's topic, numbered on from the lines."""
    for n, b in enumerate(blocks, start=after + 1):
        _p(doc, f"{n}. {_said(b)}", indent=indent, first_line=0)


def _problems(doc: Any, rows: list[dict[str, Any]]) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["ปัญหา/อุปสรรค", "วิธีการ/แนวทางการแก้ไขปัญหา"],
                          strict=True):
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not rows:
        rows = [{"problem": "-", "solutions": []}]
    for n, row in enumerate(rows, start=1):
        left, right = table.add_row().cells
        left.paragraphs[0].add_run(f"{n}. {row['problem']}" if row["problem"] != "-" else "-")
        solutions = row["solutions"] or ["-"]
        right.paragraphs[0].add_run(
            solutions[0] if len(solutions) == 1 else f"1) {solutions[0]}"
        )
        for s, text in enumerate(solutions[1:], start=2):
            right.add_paragraph().add_run(f"{s}) {text}")


def report_docx(content: dict[str, Any], furniture: Furniture) -> bytes:
    doc = Document()
    _use_sarabun(doc)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.5)
    _p(doc, content["form"], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(doc, content["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _p(doc, content["subtitle"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _p(doc, content["intro"], first_line=1.25)
    for policy in content["policies"]:
        _p(doc, policy["heading"], bold=True)
        for issue in policy["issues"]:
            _p(doc, issue["heading"], bold=True, indent=0.5)
            for block in issue["sections"]:
                _p(doc, block["heading"], bold=True, indent=1)
                if "questions" in block:
                    for q in block["questions"]:
                        _p(doc, q["label"], indent=1.5)
                        if q["opening"]:
                            _p(doc, q["opening"], indent=1.5, first_line=1)
                        for f in q.get("figures", []):
                            _p(doc, f"{f['unit_name']}: {f['label']} {f['display']}", indent=2)
                        if q["items"] or not q["subtypes"]:
                            _items(doc, q["items"], 2)
                        for sub in q["subtypes"]:
                            _p(doc, sub["label"], indent=2)
                            _items(doc, sub["items"], 2.5)
                    _blocks(doc, block.get("blocks", []), 1.5)
                elif "rows" in block:
                    # The units' problem blocks are rows of the same table.
                    _problems(doc, [*block["rows"], *(
                        {"problem": _said(b), "solutions": b["solutions"]}
                        for b in block.get("blocks", []))])
                elif "parts" in block:
                    for part in block["parts"]:
                        _p(doc, part["title"], bold=True, indent=1.5)
                        _items(doc, part["items"], 2)
                        _blocks(doc, part.get("blocks", []), 2, after=len(part["items"]))
                else:
                    _items(doc, block["items"], 1.5)
                    _blocks(doc, block.get("blocks", []), 1.5, after=len(block["items"]))
    docx_furniture(doc, furniture, BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
