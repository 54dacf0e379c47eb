"""What every printed tidtam document shares: its typeface and its page furniture.

Thai official documents (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ) number
their pages from the second one on, centred at the top between dashes
("- ๒ -"), in the digits the document is written in. Under each page tidtam
prints what the document is (and about whom) and the day it was issued, in
the Buddhist Era — a printed copy found on a desk says which one it is and
how old its figures are.

``print_css`` gives the PDF route (WeasyPrint) the patched Sarabun faces and
those margin boxes; ``docx_furniture`` gives a Word document the same header
and footer with fields Word keeps up to date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tidtam.thai.dates import MONTHS, be_year
from tidtam.thai.numbers import to_thai_digits


def issue_date() -> dt.date:
    """Today in the server's time zone (Asia/Bangkok), the day a document is issued."""
    return timezone.localdate()


@dataclass(frozen=True)
class Furniture:
    """The running footer and the page numbering of one document."""

    running: str  # what the document is, and about whom
    issued: dt.date = field(default_factory=issue_date)
    thai_digits: bool = False

    def digits(self, text: str) -> str:
        return to_thai_digits(text) if self.thai_digits else text

    @property
    def issued_text(self) -> str:
        d = self.issued
        return self.digits(f"ออกเอกสาร ณ วันที่ {d.day} {MONTHS[d.month - 1]} พ.ศ. {be_year(d.year)}")

    @property
    def footer(self) -> str:
        return self.digits(self.running)


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def print_css(furniture: Furniture) -> str:
    """Font faces, body font and page furniture for a document's print stylesheet.

    Put it first in the document's ``<style>``: the document's own ``@page``
    rule (size, margins) comes after and wins where they differ; the body's
    font does not (``!important``), since only the patched faces extract back.
    """
    from tidtam.documents.pdf import PDF_FAMILY, font_face_css

    style = ", thai" if furniture.thai_digits else ""
    small = f'font-family: "{PDF_FAMILY}"; font-size: 9pt; color: #444;'
    return (
        font_face_css()
        # Whatever the document's own CSS says: only these faces extract back.
        + f'body {{ font-family: "{PDF_FAMILY}", sans-serif !important; }}\n'
        "@page {\n"
        f'  @top-center {{ content: "- " counter(page{style}) " -"; font-family: "{PDF_FAMILY}";'
        " font-size: 10pt; }\n"
        f"  @bottom-left {{ content: {_css_string(furniture.footer)}; width: 66%; {small} }}\n"
        f"  @bottom-right {{ content: {_css_string(furniture.issued_text)}; width: 34%;"
        f" white-space: nowrap; {small} }}\n"
        "}\n"
        "@page :first { @top-center { content: none; } }\n"
        # A heading, a label and the first lines after it travel together.
        "h1, h2, h3, h4, caption { break-after: avoid; }\n"
        "p, li { orphans: 2; widows: 2; }\n"
    )


def docx_furniture(doc: Any, furniture: Furniture, size_pt: float = 12) -> None:
    """The same header and footer in a Word document, on every section.

    The page number is a PAGE field (Word counts the pages), shown from page
    2 on, in Thai digits when the document uses them (the section's page
    number format, which Word also uses for the table of contents).
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from tidtam.documents.docx_sheet import _font

    def run(paragraph: Any, text: str, size: float) -> Any:
        r = paragraph.add_run(text)
        _font(r._element.get_or_add_rPr(), size)
        return r

    def field(paragraph: Any, instruction: str, shown: str, size: float) -> None:
        for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                           ("text", shown), ("end", None)):
            r = run(paragraph, "", size)
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            elif kind == "text":
                el = OxmlElement("w:t")
                el.text = text
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            r._element.append(el)

    for section in doc.sections:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False  # an empty header of its own
        if furniture.thai_digits:
            number_type = section._sectPr.find(qn("w:pgNumType"))
            if number_type is None:
                number_type = OxmlElement("w:pgNumType")
                section._sectPr.append(number_type)
            number_type.set(qn("w:fmt"), "thaiNumbers")
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(header, "- ", size_pt)
        field(header, " PAGE ", furniture.digits("2"), size_pt)
        run(header, " -", size_pt)
        width = section.page_width - section.left_margin - section.right_margin
        for footer in (section.footer, section.first_page_footer):
            p = footer.paragraphs[0]
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            run(p, f"{furniture.footer}\t{furniture.issued_text}", 9)
