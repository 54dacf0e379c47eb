"""The ศธจ. compiles its province, the ศธภ. its provinces."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_user
from tests.inspection.helpers import answer_everything, contributors
from tests.inspection.test_framework import PROVINCE_QUESTIONS
from tidtam.inspection import words
from tidtam.inspection.compile import (
    duplicate_candidates,
    edit_text,
    gather,
    lines,
    mark_duplicate,
    move,
    opening_sentence,
    report_for,
    send,
)
from tidtam.inspection.completeness import check_report
from tidtam.inspection.contributions import EntryData, save_entry
from tidtam.inspection.models import EntryKind, Placement
from tidtam.narratives.models import topic_of
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed


@pytest.fixture
def province(framework: Any) -> Any:
    users = contributors()
    answer_everything(framework, users)
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    return report, users


def test_gather_places_every_final_entry_once(framework: Any, province: Any) -> None:
    report, users = province
    # 24 issues: 2 lines per question (all levels), 2 factors, 1 problem, 1 best practice,
    # 2 suggestions. Questions of the 24 issues, counted in the framework test: 58 + 8.
    # An issue the crosswalk links takes its words as the topic's blocks: only its
    # "ไม่มี" answers (policy suggestions, and best practice every other issue) are lines.
    added = gather(users["PEO75"], report)
    issues = [i for i in framework.issues() if not i.optional]
    questions = sum(i.questions.filter(depth=2).count() for i in issues)
    linked = [k for k, i in enumerate(issues) if words.shared(i)]
    assert 0 < len(linked) < 24
    assert added == 2 * questions + 6 * (24 - len(linked)) + sum(
        1 if k % 2 else 2 for k in linked)
    # The rest of a linked issue's answers are blocks (2 factors, a problem, an area
    # suggestion, a model every other issue), printed under every issue of its topic.
    said = words.printed(report, issues)
    written: dict[int, int] = {}
    for k in linked:
        topic = topic_of(issues[k])
        assert topic is not None
        written[topic.pk] = written.get(topic.pk, 0) + (5 if k % 2 else 4)
    for k in linked:
        topic = topic_of(issues[k])
        assert topic is not None
        shown = sum(len(b) for (issue, _, _), b in said.items() if issue == issues[k].pk)
        assert shown == written[topic.pk], issues[k].code
    assert gather(users["PEO75"], report) == 0
    first = report.placements.order_by("order").first()
    assert first is not None and first.entry.author is not None and first.entry.created_at


def test_only_the_provinces_compiler_compiles(framework: Any, province: Any) -> None:
    report, users = province
    with pytest.raises(NotAllowed):
        gather(users["PS-75"], report)
    with pytest.raises(InvalidInput):
        report_for(framework, OrgUnit.objects.get(code="SPP-75"))


def test_duplicates_are_found_and_merged(framework: Any, province: Any) -> None:
    report, users = province
    gather(users["PEO75"], report)
    found = duplicate_candidates(report)
    # the shared success factor of every issue whose words are lines, not the topic's blocks
    assert len(found) == sum(1 for i in framework.issues() if not i.optional
                             and not words.shared(i))
    dup_id, original = next(iter(found.items()))
    dup = Placement.objects.get(pk=dup_id)
    mark_duplicate(users["PEO75"], dup, original)
    names = [u.code for u in Placement.objects.get(pk=original.pk).units()]
    assert names == [original.entry.unit.code, dup.entry.unit.code]
    assert dup_id not in duplicate_candidates(report)


def test_reorder_and_edit_keep_the_entry(framework: Any, province: Any) -> None:
    report, users = province
    gather(users["PEO75"], report)
    slot = next(v for v in lines(report).values() if len(v) == 2)
    a, b = slot
    move(users["PEO75"], b, -1)
    assert [p.pk for p in lines(report)[(b.entry.issue_id, b.entry.section, b.entry.part,
                                         b.entry.question_id)]] == [b.pk, a.pk]
    edited = edit_text(users["PEO75"], a, "ข้อความที่เรียบเรียงใหม่", a.version)
    assert edited.text == "ข้อความที่เรียบเรียงใหม่"
    a.entry.refresh_from_db()
    assert a.entry.text != edited.text
    with pytest.raises(Conflict):
        edit_text(users["PEO75"], a, "ทับ", a.version)


def test_opening_sentence_from_the_question(framework: Any) -> None:
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    q = framework.issues().get(code="1.1").questions.get(number="1")
    assert opening_sentence(report, q) == (
        "หน่วยงานการศึกษาและสถานศึกษาสังกัดกระทรวงศึกษาธิการในจังหวัดสมุทรสงคราม "
        "ดำเนินการตามมาตรการการป้องกันเพื่อให้เกิดความปลอดภัยในสถานศึกษา ดังต่อไปนี้"
    )
    q2 = framework.issues().get(code="5.3").questions.get(number="1")
    assert opening_sentence(report, q2).endswith(
        "มีผลการดำเนินงานเรื่องการขับเคลื่อนการดำเนินงานของสถานีแก้หนี้ ดังต่อไปนี้"
    )


def test_completeness_blocks_and_warns(framework: Any) -> None:
    users = contributors(["PEO75", "PS-75"])
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    issue = framework.issues().get(code="2.1")
    save_entry(users["PS-75"], OrgUnit.objects.get(code="PS-75"), issue, EntryData(
        "problems", kind=EntryKind.PROBLEM, text="ขาดบุคลากร"), final=True)
    save_entry(users["PS-75"], OrgUnit.objects.get(code="PS-75"), issue, EntryData(
        "factors", kind=EntryKind.DATE, text="ประชุม", day="1 ธ.ค. 2566"), final=True)
    gather(users["PEO75"], report)
    findings = check_report(report)
    errors = [f for f in findings if f.is_error]
    warnings = [(f.where, f.message) for f in findings if not f.is_error]
    # 24 issues × (questions at province level + best practice + 2 suggestion levels)
    # + 23 issues without factors + 23 without problems
    assert sum(PROVINCE_QUESTIONS.values()) == 67
    assert len(errors) == 67 + 24 * 3 + 23 + 23
    assert errors[0].where == "ประเด็น 1.1 หัวข้อ 1.1.1 ข้อ 1)"
    assert ("ประเด็น 2.1 (เทพสุวรรณชาฎวิทยา)", "ปัญหา \"ขาดบุคลากร\" ยังไม่มีแนวทางแก้ไข") \
        in [(w[0].replace("โรงเรียน", ""), w[1]) for w in warnings]
    assert any("1 ธันวาคม 2566 อยู่นอกปีงบประมาณ 2566" in m for _, m in warnings)
    with pytest.raises(InvalidInput) as exc:
        send(users["PEO75"], report)
    assert exc.value.message.startswith("ยังส่งไม่ได้: ขาดอีก")


def test_send_then_region_compiles(framework: Any, province: Any) -> None:
    report, users = province
    gather(users["PEO75"], report)
    assert [f for f in check_report(report) if f.is_error] == []
    warnings = send(users["PEO75"], report)
    assert warnings == []
    with pytest.raises(Locked):
        gather(users["PEO75"], report)
    with pytest.raises(Locked):  # units cannot change what was sent
        save_entry(users["PS-75"], OrgUnit.objects.get(code="PS-75"),
                   framework.issues().get(code="2.1"), EntryData("factors", text="เพิ่ม"))
    reo = make_user("reo5", "reporter", "REO5")
    region = report_for(framework, OrgUnit.objects.get(code="REO5"))
    added = gather(reo, region)
    assert added == report.placements.filter(duplicate_of=None).count()
    line = region.placements.first()
    assert line is not None and line.source is not None
    unsent = [f.where for f in check_report(region) if not f.is_error]
    assert "จังหวัดสมุทรสงคราม" not in unsent and "จังหวัดเพชรบุรี" in unsent


def test_a_units_correction_reaches_lines_not_yet_reworded(framework: Any) -> None:
    users = contributors(["PEO75", "PS-75"])
    unit = OrgUnit.objects.get(code="PS-75")
    issue = framework.issues().get(code="2.2")
    a = save_entry(users["PS-75"], unit, issue, EntryData("factors", text="ครูเข้มแข็ง"),
                   final=True).entry
    b = save_entry(users["PS-75"], unit, issue, EntryData("factors", text="ชุมชนร่วมมือ"),
                   final=True).entry
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    gather(users["PEO75"], report)
    line_b = report.placements.get(entry=b)
    edit_text(users["PEO75"], line_b, "ชุมชนและผู้ปกครองร่วมมือ", line_b.version)
    save_entry(users["PS-75"], unit, issue, EntryData("factors", text="ครูเข้มแข็งมาก"),
               entry=a, final=True)
    save_entry(users["PS-75"], unit, issue, EntryData("factors", text="ชุมชนร่วมมือดี"),
               entry=b, final=True)
    assert report.placements.get(entry=a).text == "ครูเข้มแข็งมาก"
    assert report.placements.get(entry=b).text == "ชุมชนและผู้ปกครองร่วมมือ"
