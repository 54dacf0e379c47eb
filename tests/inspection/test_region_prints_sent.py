"""A region's report prints what each province sent, not the units' live figures and words.

The province of สมุทรสงคราม sends its report with the office's dropouts found
(28) and its 3.1 paragraph; the office then corrects both. The region's
report — web page, JSON and DOCX — still prints 28 and the paragraph as sent,
before and after the region sends, while the office's own page shows what it
corrected.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.test import Client
from docx import Document

from tests.conftest import make_user
from tests.inspection.helpers import answer_everything, contributors
from tidtam.frameworks.models import FrameworkNode
from tidtam.inspection import words
from tidtam.inspection.compile import gather, report_for, send, set_omitted
from tidtam.inspection.completeness import check_report
from tidtam.inspection.render import render
from tidtam.measures import store
from tidtam.measures.models import Measure, Observation, Period
from tidtam.narratives import store as blocks
from tidtam.narratives.models import Block, BlockKind
from tidtam.orgs.models import OrgUnit

OFFICE = "SPM-74-75"


def _typed_in_qp2(user: Any, office: OrgUnit, text: str) -> Observation:
    measure = Measure.objects.get(fiscal_year=2566, code="dropouts_found")
    period = Period.of(2566, "12m")
    obs = store.find(office, measure, period)
    return store.write(user, office, measure, period, text, obs.version if obs else 0).observation


def _qp2_block(user: Any, office: OrgUnit, text: str) -> Block:
    qp2 = FrameworkNode.objects.get(framework__code="qp", framework__fiscal_year=2566, code="2")
    return blocks.create(user, office, qp2, Period.of(2566, "12m"),
                         BlockKind.objects.get(code="drive"), None, {"text": text})


def _issue(doc: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for p in doc["policies"] for i in p["issues"] if i["code"] == code)


def _printed(doc: dict[str, Any]) -> tuple[list[str], list[str]]:
    issue = _issue(doc, "3.1")
    figures = [f["value"] for q in issue["sections"][0]["questions"] for f in q["figures"]
               if f["unit"] == OFFICE and f["measure"] == "dropouts_found"]
    said = [b["text"] for s in issue["sections"] for b in s["blocks"] if b["unit"] == OFFICE]
    return figures, said


def _docx_text(report: Any) -> str:
    doc = Document(io.BytesIO(render(report, "docx")))
    return "\n".join(p.text for p in doc.paragraphs)


def test_region_prints_what_the_province_sent(framework: Any) -> None:
    users = contributors()
    office = OrgUnit.objects.get(code=OFFICE)
    found = _typed_in_qp2(users[OFFICE], office, "28")
    block = _qp2_block(users[OFFICE], office, "ข้อความที่จังหวัดส่ง")
    answer_everything(framework, users)
    province = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    gather(users["PEO75"], province)
    send(users["PEO75"], province)
    # The office corrects its figure and its paragraph after the province sent.
    _typed_in_qp2(users[OFFICE], office, "35")
    words.edit(users[OFFICE], office, framework.issues().get(code="3.1"), framework, 2,
               block.pk, "ข้อความที่แก้หลังส่ง", block.version)

    reo = make_user("reo5", "reporter", "REO5")
    region = report_for(framework, OrgUnit.objects.get(code="REO5"))
    c = Client()
    c.force_login(reo)

    def check() -> None:
        doc = json.loads(c.get("/inspection/report/REO5/file.json").content)
        assert _printed(doc) == (["28"], ["ข้อความที่จังหวัดส่ง"])
        assert [f["observation"] for q in _issue(doc, "3.1")["sections"][0]["questions"]
                for f in q["figures"] if f["unit"] == OFFICE][:1] == [found.pk]
        page = c.get("/inspection/report/REO5/view/").content.decode()
        assert "ข้อความที่จังหวัดส่ง" in page and "ข้อความที่แก้หลังส่ง" not in page
        assert "เด็กออกกลางคันที่ค้นพบ 28 คน" in page and "35 คน" not in page
        text = _docx_text(region)
        assert "ข้อความที่จังหวัดส่ง" in text and "ข้อความที่แก้หลังส่ง" not in text
        assert "เด็กออกกลางคันที่ค้นพบ 28 คน" in text and "35 คน" not in text

    check()
    gather(reo, region)
    check()
    set_omitted(reo, region, [i.code for i in framework.issues() if i.optional])
    assert [f for f in check_report(region) if f.is_error] == []
    send(reo, region)
    check()
    # The office's own page shows what it corrected.
    c.force_login(users[OFFICE])
    mine = c.get(f"/inspection/unit/{OFFICE}/issue/3.1/").content.decode()
    assert "ข้อความที่แก้หลังส่ง" in mine and 'value="35"' in mine


def test_a_province_not_sent_adds_nothing_to_the_region(framework: Any) -> None:
    users = contributors()
    office = OrgUnit.objects.get(code=OFFICE)
    _typed_in_qp2(users[OFFICE], office, "28")
    _qp2_block(users[OFFICE], office, "ยังไม่ได้ส่ง")
    region = report_for(framework, OrgUnit.objects.get(code="REO5"))
    reo = make_user("reo5", "reporter", "REO5")
    c = Client()
    c.force_login(reo)
    doc = json.loads(c.get("/inspection/report/REO5/file.json").content)
    assert _printed(doc) == ([], [])
    assert region.placements.count() == 0
