"""The annual report, generated from the plan, read back in each format.

Expected figures are 003's (Table 13, L3350) and the achievement rate the
indicators give (48 of 51, see test_fixture).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from docx import Document

from tidtam.plans.render import render_report


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_docx_has_table_13_totals_and_the_achievement_rate(plan: Any) -> None:
    data = render_report(plan, "docx")
    text = docx_text(data)
    assert "รวมทั้งสิ้น\t318,223,938.00\t317,489,822.56\t734,115.44\t99.77" in text
    assert "บรรลุค่าเป้าหมาย 48 ตัวชี้วัด จาก 51 ตัวชี้วัด คิดเป็นร้อยละ 94.12" in text
    # the central reserve, outside the total, with its remainder computed (003 printed 5.20)
    assert "งบกลาง (สำรองฉุกเฉิน)\t5,851,800.00\t5,851,795.80\t4.20\t100.00" in text
    # a table of contents, as a Word field
    assert b"TOC \\o" in _document_xml(data)
    assert "สารบัญ" in text and "บทที่ 4 สรุปผลการดำเนินงาน" in text
    # amounts in words generated: 003 L1933's missing ห้า is not repeated
    assert "348,445.00 บาท (-สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน-)" in text
    # context tables: totals added from the rows (003 L246 and L254)
    assert "รวมทั้งสิ้น\t39\t18" in text
    assert "รวมทั้งสิ้น\t57\t19,240\t23,513\t676\t1,590" in text
    assert "รวมทั้งสิ้น\t2,690" in text  # staff, 003 L300
    # Table 7: alignment of each project (003 L456-500), tag kinds as data of the year
    assert "โครงการ\tยุทธศาสตร์ชาติ\tประเด็นแผนแม่บท\tนโยบายการจัดการศึกษาของ รมว.ศธ.\tนโยบาย สพฐ." in text
    assert "ประเด็นที่ 21 การต่อต้านการทุจริตและประพฤติมิชอบ" in text
    # the contradictions of the source are listed, not hidden
    assert "ระบุคงเหลือ 5.20" in text


def _document_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def test_thai_digits_for_the_whole_document(plan: Any) -> None:
    text = docx_text(render_report(plan, "docx", thai=True))
    assert "รวมทั้งสิ้น\t๓๑๘,๒๒๓,๙๓๘.๐๐\t๓๑๗,๔๘๙,๘๒๒.๕๖\t๗๓๔,๑๑๕.๔๔\t๙๙.๗๗" in text
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๕" in text
    assert not any(ch.isdigit() and ch in "0123456789" for ch in text.replace("TOC", ""))


def test_html_page(plan: Any) -> None:
    html = render_report(plan, "html").decode()
    assert "<td>318,223,938.00</td>" in html and "<td>99.77</td>" in html
    assert "คิดเป็นร้อยละ 94.12" in html
    assert "font-size: 14pt" in render_report(plan, "html", thai=True).decode()  # CSS untouched


def test_pdf_extracts_back(plan: Any) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    pdf = render_report(plan, "pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "318,223,938.00" in text and "734,115.44" in text
    assert "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์" in text
    assert "คิดเป็นร้อยละ 94.12" in text


def test_thai_digits_reach_the_page_and_contents_numbers(plan: Any) -> None:
    from tests.documents.pdfpages import page_numbers, page_texts
    from tidtam.thai.numbers import to_thai_digits

    pdf = render_report(plan, "pdf", thai=True)
    numbers = page_numbers(pdf)
    assert numbers[0] == ""  # the cover
    assert numbers[1:] == [f"-{to_thai_digits(str(n))}-" for n in range(2, len(numbers) + 1)]
    contents = [" ".join(line.split()) for line in page_texts(pdf, "body")[1].splitlines()]
    chapter_1 = next(line for line in contents if line.startswith("บทที่ ๑ บทนำ"))
    assert chapter_1[-1] in "๐๑๒๓๔๕๖๗๘๙", chapter_1  # its page, after the leader dots
    everything = "".join(t for area in ("top", "body", "bottom") for t in page_texts(pdf, area))
    assert not any(ch in "0123456789" for ch in everything)
    # and the Arabic version stays Arabic
    assert page_numbers(render_report(plan, "pdf"))[1] == "-2-"


def test_thai_digits_docx_numbers_its_pages_in_thai(plan: Any) -> None:
    from docx.oxml.ns import qn

    section = Document(io.BytesIO(render_report(plan, "docx", thai=True))).sections[0]
    number_type = section._sectPr.find(qn("w:pgNumType"))
    assert number_type is not None and number_type.get(qn("w:fmt")) == "thaiNumbers"
    assert "พ.ศ. ๒๕" in section.footer.paragraphs[0].text
    plain = Document(io.BytesIO(render_report(plan, "docx"))).sections[0]
    assert plain._sectPr.find(qn("w:pgNumType")) is None
