"""The result sheet reproduces seed 004 in every format, read back from the file."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command

from tests import seed004
from tests.documents.pdfpages import page_numbers, page_texts, squash
from tidtam.documents.esa_sheet import build_sheet
from tidtam.documents.render import furniture, render

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(spm: Any) -> dict[str, Any]:
    return build_sheet(spm, seed004.YEAR)


def _squash(text: str) -> str:
    """Line wrapping and table cells move whitespace around; the letters must not move."""
    return re.sub(r"\s+", "", text)


def expected_cells(sheet: dict[str, Any]) -> list[str]:
    """Every text the sheet prints, from the content model (itself checked against 004)."""
    texts = [sheet["title"], sheet["office"]["name_th"]]
    texts += [i["title"] for i in sheet["summary"]["items"]] + seed004.SUMMARY_LABELS
    texts += [sheet["summary"]["signatory"]["name"], *sheet["summary"]["signatory"]["positions"]]
    for code in sheet["frameworks"]:
        block = sheet[code]
        texts.append(block["heading"])
        for row in block["rows"]:
            texts.append(f"{row['heading']} {row['title']}")
    texts += [r["text"] for r in sheet["recommendations"]]
    return texts


def test_json_is_the_content_model(sheet: dict[str, Any]) -> None:
    data = json.loads(render(sheet, "json"))
    assert data["office"]["name_th"] == seed004.OFFICE_NAME
    rows = {r["code"]: r for r in data["qp"]["rows"]}
    for code, (r6, r12, avg, label) in seed004.QP.items():
        assert rows[code]["rounds"] == {"6m": r6, "12m": r12}
        assert rows[code]["average"] == avg
        assert rows[code]["label"] == label
    avg, label, count = seed004.QP_OVERALL
    overall = data["qp"]["overall"]
    assert (overall["average"], overall["label"], overall["count"]) == (avg, label, count)
    avg, label, count = seed004.AP_OVERALL
    assert data["ap"]["overall"]["average"] == avg and data["ap"]["overall"]["count"] == count
    assert data["ap"]["overall"]["label"] == label
    targets = {r["code"]: r for r in data["ap"]["target"]["rows"]}
    for code, (target, actual, result) in seed004.AP_TARGET.items():
        assert (targets[code]["target"], targets[code]["actual"], targets[code]["result_label"]) \
            == (target, actual, result)
    assert [r["code"] for r in data["ap"]["notes"]] == [seed004.AP_IN_PROGRESS]
    esa = {r["code"]: r for r in data["esa"]["rows"]}
    for code, level in seed004.ESA_LEVELS.items():
        assert esa[code]["level"] == level and esa[code]["label"] == seed004.LABELS[level]
    assert esa["3"]["differs"] is True and esa["3"]["suggestion"]["level"] == 4
    level, label, count = seed004.ESA_OVERALL
    assert (data["esa"]["overall"]["level"], data["esa"]["overall"]["label"],
            data["esa"]["overall"]["count"]) == (level, label, count)
    assert [i["label"] for i in data["summary"]["items"]] == seed004.SUMMARY_LABELS
    assert [r["code"] for r in data["recommendations"]] == [
        c for c in seed004.QP if c != "6a"
    ]


def test_html(sheet: dict[str, Any]) -> None:
    html = render(sheet, "html").decode()
    assert "คะแนนเฉลี่ยรวม 12 ตัวชี้วัด" in html
    assert "คะแนนเฉลี่ยรวม 5 ตัวชี้วัด" in html
    assert "คะแนนรวมของภาพรวม (3 มาตรฐาน)" in html
    assert "ติดตามแต่ไม่ประเมินผล" in html
    assert "หมายเหตุ:" in html
    shown = _squash(unescape(re.sub(r"<[^>]+>", "", html)))
    for text in expected_cells(sheet):
        assert _squash(text) in shown, text[:60]
    assert "ระบบคำนวณได้" not in html  # the official document carries no working notes


def test_docx_reads_back(sheet: dict[str, Any]) -> None:
    from docx import Document

    doc = Document(io.BytesIO(render(sheet, "docx")))
    tables = doc.tables
    summary, qp, ap_rated, ap_target, esa = tables[:5]
    assert [r.cells[1].text for r in summary.rows[1:]] == seed004.SUMMARY_LABELS
    qp_rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in qp.rows[1:-1]}
    for (code, (r6, r12, avg, label)), (title, cells) in zip(
        seed004.QP.items(), qp_rows.items(), strict=True
    ):
        assert title.startswith(f"ตัวชี้วัดที่ {code} ")
        assert cells == [str(r6 or "-"), str(r12 or "-"), avg or "-", label or "-"]
    last = [c.text for c in qp.rows[-1].cells]
    assert last[0] == "คะแนนเฉลี่ยรวม 12 ตัวชี้วัด" and last[-2:] == ["3.83", "ดีมาก"]
    assert [c.text for c in ap_rated.rows[-1].cells] == ["คะแนนเฉลี่ยรวม 5 ตัวชี้วัด", "4.80", "ดีเยี่ยม"]
    assert [c.text for c in ap_target.rows[1].cells[1:]] == ["ร้อยละ 80", "ร้อยละ 100", "บรรลุ"]
    esa_rows = {r.cells[0].text.split(" ")[0] + " " + r.cells[0].text.split(" ")[1]:
                [c.text for c in r.cells[1:]] for r in esa.rows[1:]}
    assert esa_rows["มาตรฐานที่ 1"] == ["5", "ดีเยี่ยม"]
    assert [c.text for c in esa.rows[-1].cells] == ["คะแนนรวมของภาพรวม (3 มาตรฐาน)", "5", "ดีเยี่ยม"]
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in tables for r in t.rows for c in r.cells)
    for expected in expected_cells(sheet):
        assert _squash(expected) in _squash(text), expected[:60]
    # Thai runs must name Sarabun for complex scripts too, or Word falls back to Tahoma.
    assert 'w:cs="Sarabun"' in doc.styles["Normal"].element.xml


def test_xlsx_reads_back(sheet: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(sheet, "xlsx")))
    qp = wb["QP"]
    rows = {r[0]: r for r in qp.iter_rows(min_row=2, values_only=True)}
    assert float(rows["1"][4]) == 3.5 and rows["1"][5] == "ดีมาก"
    assert rows["6a"][2:6] == ("-", "-", "-", "-")
    last = list(qp.iter_rows(values_only=True))[-1]
    assert last[1] == "คะแนนเฉลี่ยรวม 12 ตัวชี้วัด" and f"{last[4]:.2f}" == "3.83"
    assert [r[1] for r in wb["สรุป"].iter_rows(min_row=2, max_row=4, values_only=True)] == \
        seed004.SUMMARY_LABELS


# The A4 page (595 × 842 pt) without its top and bottom 1.6 cm, where the page
# number and the running footer are printed: a paragraph running over a page
# break then joins up.
BODY_AREA = ("-x", "0", "-y", "45", "-W", "595", "-H", "752")


def _pdftotext(pdf: bytes, *args: str) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run([exe, *BODY_AREA, *args, "-", "-"], input=pdf, capture_output=True,
                         check=True)
    return out.stdout.decode().replace("\f", "\n")


def test_pdf_text_extracts_back_exactly(sheet: dict[str, Any]) -> None:
    pdf = render(sheet, "pdf")
    text = _squash(_pdftotext(pdf))
    assert _squash(seed004.OFFICE_NAME) in text
    assert "สำนักงำน" not in text  # the defect of seed 004's second half
    for expected in expected_cells(sheet):
        assert _squash(expected) in text, expected[:60]
    # Row by row, with the physical layout: each figure stands beside its indicator.
    lines = [" ".join(line.split()) for line in _pdftotext(pdf, "-layout").splitlines()]
    for code, (r6, r12, avg, label) in seed004.QP.items():
        row = next(line for line in lines if line.startswith(f"ตัวชี้วัดที่ {code} "))
        assert row.endswith(f" {r6 or '-'} {r12 or '-'} {avg or '-'} {label or '-'}"), row
    assert "คะแนนเฉลี่ยรวม 12 ตัวชี้วัด 3.83 ดีมาก" in lines
    assert "คะแนนเฉลี่ยรวม 5 ตัวชี้วัด 4.80 ดีเยี่ยม" in lines
    assert "คะแนนรวมของภาพรวม (3 มาตรฐาน) 5 ดีเยี่ยม" in lines


def test_pdf_text_extracts_with_pypdf(sheet: dict[str, Any]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render(sheet, "pdf")))
    # pypdf reads the page number and the footer last on each page: drop them.
    f = furniture(sheet)
    margins = _squash(f.footer + f.issued_text)
    pages = []
    for page in reader.pages:
        lines = page.extract_text().splitlines()
        while lines and (_squash(lines[-1]) in margins or re.fullmatch(r"-\s*\d+\s*-", lines[-1])):
            lines.pop()
        pages.append("\n".join(lines))
    text = _squash("\n".join(pages))
    for expected in expected_cells(sheet):
        assert _squash(expected) in text, expected[:60]


def test_pdf_pages_are_numbered_and_carry_the_document_and_its_issue_date(
    sheet: dict[str, Any],
) -> None:
    pdf = render(sheet, "pdf")
    numbers = page_numbers(pdf)
    assert len(numbers) == 11
    assert numbers == [""] + [f"-{n}-" for n in range(2, 12)]  # none on page 1
    f = furniture(sheet)
    assert f.issued_text.startswith("ออกเอกสาร ณ วันที่ ") and " พ.ศ. 25" in f.issued_text
    for bottom in page_texts(pdf, "bottom"):
        assert squash(f.footer) in squash(bottom) and squash(f.issued_text) in squash(bottom)


def test_signatory_title_is_printed_on_one_line(sheet: dict[str, Any]) -> None:
    lines = {" ".join(line.split()) for line in _pdftotext(render(sheet, "pdf"), "-layout")
             .splitlines()}
    for position in sheet["summary"]["signatory"]["positions"]:
        assert position in lines


def test_docx_pages_are_numbered_with_a_field(sheet: dict[str, Any]) -> None:
    from docx import Document

    section = Document(io.BytesIO(render(sheet, "docx"))).sections[0]
    assert " PAGE " in section.header._element.xml and section.different_first_page_header_footer
    assert section.footer.paragraphs[0].text.endswith(furniture(sheet).issued_text)


def test_report_command_writes_each_format(tmp_path: Any, spm: Any) -> None:
    for fmt in ("json", "html", "docx", "xlsx", "pdf"):
        out = tmp_path / f"sheet.{fmt}"
        call_command("report", "esa-sheet", "--org", seed004.ORG, "--year", "2566",
                     "--format", fmt, "-o", str(out))
        assert out.stat().st_size > 1000
    assert json.loads((tmp_path / "sheet.json").read_text())["qp"]["overall"]["average"] == "3.83"


def test_report_command_refuses_unknown_office_in_thai() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ไม่พบหน่วยงานรหัส 'NOPE'"):
        call_command("report", "esa-sheet", "--org", "NOPE", "--year", "2566")


def test_xlsx_keeps_a_recommendation_that_looks_like_a_formula_as_text(spm: Any) -> None:
    from openpyxl import load_workbook

    from tidtam.evaluation.models import Recommendation

    rec = Recommendation.objects.filter(org=spm).order_by("pk").first()
    assert rec is not None
    rec.text = '=HYPERLINK("http://example.invalid","คลิก")'
    rec.save()
    wb = load_workbook(io.BytesIO(render(build_sheet(spm, seed004.YEAR), "xlsx")))
    cells = [row[3] for row in wb["ข้อเสนอแนะ"].iter_rows(min_row=2)]
    risky = next(c for c in cells if c.value == rec.text)
    assert risky.data_type == "s" and risky.quotePrefix
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)
