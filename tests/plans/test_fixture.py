"""The fixture reproduces seed 003's projects, indicators and Table 13.

Every expected figure below is copied from 003 (line numbers given), never
from the code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tidtam.thai.numbers import fmt_decimal

# 003 L1033 … L2878, in project order
BUDGETS_003 = ["375000", "31050", "32980", "140980", "147245", "348445", "94795", "152000",
               "43135.20", "90000", "5000", "28256", "30000", "51588"]


def test_fourteen_projects_with_their_budgets(plan: Any) -> None:
    projects = list(plan.projects.order_by("number"))
    assert [p.number for p in projects] == list(range(1, 15))
    assert [p.budget for p in projects] == [Decimal(b) for b in BUDGETS_003]
    assert plan.budget_total() == Decimal("1570474.20")
    assert plan.office.code == "SPM-65-53" and plan.fiscal_year == 2565


def test_alignment_tags_are_data(plan: Any) -> None:
    p5 = plan.projects.get(number=5)  # 003 L471-473: two strategies, two OBEC policy areas
    assert p5.alignment["obec_policy"] == ["3. ด้านคุณภาพ", "4. ด้านประสิทธิภาพ"]
    assert len(p5.alignment["national_strategy"]) == 2
    assert plan.projects.get(number=8).alignment["moe_policy"] == []  # printed "-"
    assert list(plan.alignment_kinds) == ["national_strategy", "master_plan", "moe_policy",
                                          "obec_policy"]


def test_amount_in_words_is_generated(plan: Any) -> None:
    p9 = plan.projects.get(number=9)
    # 003 L2522 prints this one correctly, with satang
    assert p9.budget_words == "สี่หมื่นสามพันหนึ่งร้อยสามสิบห้าบาทยี่สิบสตางค์"
    assert plan.projects.get(number=6).budget_words == "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน"


def test_table_13_totals_come_from_the_lines(plan: Any) -> None:
    totals = plan.execution_totals()
    # 003 L3350: รวมทั้งสิ้น 318,223,938.00 / 317,489,822.56 / 734,115.44 / 99.77
    assert totals["allocated"] == Decimal("318223938.00")
    assert totals["disbursed"] == Decimal("317489822.56")
    assert totals["remaining"] == Decimal("734115.44")
    assert fmt_decimal(totals["pct"]) == "99.77"
    lines = plan.budget_lines_in_total()
    assert [line.get_category_display() for line in lines] == [
        "งบบุคลากร", "งบดำเนินงาน", "งบอุดหนุน", "งบลงทุน", "งบรายจ่ายอื่น"]
    # 003 L3345: งบบุคลากร 129,354.86, 99.30
    assert lines[0].remaining == Decimal("129354.86") and fmt_decimal(lines[0].pct) == "99.30"


def test_a_changed_line_changes_the_total(plan: Any) -> None:
    line = plan.budget_lines.get(category="personnel")
    line.disbursed += Decimal("1.00")
    line.save()
    assert plan.execution_totals()["disbursed"] == Decimal("317489823.56")


def test_achievement_rate_from_the_indicators(plan: Any) -> None:
    """003 L3061 prints "47 of 49 = 95.92 %"; its own table lists 51 indicators.

    Judged on the data, 48 of the 51 reach their target: the Thai skills
    contest (54.39 % of 100, L3124), budget use (67.85 % of 90, L3193) and
    the anti-corruption curriculum (34 of 57 schools = 59.65 % of 60, L3238).
    """
    achievement = plan.achievement()
    assert (achievement.achieved, achievement.total) == (48, 51)
    assert fmt_decimal(achievement.pct) == "94.12"
    assert sorted(i.source for i in achievement.missed) == ["003 L3124", "003 L3193", "003 L3238"]
    assert plan.printed_achieved_count == 47 and plan.printed_indicator_count == 49


def test_indicator_levels_and_shortfall(plan: Any) -> None:
    budget_use = plan.indicators()[0].__class__.objects.get(project__plan=plan, source="003 L3193")
    assert budget_use.level == "กิจกรรม"
    assert budget_use.shortfall() == Decimal("22.15")  # 003 L3193 prints 22.15 too
    project_level = plan.projects.get(number=8).indicators.first()
    assert project_level.level == "โครงการ" and project_level.shortfall() == 0


def test_unit_target_judged_on_share_done(plan: Any) -> None:
    rooms = plan.projects.get(number=10).indicators.get()  # 3 ห้อง, ร้อยละ 100 done
    assert rooms.result() == Decimal(3) and rooms.achieved()
    rooms.actual_value = Decimal(50)
    assert rooms.result() == Decimal("1.5") and not rooms.achieved()


def test_loading_twice_keeps_one_plan_and_its_progress(plan: Any) -> None:
    from tests.conftest import make_user
    from tidtam.plans.loader import load_demo_plans
    from tidtam.plans.models import Plan, PlanIndicator
    from tidtam.plans.progress import save_progress

    project = plan.projects.get(number=9)
    indicator = project.indicators.get(source="003 L3191")
    owner = make_user("reload-owner", "reporter", "SPM-65-53")
    save_progress(owner, project, 1, {"money_spent": "100", f"indicator_{indicator.pk}": "50"}, 0)
    load_demo_plans()
    # the progress still points at the same indicator
    assert project.progress.get(quarter=1).indicator_actuals == {str(indicator.pk): "50"}
    assert PlanIndicator.objects.get(pk=indicator.pk).source == "003 L3191"
    assert Plan.objects.filter(office__code="SPM-65-53").count() == 1
    assert PlanIndicator.objects.filter(project__plan__office__code="SPM-65-53").count() == 51


@pytest.mark.parametrize(("change", "message"), [
    ({"office": "NOPE"}, "ไม่พบหน่วยงานรหัส \"NOPE\""),
    ({"projects": [{"number": 1, "title": "x", "budget": "abc"}]},
     "โครงการที่ 1 งบประมาณ: \"abc\" ไม่ใช่ตัวเลข"),
    ({"projects": [{"number": 1, "title": "x", "indicators": [[1, "y"]]}]},
     "โครงการที่ 1 ตัวชี้วัดแถวที่ 1: ต้องมี 11 ช่อง พบ 2 ช่อง"),
    ({"projects": [{"number": 1, "title": "x", "alignment": {"qp": ["1"]}}]},
     "โครงการที่ 1: ไม่รู้จักประเภทความสอดคล้อง qp"),
    # A document's misprint reaching an accepted draft: refused on both databases alike.
    ({"projects": [{"number": 1, "title": "x", "budget": "9999999999999999"}]},
     "โครงการที่ 1: งบประมาณ (บาท): ตัวเลขต้องน้อยกว่า 1,000,000,000,000"),
    ({"projects": [{"number": 1, "title": "ก" * 1000}]},
     "โครงการที่ 1: ชื่อโครงการ: ยาว 1,000 ตัวอักษร เกินกำหนด 400 ตัวอักษร"),
    ({"title": "แผน\x00"}, "แผน: ชื่อแผน: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+0000)"),
])
def test_bad_fixture_writes_nothing(db: None, change: dict[str, Any], message: str) -> None:
    from tidtam.plans.loader import PlanFixtureError, load_plan_data
    from tidtam.plans.models import Plan

    before = Plan.objects.count()
    data = {"office": "SPM-65-53", "fiscal_year": 2565, "title": "แผน", "projects": []} | change
    with pytest.raises(PlanFixtureError) as info:
        load_plan_data(data)
    assert message in str(info.value)
    assert Plan.objects.count() == before
