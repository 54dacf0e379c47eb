"""The shipped FY2566 Quick Policy rules against the seeds' own mistakes (DOMAIN.md §7).

One test per kind of rule: it fails on the figure a seed printed and passes
on the corrected one. The figures are placed in the QP data elements that
check the same arithmetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tidtam.validation.engine import (
    Finding,
    check,
    check_framework,
    check_one_element,
    errors,
    format_value,
    rules_touching,
    warnings,
)
from tidtam.validation.models import ValidationRule

pytestmark = pytest.mark.django_db

FY = 2566

# A whole, consistent QP report of one area office (made-up figures, the shape of seed 000's).
CLEAN: dict[str, Any] = {
    "1.learners_total": Decimal(42753),
    "1.learners_all_threats": Decimal(42100),
    "1.learners_cyber": Decimal(42753),
    "1.plan_date": dt.date(2022, 11, 10),
    "2.dropouts_found": Decimal(31),
    "2.dropouts_returned": Decimal(24),
    "2.dropouts_referred": Decimal(7),
    "3.learners_total": Decimal(42753),
    "3.learners_joined": Decimal(42753),
    "4.schools_total": Decimal(57),
    "4.schools_using_results": Decimal(57),
    "5.schools_total": Decimal(57),
    "5.schools_active_learning": Decimal(55),
    "6a.children_assessed": Decimal(390393),
    "6a.children_level3": Decimal(363524),
    "6a.children_level3_pct": Decimal("93.12"),
    "6b.m3_graduates": Decimal(3120),
    "6b.m3_continuing": Decimal(3050),
    "6b.m6_graduates": Decimal(2480),
    "6b.m6_continuing": Decimal(2390),
    "7.learners_screened": Decimal(40000),
    "7.learners_with_loss": Decimal(5200),
    "7.learners_improved": Decimal(4100),
    "8.learners_total": Decimal(42753),
    "8.learners_joined": Decimal(41000),
    "8.schools_total": Decimal(57),
    "8.schools_with_activities": Decimal(57),
    "9.history_teachers": Decimal(120),
    "9.model_teachers": Decimal(14),
    "9.schools_total": Decimal(57),
    "9.schools_best_practice": Decimal(6),
    "10.schools_primary": Decimal(0),
    "10.schools_secondary": Decimal(2),
    "10.schools_standalone": Decimal(0),
    "10.schools_total": Decimal(2),
    "10.school_names": ["โรงเรียนบุญวาทย์วิทยาลัย", "โรงเรียนลำพูนวิทยาคม"],
    "X1.students": Decimal(2870),
    "X1.teachers": Decimal(2533),
    "X1.administrators": Decimal(1095),
    "X1.community": Decimal(1272),
    "X1.total": Decimal(7770),
    "X1.announced_date": dt.date(2023, 3, 15),
    "X2.systems_count": Decimal(2),
    "X2.system_names": ["ระบบ Big Data ของ สพท.", "ระบบ DMC"],
}


def run(rules: list[ValidationRule], **changes: Any) -> list[Finding]:
    values = dict(CLEAN)
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    return check(rules, values, FY)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_a_consistent_report_has_no_findings(qp_rules: list[ValidationRule]) -> None:
    assert check(qp_rules, CLEAN, FY) == []


def test_seed000_national_figures_pass(qp_rules: list[ValidationRule]) -> None:
    # 349 quality schools = 183 + 77 + 89; 363,524 of 390,393 = 93.12% (seed 000).
    findings = run(
        qp_rules,
        **{"10.schools_primary": 183, "10.schools_secondary": 77, "10.schools_standalone": 89,
           "10.schools_total": 349, "10.school_names": [f"โรงเรียน {i}" for i in range(349)]},
    )
    assert findings == []


# ---------------------------------------------------------------- sum


def test_sum_parts_not_adding_up_to_the_stated_total(qp_rules: list[ValidationRule]) -> None:
    # 002 L1507–1509: parts adding up to 1,538 printed with a total of 1,540.
    parts = {"X1.students": 600, "X1.teachers": 500, "X1.administrators": 238,
             "X1.community": 200}
    wrong = run(qp_rules, **parts, **{"X1.total": 1540})
    assert codes(wrong) == ["x1.parts_sum_to_total"]
    finding = wrong[0]
    assert finding.is_error
    assert finding.rule.kind == "sum"
    assert finding.left == 1538 and finding.right == 1540
    assert finding.message_th == (
        "ผลรวมต้นแบบนักเรียน ครู ผู้บริหาร และชุมชน (1,538 คน) ไม่เท่ากับยอดรวมที่ระบุ (1,540 คน)"
        " ต่างกัน 2 คน"
    )
    # The UI shows it beside every field involved.
    assert set(finding.keys) == {
        "X1.students", "X1.teachers", "X1.administrators", "X1.community", "X1.total"
    }
    assert run(qp_rules, **parts, **{"X1.total": 1538}) == []


def test_sum_quality_schools_message(qp_rules: list[ValidationRule]) -> None:
    findings = run(qp_rules, **{"10.schools_primary": 1, "10.schools_total": 2})
    assert [f.message_th for f in findings if f.code == "qp10.parts_sum_to_total"] == [
        "ผลรวมรายประเภท (3) ไม่เท่ากับยอดรวมที่ระบุ (2) ต่างกัน 1 โรงเรียน"
    ]


def test_sum_warning_asks_for_a_reason(qp_rules: list[ValidationRule]) -> None:
    findings = run(qp_rules, **{"2.dropouts_returned": 20})
    assert codes(findings) == ["qp2.every_found_helped"]
    assert warnings(findings) == findings and errors(findings) == []
    assert "4 คน" in findings[0].message_th and "โปรดระบุเหตุผล" in findings[0].message_th


# ---------------------------------------------------------------- ratio


def test_ratio_percentage_that_does_not_match_its_counts(qp_rules: list[ValidationRule]) -> None:
    # 003 L3284: 96.04% printed for 312.923 of 338.316 (= 92.49%).
    counts = {"6a.children_level3": Decimal(312923), "6a.children_assessed": Decimal(338316)}
    wrong = run(qp_rules, **counts, **{"6a.children_level3_pct": Decimal("96.04")})
    assert codes(wrong) == ["qp6a.pct_matches_counts"]
    assert wrong[0].is_error and wrong[0].rule.kind == "ratio"
    assert wrong[0].message_th.startswith(
        "ร้อยละที่รายงาน (96.04) ไม่ตรงกับที่คำนวณจากจำนวน (92.49 = "
    )
    assert run(qp_rules, **counts, **{"6a.children_level3_pct": Decimal("92.49")}) == []


def test_ratio_tolerance_is_0_01(qp_rules: list[ValidationRule]) -> None:
    counts = {"6a.children_level3": 1, "6a.children_assessed": 8}  # exactly 12.5%
    assert run(qp_rules, **counts, **{"6a.children_level3_pct": Decimal("12.51")}) == []
    assert run(qp_rules, **counts, **{"6a.children_level3_pct": Decimal("12.49")}) == []
    late = run(qp_rules, **counts, **{"6a.children_level3_pct": Decimal("12.52")})
    assert codes(late) == ["qp6a.pct_matches_counts"]


def test_ratio_of_nobody_assessed_is_left_to_the_range_rules(
    qp_rules: list[ValidationRule],
) -> None:
    findings = run(qp_rules, **{"6a.children_assessed": 0, "6a.children_level3": 0})
    assert codes(findings) == []  # no percentage of zero children to compare


# ---------------------------------------------------------------- range


def test_range_count_above_its_total(qp_rules: list[ValidationRule]) -> None:
    wrong = run(qp_rules, **{"4.schools_using_results": 58})
    assert codes(wrong) == ["qp4.schools_within_total"]
    assert wrong[0].rule.kind == "range"
    assert wrong[0].message_th == (
        "สถานศึกษาที่นำผลการประเมินไปใช้ (58 แห่ง) มากกว่าสถานศึกษาในสังกัดทั้งหมด (57 แห่ง)"
    )
    assert run(qp_rules, **{"4.schools_using_results": 57}) == []


def test_range_negative_count(qp_rules: list[ValidationRule]) -> None:
    wrong = run(qp_rules, **{"7.learners_improved": -5})
    assert codes(wrong) == ["non_negative:7.learners_improved"]
    assert wrong[0].message_th == (
        "ผู้เรียนที่มีภาวะถดถอยทางการเรียนรู้ลดลง ติดลบ (-5) ค่าต้องไม่น้อยกว่า 0"
    )
    assert run(qp_rules, **{"7.learners_improved": 0}) == []


def test_range_percentage_over_100(qp_rules: list[ValidationRule]) -> None:
    counts = {"6a.children_level3": 101, "6a.children_assessed": 100}
    wrong = run(qp_rules, **counts, **{"6a.children_level3_pct": Decimal("101.00")})
    assert codes(wrong) == ["qp6a.level3_within_assessed", "qp6a.pct_at_most_100"]


# ---------------------------------------------------------------- count_list


def test_count_list_disagreeing_with_the_stated_count(qp_rules: list[ValidationRule]) -> None:
    # 001 L1012: "2 quality schools" with one named.
    wrong = run(qp_rules, **{"10.school_names": ["โรงเรียนบุญวาทย์วิทยาลัย"]})
    assert codes(wrong) == ["qp10.names_match_count"]
    assert wrong[0].is_error and wrong[0].rule.kind == "count_list"
    assert wrong[0].message_th == "ระบุรายชื่อโรงเรียนคุณภาพ 1 โรงเรียน แต่รายงานจำนวนไว้ 2 โรงเรียน"
    assert run(qp_rules) == []


def test_count_list_from_typed_lines(qp_rules: list[ValidationRule]) -> None:
    typed = "โรงเรียนบุญวาทย์วิทยาลัย\n\nโรงเรียนลำพูนวิทยาคม\n"
    assert run(qp_rules, **{"10.school_names": typed}) == []


def test_count_list_office_without_quality_schools(qp_rules: list[ValidationRule]) -> None:
    # 000: สพท.กรุงเทพมหานคร เขต 2 has no quality school; an empty list is its answer.
    none = {"10.schools_secondary": 0, "10.schools_total": 0, "10.school_names": []}
    assert run(qp_rules, **none) == []


def test_count_list_requires_the_list_and_the_count(qp_rules: list[ValidationRule]) -> None:
    # ``missing: error_if_partial``: once one side is given the other is required.
    findings = run(qp_rules, **{"10.school_names": None})
    assert codes(findings) == ["qp10.names_match_count"]
    assert findings[0].is_error
    assert findings[0].missing == ("10.school_names",)
    assert findings[0].message_th == (
        "รายชื่อโรงเรียนคุณภาพครบตามจำนวนที่รายงาน: ยังไม่ได้กรอก รายชื่อโรงเรียนคุณภาพ"
    )
    neither = run(qp_rules, **{"10.school_names": None, "10.schools_total": None})
    assert codes(neither) == []  # an office that leaves QP10 blank is not stopped here


# ---------------------------------------------------------------- date_in_fy


def test_date_outside_the_fiscal_year(qp_rules: list[ValidationRule]) -> None:
    # 001/002 report activities dated outside the fiscal year under review.
    wrong = run(qp_rules, **{"X1.announced_date": dt.date(2022, 6, 10)})
    assert codes(wrong) == ["x1.announced_from_fy_start"]
    assert wrong[0].is_error and wrong[0].rule.kind == "date_in_fy"
    assert wrong[0].message_th.startswith(
        "วันที่ประกาศผลการคัดเลือกต้นแบบ (10 มิถุนายน 2565) อยู่ก่อนเริ่มปีงบประมาณ (1 ตุลาคม 2565)"
    )
    after = run(qp_rules, **{"X1.announced_date": dt.date(2023, 10, 1)})
    assert codes(after) == ["x1.announced_to_fy_end"]
    assert "30 กันยายน 2566" in after[0].message_th
    # The fiscal year's first and last days are inside it.
    assert run(qp_rules, **{"X1.announced_date": dt.date(2022, 10, 1)}) == []
    assert run(qp_rules, **{"X1.announced_date": dt.date(2023, 9, 30)}) == []


def test_date_typed_in_thai(qp_rules: list[ValidationRule]) -> None:
    wrong = run(qp_rules, **{"X1.announced_date": "๑๐ มิ.ย. ๒๕๖๕"})
    assert codes(wrong) == ["x1.announced_from_fy_start"]
    assert run(qp_rules, **{"X1.announced_date": "10 มิ.ย. 2566"}) == []


def test_plan_announced_just_before_the_year_is_a_warning(
    qp_rules: list[ValidationRule],
) -> None:
    findings = run(qp_rules, **{"1.plan_date": dt.date(2022, 9, 15)})
    assert codes(findings) == ["qp1.plan_date_from_fy_start"]
    assert not findings[0].is_error


def test_the_fiscal_year_comes_from_the_caller(qp_rules: list[ValidationRule]) -> None:
    values = dict(CLEAN, **{"X1.announced_date": dt.date(2023, 3, 15)})
    assert codes(check(qp_rules, values, 2567)) == [
        "qp1.plan_date_from_fy_start", "x1.announced_from_fy_start"
    ]


# ---------------------------------------------------------------- missing values, selection


def test_rules_with_missing_values_are_skipped_unless_they_say_so(
    qp_rules: list[ValidationRule],
) -> None:
    partial: dict[str, Any] = {
        "X1.students": Decimal(10), "X1.total": Decimal(99), "1.learners_total": ""
    }
    # No shipped rule speaks about figures nobody has entered yet.
    assert codes(check(qp_rules, partial, FY)) == []
    assert codes(check(qp_rules, {}, FY)) == []


def test_missing_error_reports_empty_fields(qp: Any) -> None:
    rule = ValidationRule(
        framework=qp, code="t.missing", name_th="ต้นแบบครบทุกกลุ่ม", kind="sum",
        left="#{X1.students} + #{X1.teachers}", operator="<=", right="#{X1.total}",
        severity="warning", missing="error", message_th="เกิน ({left} > {right})",
    )
    findings = check([rule], {}, FY)
    assert len(findings) == 1
    assert findings[0].severity == "warning"
    assert findings[0].missing == ("X1.students", "X1.teachers", "X1.total")
    assert findings[0].message_th == (
        "ต้นแบบครบทุกกลุ่ม: ยังไม่ได้กรอก ต้นแบบนักเรียน, ต้นแบบครู, ต้นแบบทั้งหมด"
    )
    assert check([rule], CLEAN, FY) == []


def test_missing_error_if_partial_waits_for_a_first_value(qp: Any) -> None:
    # DHIS2's "skip if all values missing": silent until the reporter starts the set.
    rule = ValidationRule(
        framework=qp, code="t.partial", name_th="จำนวนกับรายชื่อระบบ", kind="count_list",
        left="count(#{X2.system_names})", operator="==", right="#{X2.systems_count}",
        severity="error", missing="error_if_partial", message_th="{left} ≠ {right}",
    )
    assert check([rule], {}, FY) == []
    started = check([rule], {"X2.systems_count": Decimal(2)}, FY)
    assert [f.missing for f in started] == [("X2.system_names",)]
    assert codes(check([rule], {"X2.systems_count": 2, "X2.system_names": ["a"]}, FY)) == [
        "t.partial"
    ]


def test_unreadable_text_is_left_to_the_field(qp_rules: list[ValidationRule]) -> None:
    # "12,3,4" gets its own message beside the field; rules treat it as not filled in.
    assert run(qp_rules, **{"4.schools_using_results": "12,3,4"}) == []


def test_raw_thai_input_is_checked(qp_rules: list[ValidationRule]) -> None:
    wrong = run(qp_rules, **{"4.schools_using_results": "๕๘"})
    assert codes(wrong) == ["qp4.schools_within_total"]


def test_only_rules_touching_the_saved_keys_run(qp_rules: list[ValidationRule]) -> None:
    values = dict(CLEAN, **{"X1.total": Decimal(1), "4.schools_using_results": Decimal(99)})
    assert codes(check(qp_rules, values, FY)) == [
        "qp4.schools_within_total", "x1.parts_sum_to_total"
    ]
    assert codes(check(qp_rules, values, FY, keys=["X1.total"])) == ["x1.parts_sum_to_total"]
    touching = rules_touching(qp_rules, ["X1.total"])
    assert {r.code for r in touching} == {"non_negative:X1.total", "x1.parts_sum_to_total"}


def test_check_one_element_and_check_framework(qp: Any) -> None:
    values = dict(CLEAN, **{"10.school_names": ["โรงเรียนบุญวาทย์วิทยาลัย"]})
    assert codes(check_one_element(qp, values, "10.school_names")) == ["qp10.names_match_count"]
    assert check_one_element(qp, values, "X1.total") == []
    assert codes(check_framework(qp, values)) == ["qp10.names_match_count"]


def test_inactive_rules_do_not_run(qp_rules: list[ValidationRule]) -> None:
    rule = next(r for r in qp_rules if r.code == "x1.parts_sum_to_total")
    rule.active = False
    assert run([rule], **{"X1.total": 1}) == []


def test_finding_as_dict_is_json_ready(qp_rules: list[ValidationRule]) -> None:
    finding = run(qp_rules, **{"X1.announced_date": dt.date(2022, 6, 10)})[0]
    assert finding.as_dict() == {
        "rule": "x1.announced_from_fy_start",
        "name_th": finding.rule.name_th,
        "kind": "date_in_fy",
        "severity": "error",
        "message_th": finding.message_th,
        "keys": ["X1.announced_date"],
        "left": "2022-06-10",
        "right": "2022-10-01",
        "missing": [],
    }


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal(1540), "1,540"),
    (Decimal("1540.00"), "1,540"),
    (Decimal("96.04"), "96.04"),
    (Decimal("312923") / Decimal("338316") * 100, "92.49"),
    (Decimal("-5"), "-5"),
    (Decimal("1234567.5"), "1,234,567.5"),
    (dt.date(2023, 9, 30), "30 กันยายน 2566"),
])
def test_format_value(value: Decimal | dt.date, shown: str) -> None:
    assert format_value(value) == shown
