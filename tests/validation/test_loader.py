"""Rule fixtures: the shipped ones load idempotently and match the data elements; bad ones fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tidtam.frameworks.models import DataElement
from tidtam.validation.expressions import parse_expression
from tidtam.validation.loader import (
    FIXTURES_DIR,
    RuleFixtureError,
    load_all_rules,
    load_rules,
)
from tidtam.validation.models import Kind, Severity, ValidationRule

pytestmark = pytest.mark.django_db

NUMERIC = {"integer", "decimal", "percent", "money"}


def test_shipped_rules_load_idempotently() -> None:
    # The session fixture loaded them once already.
    before = list(ValidationRule.objects.order_by("pk").values())
    assert before
    assert load_all_rules() == 0
    assert list(ValidationRule.objects.order_by("pk").values()) == before


def test_reload_repairs_an_edited_or_deleted_rule() -> None:
    rule = ValidationRule.objects.get(code="qp10.parts_sum_to_total")
    rule.severity = Severity.WARNING
    rule.save()
    ValidationRule.objects.filter(code="x1.parts_sum_to_total").delete()
    assert load_all_rules() == 2
    assert ValidationRule.objects.get(pk=rule.pk).severity == Severity.ERROR  # updated in place
    assert ValidationRule.objects.filter(code="x1.parts_sum_to_total").exists()
    assert load_all_rules() == 0


def test_every_shipped_reference_is_a_data_element_of_the_right_type(qp: Any) -> None:
    elements = {e.key: e.value_type for e in DataElement.objects.filter(node__framework=qp)}
    rules = list(ValidationRule.objects.filter(framework=qp))
    assert rules
    for rule in rules:
        assert rule.keys, rule.code
        for key in rule.keys:
            assert key in elements, f"{rule.code}: #{{{key}}} is not a data element"
        left = parse_expression(rule.left).type_of(elements, rule.left)
        right = parse_expression(rule.right).type_of(elements, rule.right)
        assert left == right, rule.code


def test_shipped_rules_cover_every_kind_and_both_severities(qp: Any) -> None:
    rules = ValidationRule.objects.filter(framework=qp, active=True)
    assert {r.kind for r in rules} >= {
        Kind.SUM, Kind.RATIO, Kind.RANGE, Kind.COUNT_LIST, Kind.DATE_IN_FY
    }
    assert {r.severity for r in rules} == {Severity.ERROR, Severity.WARNING}


def test_every_numeric_element_has_a_non_negative_rule(qp: Any) -> None:
    numeric = {
        e.key for e in DataElement.objects.filter(node__framework=qp).select_related("node")
        if e.value_type in NUMERIC
    }
    covered = {
        r.code.split(":", 1)[1]
        for r in ValidationRule.objects.filter(framework=qp, code__startswith="non_negative:")
    }
    assert covered == numeric


def test_each_expands_with_the_element_name(qp: Any) -> None:
    rule = ValidationRule.objects.get(framework=qp, code="non_negative:X1.total")
    assert rule.left == "#{X1.total}"
    assert rule.name_th == "ต้นแบบทั้งหมด ต้องไม่ติดลบ"
    assert "{element}" not in rule.message_th


# ---------------------------------------------------------------- broken fixtures

GOOD = {
    "code": "t.sum",
    "name_th": "ผลรวม",
    "kind": "sum",
    "left": "sum(#{X1.students}, #{X1.teachers})",
    "operator": "<=",
    "right": "#{X1.total}",
    "severity": "error",
    "message_th": "ผลรวม ({left}) เกินยอดรวม ({right})",
}


def write(directory: Path, name: str, rules: list[dict[str, Any]], **head: Any) -> None:
    directory.mkdir(exist_ok=True)
    data = {"framework": "qp", "fiscal_year": 2566, **head, "rules": rules}
    (directory / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_fixture_is_the_source_of_truth_for_its_framework(tmp_path: Path, qp: Any) -> None:
    write(tmp_path, "qp.yaml", [GOOD])
    assert load_rules(tmp_path) > 1  # one created, the shipped ones deleted
    assert list(qp.validation_rules.values_list("code", flat=True)) == ["t.sum"]
    assert load_rules(tmp_path) == 0


@pytest.mark.parametrize(("change", "reason"), [
    ({"right": "#{X1.nobody}"}, "ไม่พบข้อมูล '#{X1.nobody}'"),
    ({"operator": "=<"}, "operator '=<' ใช้ไม่ได้"),
    ({"severity": "fatal"}, "severity 'fatal' ใช้ไม่ได้"),
    ({"kind": "total"}, "kind 'total' ใช้ไม่ได้"),
    ({"missing": "ignore"}, "missing 'ignore' ใช้ไม่ได้"),
    ({"left": "sum(#{X1.students}"}, "ขาดวงเล็บปิด"),
    ({"right": "fy_end()"}, "เปรียบเทียบตัวเลขกับวันที่ไม่ได้"),
    ({"left": "count(#{X1.students})"}, "count() ใช้กับข้อมูลแบบรายการเท่านั้น"),
    ({"left": "#{X1.announced_date}"}, "date(#{X1.announced_date})"),
    ({"tolerance": 1}, "tolerance ใช้ได้กับ == และ != เท่านั้น"),
    ({"operator": "==", "tolerance": -1}, "tolerance ต้องไม่ติดลบ"),
    ({"tolerance": "มาก"}, "tolerance ต้องเป็นตัวเลข"),
    ({"message_th": "ผลรวม {total}"}, "ข้อความใช้ total ไม่ได้"),
    ({"message_th": "ผลรวม {left"}, "วงเล็บปีกกา"),
    ({"message_th": ""}, "ขาด message_th"),
])
def test_broken_rule_is_refused_with_a_thai_message(
    tmp_path: Path, qp: Any, change: dict[str, Any], reason: str
) -> None:
    before = list(ValidationRule.objects.values_list("code", flat=True))
    write(tmp_path, "qp.yaml", [{**GOOD, **change}])
    with pytest.raises(RuleFixtureError) as err:
        load_rules(tmp_path)
    assert "qp.yaml กฎ t.sum" in str(err.value)
    assert reason in str(err.value)
    assert list(ValidationRule.objects.values_list("code", flat=True)) == before


def test_duplicate_codes_are_refused(tmp_path: Path, qp: Any) -> None:
    write(tmp_path, "qp.yaml", [GOOD, GOOD])
    with pytest.raises(RuleFixtureError, match="รหัสกฎซ้ำ"):
        load_rules(tmp_path)
    write(tmp_path, "qp.yaml", [GOOD])
    write(tmp_path, "qp_more.yaml", [GOOD])
    with pytest.raises(RuleFixtureError, match=r"ซ้ำกับไฟล์อื่น: t\.sum"):
        load_rules(tmp_path)


def test_each_must_name_data_elements(tmp_path: Path, qp: Any) -> None:
    rule = {**GOOD, "each": ["X1.total", "X1.nobody"], "left": "#{each}", "right": "0"}
    write(tmp_path, "qp.yaml", [rule])
    with pytest.raises(RuleFixtureError, match=r"ไม่พบข้อมูล 'X1\.nobody' ที่ระบุใน each"):
        load_rules(tmp_path)


def test_unknown_framework_says_to_load_frameworks_first(tmp_path: Path, qp: Any) -> None:
    write(tmp_path, "qp.yaml", [GOOD], fiscal_year=2599)
    with pytest.raises(RuleFixtureError, match="ไม่พบกรอบการประเมิน 'qp' ปีงบประมาณ 2599"):
        load_rules(tmp_path)


def test_a_directory_loads_all_or_nothing(tmp_path: Path, qp: Any) -> None:
    before = list(ValidationRule.objects.values_list("code", flat=True))
    write(tmp_path, "a.yaml", [GOOD])
    write(tmp_path, "b.yaml", [{**GOOD, "code": "t.bad", "operator": "~"}])
    with pytest.raises(RuleFixtureError):
        load_rules(tmp_path)
    assert list(ValidationRule.objects.values_list("code", flat=True)) == before


def test_fixture_directory_is_per_fiscal_year() -> None:
    assert (FIXTURES_DIR / "fy2566" / "qp.yaml").is_file()
