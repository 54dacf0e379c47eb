"""Page furniture of printed documents: page numbers, running footer, issue date in BE."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from tidtam.documents.printing import Furniture, docx_furniture, issue_date, print_css

DAY = dt.date(2026, 12, 3)


def test_issue_date_is_the_day_in_bangkok(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20:30 UTC on 2 December is 03:30 on 3 December in Bangkok.
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 2, 20, 30, tzinfo=dt.UTC))
    assert issue_date() == DAY
    assert Furniture("x").issued == DAY


def test_issue_date_in_buddhist_era_and_thai_digits_when_asked() -> None:
    assert Furniture("x", DAY).issued_text == "ออกเอกสาร ณ วันที่ 3 ธันวาคม พ.ศ. 2569"
    thai = Furniture("รายงานประจำปีงบประมาณ พ.ศ. 2565", DAY, thai_digits=True)
    assert thai.issued_text == "ออกเอกสาร ณ วันที่ ๓ ธันวาคม พ.ศ. ๒๕๖๙"
    assert thai.footer == "รายงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕"


def test_print_css_numbers_pages_from_the_second_between_dashes() -> None:
    css = print_css(Furniture('ผลการประเมิน "สพม." \\ 2566', DAY))
    assert 'content: "- " counter(page) " -"' in css
    assert "@page :first { @top-center { content: none; } }" in css
    assert 'content: "ผลการประเมิน \\"สพม.\\" \\\\ 2566"' in css  # a CSS string, escaped
    assert 'content: "ออกเอกสาร ณ วันที่ 3 ธันวาคม พ.ศ. 2569"' in css
    assert 'font-family: "Tidtam Sarabun", sans-serif !important' in css
    assert "@font-face" in css
    thai = print_css(Furniture("x", DAY, thai_digits=True))
    assert 'counter(page, thai)' in thai and "พ.ศ. ๒๕๖๙" in thai


def _xml(part: Any) -> str:
    return part._element.xml  # type: ignore[no-any-return]


@pytest.mark.parametrize("thai", [False, True])
def test_docx_gets_a_page_field_header_and_a_footer(thai: bool) -> None:
    doc = Document()
    doc.add_paragraph("เนื้อหา")
    docx_furniture(doc, Furniture("ผลการประเมิน 2566", DAY, thai_digits=thai))
    out = io.BytesIO()
    doc.save(out)
    doc = Document(io.BytesIO(out.getvalue()))
    section = doc.sections[0]
    assert section.different_first_page_header_footer  # page 1 carries no number
    assert not section.first_page_header.is_linked_to_previous
    assert section.first_page_header.paragraphs[0].text == ""
    header = _xml(section.header)
    assert "<w:instrText" in header and " PAGE " in header
    assert section.header.paragraphs[0].text.startswith("- ") and header.count("<w:fldChar ") == 3
    footer = section.footer.paragraphs[0].text
    number_type = section._sectPr.find(qn("w:pgNumType"))
    if thai:
        assert footer == "ผลการประเมิน ๒๕๖๖\tออกเอกสาร ณ วันที่ ๓ ธันวาคม พ.ศ. ๒๕๖๙"
        assert number_type is not None and number_type.get(qn("w:fmt")) == "thaiNumbers"
    else:
        assert footer == "ผลการประเมิน 2566\tออกเอกสาร ณ วันที่ 3 ธันวาคม พ.ศ. 2569"
        assert number_type is None
    assert section.first_page_footer.paragraphs[0].text == footer
