"""Done when: a province and a region compile into reports shaped like 001 and 002.

The shapes are read back from the generated DOCX with python-docx: 001 has
6 policies, 24 issues and 5 sub-sections per issue; 002 has 27 issues.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from docx import Document

from tests.conftest import make_user
from tests.inspection.helpers import answer_everything, contributors
from tidtam.inspection.compile import gather, mark_duplicate, report_for, send, set_omitted
from tidtam.inspection.models import Entry
from tidtam.inspection.render import render
from tidtam.orgs.models import OrgUnit

SUBSECTIONS = [
    "ความก้าวหน้าของการดำเนินงานตามนโยบาย",
    "ปัจจัยขับเคลื่อนสู่ความสำเร็จ",
    "ปัญหาและอุปสรรคของการดำเนินงาน",
    "นวัตกรรม/รูปแบบ/แนวทางการดำเนินงาน",
    "ข้อเสนอแนะในการดำเนินงาน",
]
ISSUE_RE = re.compile(r"^(\d)\.(\d) \S")
SUB_RE = re.compile(r"^(\d)\.(\d)\.([1-5]) (\S.*)")


def _shape(docx: bytes) -> dict[str, Any]:
    doc = Document(io.BytesIO(docx))
    texts = [p.text for p in doc.paragraphs]
    policies = [t for t in texts if t.startswith("นโยบายที่ ")]
    issues = [t.split(" ")[0] for t in texts if ISSUE_RE.match(t)]
    subs: dict[str, list[str]] = {}
    for t in texts:
        m = SUB_RE.match(t)
        if m:
            subs.setdefault(f"{m[1]}.{m[2]}", []).append(m[4])
    return {"policies": policies, "issues": issues, "subs": subs, "tables": doc.tables,
            "texts": texts}


def _check_subsections(shape: dict[str, Any]) -> None:
    for code, titles in shape["subs"].items():
        assert len(titles) == 5, code
        for title, expected in zip(titles, SUBSECTIONS, strict=True):
            assert title.startswith(expected), (code, title)
    for table in shape["tables"]:
        assert [c.text for c in table.rows[0].cells] == [
            "ปัญหา/อุปสรรค", "วิธีการ/แนวทางการแก้ไขปัญหา"
        ]


@pytest.fixture
def sent_province(framework: Any) -> Any:
    users = contributors()
    answer_everything(framework, users)
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    gather(users["PEO75"], report)
    return report, users


def test_province_report_has_the_shape_of_001(framework: Any, sent_province: Any) -> None:
    report, _ = sent_province
    # OPS (the ศธจ.), OBEC, OVEC, DOLE (สกร.), OPEC (private schools)
    agencies = {e.unit.path.split("/")[1] for e in Entry.objects.filter(province__code="P75")}
    assert agencies == {"OPS", "OBEC", "OVEC", "DOLE", "OPEC"}
    shape = _shape(render(report, "docx"))
    assert [p.split(" ")[1] for p in shape["policies"]] == ["1", "2", "3", "4", "5", "6"]
    assert len(shape["issues"]) == 24
    assert "3.5" not in shape["issues"] and "3.7" not in shape["issues"]
    assert len(shape["subs"]) == 24
    assert len(shape["tables"]) == 24
    _check_subsections(shape)
    texts = shape["texts"]
    # 2.9: the 8 focuses and, at province level, the 4 impacts (001 L1008–1098)
    q = next(i for i, t in enumerate(texts)
             if t.startswith("1) ผลการขับเคลื่อนการดำเนินงานของโรงเรียนคุณภาพ"))
    assert texts.index("1.1) ความปลอดภัยของผู้เรียน") > q
    assert texts.index("1.8) ข้อมูลสารสนเทศ (Big Data)") > q
    assert "2.4) ด้านภาคีเครือข่าย" in texts
    assert ("หน่วยงานการศึกษาและสถานศึกษาสังกัดกระทรวงศึกษาธิการในจังหวัดสมุทรสงคราม "
            "ดำเนินการตามมาตรการการป้องกันเพื่อให้เกิดความปลอดภัยในสถานศึกษา ดังต่อไปนี้") in texts
    assert "ระดับพื้นที่ (หน่วยงาน/สถานศึกษา)" in texts and "ระดับนโยบาย" in texts


def test_a_merged_duplicate_prints_once_with_both_units(framework: Any, sent_province: Any) -> None:
    report, users = sent_province
    factors = report.placements.filter(entry__issue__code="2.1", entry__section="factors")
    first, second = factors.order_by("order")
    mark_duplicate(users["PEO75"], second, first)
    texts = _shape(render(report, "docx"))["texts"]
    both = f"{first.entry.unit.name_th} และ {second.entry.unit.name_th} "
    merged = [t for t in texts if t.startswith(f"1. {both}การมีส่วนร่วมของภาคีเครือข่ายในประเด็น 2.1")]
    assert len(merged) == 1


def test_region_report_has_the_shape_of_002(framework: Any) -> None:
    # สมุทรสงคราม answers every issue, vocational ones included; สมุทรสาคร leaves them out.
    users = contributors()
    answer_everything(framework, users, include_optional=True)
    p75 = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    set_omitted(users["PEO75"], p75, [])
    gather(users["PEO75"], p75)
    send(users["PEO75"], p75)
    peo74 = OrgUnit.objects.get(code="PEO74")
    u74 = {"PEO74": make_user("u-peo74", "reporter", peo74.code),
           "SPM-74-75": users["SPM-74-75"]}
    answer_everything(framework, u74, province_code="P74")
    p74 = report_for(framework, peo74)
    gather(u74["PEO74"], p74)
    send(u74["PEO74"], p74)
    reo = make_user("u-reo5", "reporter", "REO5")
    region = report_for(framework, OrgUnit.objects.get(code="REO5"))
    gather(reo, region)
    shape = _shape(render(region, "docx"))
    assert len(shape["policies"]) == 6
    assert len(shape["issues"]) == 27
    assert shape["issues"][:3] == ["1.1", "1.2", "1.3"] and shape["issues"][-1] == "6.2"
    assert len(shape["tables"]) == 27
    _check_subsections(shape)
    texts = shape["texts"]
    assert ("หน่วยงานการศึกษาและสถานศึกษาสังกัดกระทรวงศึกษาธิการในพื้นที่สำนักงานศึกษาธิการภาค 5 "
            "ดำเนินการตามมาตรการการป้องกันเพื่อให้เกิดความปลอดภัยในสถานศึกษา ดังต่อไปนี้") in texts
    # region-only questions (002 has them, 001 not) are printed: 3.3 3) NEETs
    assert any(t.startswith("3) กลุ่ม NEETs ได้รับการศึกษาที่เหมาะสม") for t in texts)
    assert "2.4) ด้านภาคีเครือข่าย" not in texts  # province-only sub-types
    assert texts[0] == "แบบ รต.66"


def test_pdf_and_web_page_carry_the_same_text(framework: Any, sent_province: Any) -> None:
    report, _ = sent_province
    html = render(report, "html").decode()
    assert html.count("<h3>") == 24 and html.count('class="rt-problems"') == 24
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    pdf = render(report, "pdf")
    text = subprocess.run([exe, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    flat = " ".join(text.decode().split())
    assert "1.1.1 ความก้าวหน้าของการดำเนินงานตามนโยบาย" in flat
    assert "สำนักงานศึกษาธิการจังหวัดสมุทรสงคราม" in flat
    assert "นโยบายที่ 6 การพัฒนาระบบราชการและการบริการภาครัฐยุคดิจิทัล" in flat
    # Page furniture: numbered from page 2, the form and office and the issue date below.
    from tests.documents.pdfpages import page_numbers, page_texts, squash

    numbers = page_numbers(pdf)
    assert numbers[:3] == ["", "-2-", "-3-"] and len(numbers) > 10
    bottom = squash(page_texts(pdf, "bottom")[-1])
    assert squash("แบบ รต.66 ประจำปีงบประมาณ พ.ศ. 2566 · สำนักงานศึกษาธิการจังหวัดสมุทรสงคราม") in bottom
    assert squash("ออกเอกสาร ณ วันที่") in bottom
    section = Document(io.BytesIO(render(report, "docx"))).sections[0]
    assert " PAGE " in section.header._element.xml
    assert section.footer.paragraphs[0].text.startswith("แบบ รต.66 ประจำปีงบประมาณ พ.ศ. 2566")
