"""Words once: a block written in QP2's form is the office's inspection contribution for 3.1.

Issue 3.1 is in the crosswalk's dropouts topic with QP2 and ESA 3.4.2, so its
sub-sections show the office's blocks of that topic for round 2's period (the
12-month round). Editing the block from the contribution edits QP2's block;
the province's report prints it with its id and, once sent, keeps the text it
was sent with while the office edits on.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.inspection.helpers import answer_everything, contributors
from tidtam.audit.models import Action, AuditEntry
from tidtam.frameworks.models import FrameworkNode
from tidtam.inspection import words
from tidtam.inspection.compile import gather, report_for, send
from tidtam.measures.models import Period
from tidtam.narratives import store as blocks
from tidtam.narratives.models import Block, BlockKind, blocks_for, topic_of
from tidtam.orgs.models import OrgUnit

OFFICE = "SPM-74-75"


def _qp2_block(user: Any, office: OrgUnit, text: str) -> Block:
    """What QP2's form writes for the office's 12-month round."""
    qp2 = FrameworkNode.objects.get(framework__code="qp", framework__fiscal_year=2566, code="2")
    return blocks.create(user, office, qp2, Period.of(2566, "12m"),
                         BlockKind.objects.get(code="drive"), None, {"text": text})


def _said(doc: dict[str, Any], issue: str) -> list[dict[str, Any]]:
    found = [i for p in doc["policies"] for i in p["issues"] if i["code"] == issue]
    return [b for s in found[0]["sections"] for b in s["blocks"]]


def test_issue_31_shares_the_dropouts_topic(framework: Any) -> None:
    issue = framework.issues().get(code="3.1")
    topic = topic_of(issue)
    assert topic is not None and topic.code == "dropouts"
    assert {n.framework.code for n in topic.nodes.all()} >= {"qp", "esa", "rt"}
    assert [topic_of(framework.issues().get(code=c)).code  # type: ignore[union-attr]
            for c in ("1.1", "1.2", "1.3")] == ["safety"] * 3


def test_block_from_qp2_is_shown_and_edited_in_the_contribution(framework: Any) -> None:
    users = contributors()
    office = OrgUnit.objects.get(code=OFFICE)
    block = _qp2_block(users[OFFICE], office, "ติดตามเด็กรายบุคคลร่วมกับภาคีเครือข่าย")
    c = Client()
    c.force_login(users[OFFICE])
    page = c.get(f"/inspection/unit/{OFFICE}/issue/3.1/").content.decode()
    assert f'data-block="{block.pk}"' in page and "ติดตามเด็กรายบุคคล" in page
    r = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "block_edit", "block": block.pk, "version": block.version,
        "text": "ติดตามเด็กรายบุคคลทุกคน"})
    assert r.status_code == 302
    qp2 = FrameworkNode.objects.get(framework__code="qp", framework__fiscal_year=2566, code="2")
    shown_in_qp2 = list(blocks_for(office, qp2, Period.of(2566, "12m")))
    assert [(b.pk, b.text) for b in shown_in_qp2] == [(block.pk, "ติดตามเด็กรายบุคคลทุกคน")]
    assert AuditEntry.objects.about(block).filter(action=Action.NARRATIVE).count() == 1
    stale = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "block_edit", "block": block.pk, "version": block.version, "text": "เก่า"})
    assert stale.status_code == 400 and "ติดตามเด็กรายบุคคลทุกคน" in stale.content.decode()
    # A block added from the contribution is one of the topic's: QP2's form shows it.
    c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "block_add", "section": "factors", "text": "ผู้บริหารให้ความสำคัญ"})
    added = Block.objects.get(org=office, text="ผู้บริหารให้ความสำคัญ")
    assert added.topic == topic_of(qp2) and added.kind.code == "success_factor"
    assert added in blocks_for(office, qp2, Period.of(2566, "12m"))
    # Another office's block cannot be edited from this office's page.
    other = _qp2_block(users["SPP-75"], OrgUnit.objects.get(code="SPP-75"), "ของเขต")
    r = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "block_edit", "block": other.pk, "version": other.version, "text": "x"})
    assert r.status_code == 400
    other.refresh_from_db()
    assert other.text == "ของเขต"


def test_sent_report_keeps_the_words_it_sent(framework: Any) -> None:
    users = contributors()
    office = OrgUnit.objects.get(code=OFFICE)
    block = _qp2_block(users[OFFICE], office, "ข้อความที่ส่ง")
    answer_everything(framework, users)
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    c = Client()
    c.force_login(users["PEO75"])
    doc = json.loads(c.get("/inspection/report/PEO75/file.json").content)
    assert [(b["block"], b["text"]) for b in _said(doc, "3.1") if b["unit"] == OFFICE] == [
        (block.pk, "ข้อความที่ส่ง")]
    assert "ข้อความที่ส่ง" in c.get("/inspection/report/PEO75/view/").content.decode()
    gather(users["PEO75"], report)
    send(users["PEO75"], report)
    issue = framework.issues().get(code="3.1")
    words.edit(users[OFFICE], office, issue, framework, 2, block.pk, "ข้อความที่แก้ต่อ",
               block.version)
    doc = json.loads(c.get("/inspection/report/PEO75/file.json").content)
    assert [(b["block"], b["text"]) for b in _said(doc, "3.1") if b["unit"] == OFFICE] == [
        (block.pk, "ข้อความที่ส่ง")]
    block.refresh_from_db()
    assert block.text == "ข้อความที่แก้ต่อ"


def test_a_sub_section_answered_by_the_topics_blocks_is_complete(framework: Any) -> None:
    """The office wrote its 3.1 problems in QP2's form: the province need not ask again."""
    from tidtam.inspection.completeness import check_report

    users = contributors()
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    gather(users["PEO75"], report)

    def missing() -> set[str]:
        return {f.where for f in check_report(report) if f.is_error}

    assert "ประเด็น 3.1 หัวข้อ 3.1.3" in missing()  # nothing answers 3.1's problems yet
    qp2 = FrameworkNode.objects.get(framework__code="qp", framework__fiscal_year=2566, code="2")
    blocks.create(users[OFFICE], OrgUnit.objects.get(code=OFFICE), qp2, Period.of(2566, "12m"),
                  BlockKind.objects.get(code="problem"), None,
                  {"text": "ผู้ปกครองย้ายถิ่นตามฤดูกาล", "solutions": ["ติดตามผ่านเครือข่าย"]})
    assert "ประเด็น 3.1 หัวข้อ 3.1.3" not in missing()
