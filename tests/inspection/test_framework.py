"""The FY2566 inspection framework against the seeds' forms (001 province, 002 region).

The form is a framework like the Quick Policy's (layout ``inspection``): its
policies, issues, questions and sub-types are nodes of depths 0–3.
"""

from __future__ import annotations

from typing import Any

from tidtam.frameworks.loader import load_all
from tidtam.frameworks.models import Framework, FrameworkNode, Layout
from tidtam.inspection.models import Issue, Question

# Numbered progress questions per issue, counted by hand in the seeds.
# 002 (แบบ รต.66, region 14): 27 issues.
REGION_QUESTIONS = {
    "1.1": 3, "1.2": 3, "1.3": 3,
    "2.1": 2, "2.2": 3, "2.3": 2, "2.4": 2, "2.5": 2, "2.6": 3, "2.7": 2, "2.8": 2, "2.9": 1,
    "3.1": 3, "3.2": 3, "3.3": 3, "3.4": 2, "3.5": 2, "3.6": 2, "3.7": 1,
    "4.1": 3, "4.2": 3, "4.3": 3,
    "5.1": 2, "5.2": 2, "5.3": 2,
    "6.1": 6, "6.2": 3,
}
# 001 (สมุทรสงคราม): 24 issues, no 3.5–3.7; every question of 002 too, and four
# of its own: 1.2 4) (L200), 2.9 2) the 4 impacts, 3.4 3) (L1362), 5.2 3) (L1672).
PROVINCE_QUESTIONS = {
    "1.1": 3, "1.2": 4, "1.3": 3,
    "2.1": 2, "2.2": 3, "2.3": 2, "2.4": 2, "2.5": 2, "2.6": 3, "2.7": 2, "2.8": 2, "2.9": 2,
    "3.1": 3, "3.2": 3, "3.3": 3, "3.4": 3,
    "4.1": 3, "4.2": 3, "4.3": 3,
    "5.1": 2, "5.2": 3, "5.3": 2,
    "6.1": 6, "6.2": 3,
}


def test_six_policies_and_27_issues(framework: Any) -> None:
    policies = list(framework.policies.all())
    assert [p.number for p in policies] == ["1", "2", "3", "4", "5", "6"]
    assert [p.heading for p in policies][:1] == ["นโยบายที่ 1"]
    assert [p.issues.count() for p in policies] == [3, 9, 7, 3, 3, 2]
    assert [i.code for i in framework.issues()] == list(REGION_QUESTIONS)
    assert policies[1].title == "การยกระดับคุณภาพการศึกษา"
    assert framework.issues().get(code="2.9").title == "การขับเคลื่อนโครงการโรงเรียนคุณภาพ"


def test_question_sets_differ_by_level(framework: Any) -> None:
    for issue in framework.issues():
        assert len(issue.questions_for("region")) == REGION_QUESTIONS[issue.code], issue.code
        if issue.code in PROVINCE_QUESTIONS:
            expected = PROVINCE_QUESTIONS[issue.code]
            assert len(issue.questions_for("province")) == expected, issue.code


def test_vocational_issues_may_be_left_out(framework: Any) -> None:
    optional = [i.code for i in framework.issues() if i.optional]
    assert optional == ["3.5", "3.6", "3.7"]
    assert len(REGION_QUESTIONS) - len(optional) == len(PROVINCE_QUESTIONS) == 24


def test_quality_school_focuses_are_subtypes(framework: Any) -> None:
    q = Question.objects.get(framework=framework, code="2.9/1")
    subs = q.subtypes
    assert [s.number for s in subs] == [f"1.{n}" for n in range(1, 9)]
    assert subs[0].text == "ความปลอดภัยของผู้เรียน"
    assert subs[7].text == "ข้อมูลสารสนเทศ (Big Data)"
    assert q.issue.code == "2.9" and subs[0].issue.code == "2.9"
    impacts = q.issue.questions.get(number="2")
    assert impacts.levels == ["province"]
    assert [s.number for s in impacts.subtypes] == ["2.1", "2.2", "2.3", "2.4"]
    assert [s.depth for s in impacts.subtypes] == [3] * 4


def test_inline_definitions(framework: Any) -> None:
    q = Question.objects.get(framework=framework, code="1.1/1")
    assert q.definition.startswith("มาตรการการป้องกัน หมายถึง")
    assert q.printed.startswith("1) หน่วยงาน/สถานศึกษาดำเนินการตามมาตรการการป้องกัน")
    assert q.printed.endswith("เพื่อให้เกิดความปลอดภัยในสถานศึกษา)")


def test_five_fixed_subsections(framework: Any) -> None:
    assert framework.section_keys() == [
        "progress", "factors", "problems", "best_practice", "suggestions"
    ]
    assert framework.section("factors")["title"] == "ปัจจัยขับเคลื่อนสู่ความสำเร็จ"
    parts = framework.section("suggestions")["parts"]
    assert [p["title"] for p in parts] == ["ระดับพื้นที่ (หน่วยงาน/สถานศึกษา)", "ระดับนโยบาย"]
    # Each sub-section names the narrative block kind it holds; a part, its level.
    assert [s["kind"] for s in framework.sections] == [
        "drive", "success_factor", "problem", "best_practice", "suggestion"]
    assert [p["level"] for p in parts] == ["area", "central"]


def test_one_metamodel(framework: Any) -> None:
    """The form is a Framework of layout inspection, kept off result sheets and task lists."""
    fw = Framework.objects.get(pk=framework.pk)
    assert fw.layout == Layout.INSPECTION and fw.band_table is None
    assert fw not in Framework.objects.on_sheet(2566)
    assert fw not in Framework.objects.submitted(2566)
    depths = {d: FrameworkNode.objects.filter(framework=fw, depth=d).count() for d in range(4)}
    assert depths[0] == 6 and depths[1] == 27
    assert depths[2] == sum(PROVINCE_QUESTIONS.values()) + 2 + 2 + 1  # and 3.5–3.7
    issue = FrameworkNode.objects.get(framework=fw, code="3.5")
    assert issue.optional and issue.parent is not None and issue.parent.code == "3"


def test_loading_again_changes_nothing(framework: Any) -> None:
    before = (Issue.objects.count(), Question.objects.count())
    assert load_all().changed == 0
    assert (Issue.objects.count(), Question.objects.count()) == before


def test_a_corrected_title_is_updated_in_place(framework: Any) -> None:
    issue = framework.issues().get(code="1.2")
    issue.title_th = "ผิด"
    issue.save()
    assert load_all().changed == 1
    issue.refresh_from_db()
    assert issue.title.startswith("การจัดการเรียนรู้เพื่อส่งเสริม")
