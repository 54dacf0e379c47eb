"""The annual report as a web page, PDF and DOCX, from ``build_report``'s content model."""

from __future__ import annotations

import io
import json
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tidtam.documents.docx_sheet import FONT, _font
from tidtam.documents.printing import Furniture, docx_furniture, print_css
from tidtam.plans.models import Plan
from tidtam.plans.report import build_report, thai_digits

FORMATS = ("html", "pdf", "docx", "json")
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BODY_PT = 16  # the government convention for Thai documents


def report_content(plan: Plan, *, thai: bool = False) -> dict[str, Any]:
    report = build_report(plan)
    return thai_digits(report) if thai else report


def furniture(report: dict[str, Any], *, thai: bool = False) -> Furniture:
    return Furniture(f"{report['title']} · {report['office']}", thai_digits=thai)


def render_html(report: dict[str, Any], *, thai: bool = False) -> bytes:
    """The report as one HTML file, the very one the PDF is made from.

    ``thai``: the content is in Thai digits (``report_content(thai=True)``), so
    the page numbers and the contents' numbers are too.
    """
    return render_to_string("plans/report_print.html", {
        "report": report, "thai": thai, "print_css": print_css(furniture(report, thai=thai)),
    }).encode()


def render_pdf(report: dict[str, Any], *, thai: bool = False) -> bytes:
    from tidtam.documents.pdf import html_to_pdf

    return html_to_pdf(render_html(report, thai=thai).decode())


# --- DOCX ---------------------------------------------------------------------
def _run(paragraph: Any, text: str, *, bold: bool = False, size: float | None = None) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    rpr = run._element.get_or_add_rPr()
    _font(rpr, size)
    if bold:
        rpr.append(OxmlElement("w:bCs"))


def _toc(doc: Any, titles: list[str]) -> None:
    """A Word TOC field; its cached result lists the chapters until Word updates page numbers."""
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, "สารบัญ", bold=True, size=18)
    p = doc.add_paragraph()

    def field_char(kind: str) -> None:
        r = OxmlElement("w:r")
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        r.append(fc)
        p._p.append(r)

    field_char("begin")
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    r.append(instr)
    p._p.append(r)
    field_char("separate")
    for i, title in enumerate(titles):
        _run(p, title)
        if i < len(titles) - 1:
            p.runs[-1].add_break()
    field_char("end")
    # Ask Word to refresh the field (page numbers) when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def _heading(doc: Any, text: str, level: int) -> None:
    h = doc.add_heading(level=level)
    _run(h, text, bold=True, size=18 if level == 1 else 16)


def _table(doc: Any, block: dict[str, Any]) -> None:
    caption = doc.add_paragraph()
    _run(caption, block["title"], bold=True)
    rows = block["rows"] + ([block["total"]] if block["total"] else []) + block["extra"]
    t = doc.add_table(rows=1 + len(rows), cols=len(block["header"]))
    t.style = "Table Grid"
    for r, values in enumerate([block["header"], *rows]):
        for c, value in enumerate(values):
            cell = t.cell(r, c)
            _run(cell.paragraphs[0], str(value), bold=r == 0, size=14)


def render_docx(report: dict[str, Any], *, thai: bool = False) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    for name in ("Normal", "Heading 1", "Heading 2", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        _font(style.element.get_or_add_rPr())
    doc.styles["Normal"].font.size = Pt(BODY_PT)
    doc.core_properties.title = f"{report['title']} {report['office']}"
    doc.core_properties.language = "th-TH"

    for text, size in ((report["title"], 20), (report["office"], 18)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, bold=True, size=size)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _toc(doc, [c["title"] for c in report["chapters"]])
    for chapter in report["chapters"]:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _heading(doc, chapter["title"], 1)
        for block in chapter["blocks"]:
            kind = block["type"]
            if kind == "heading":
                _heading(doc, block["text"], 2)
            elif kind == "paragraph":
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Cm(1.25)
                _run(p, block["text"])
            elif kind == "list":
                for item in block["items"]:
                    p = doc.add_paragraph()
                    p.paragraph_format.left_indent = Cm(1.0)
                    _run(p, f"• {item}")
            elif kind == "table":
                _table(doc, block)
    docx_furniture(doc, furniture(report, thai=thai), BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_report(plan: Plan, fmt: str, *, thai: bool = False) -> bytes:
    report = report_content(plan, thai=thai)
    if fmt == "html":
        return render_html(report, thai=thai)
    if fmt == "pdf":
        return render_pdf(report, thai=thai)
    if fmt == "docx":
        return render_docx(report, thai=thai)
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2).encode()
    raise ValueError(f"ไม่รองรับรูปแบบ \"{fmt}\" (มี: {', '.join(FORMATS)})")


def report_filename(plan: Plan, fmt: str) -> str:
    return f"annual-report-{plan.office.code}-{plan.fiscal_year}.{fmt}"
