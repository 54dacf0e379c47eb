"""The rule expression language: precedence, functions, types, and Thai errors — never eval."""

from __future__ import annotations

import builtins
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tidtam.validation.expressions import (
    Env,
    ExpressionError,
    Undefined,
    parse_expression,
    references,
)

FY = 2566


def ev(text: str, values: dict[str, Any] | None = None, fiscal_year: int = FY) -> Any:
    return parse_expression(text).evaluate(Env(values or {}, fiscal_year))


@pytest.mark.parametrize(("text", "expected"), [
    ("2 + 3 * 4", Decimal(14)),
    ("(2 + 3) * 4", Decimal(20)),
    ("10 - 4 - 3", Decimal(3)),  # left-associative
    ("12 / 4 / 3", Decimal(1)),
    ("2 * 3 + 4 * 5", Decimal(26)),
    ("-2 * 3", Decimal(-6)),
    ("-(2 + 3)", Decimal(-5)),
    ("2 - -3", Decimal(5)),
    ("7 - 2 * 3 + 1", Decimal(2)),
    ("((1))", Decimal(1)),
    ("2 × 3 ÷ 4 − 1", Decimal("0.5")),  # what Thai planners type
    ("๑๒ + ๓", Decimal(15)),  # Thai digits
    ("0.1 + 0.2", Decimal("0.3")),  # Decimal, not float
])
def test_arithmetic_and_precedence(text: str, expected: Decimal) -> None:
    assert ev(text) == expected


def test_references_read_values() -> None:
    values = {"10.a": Decimal(183), "10.b": Decimal(77), "10.c": 89}
    assert ev("#{10.a} + #{10.b} + #{10.c}", values) == 349
    assert ev("sum(#{10.a}, #{10.b}, #{10.c})", values) == 349
    assert ev("#{ 10.a }", values) == 183


def test_reference_keys_may_contain_dots_in_the_node_code() -> None:
    assert references("#{3.4.3.2.rate} + #{6a.x} + #{3.4.3.2.rate}") == ["3.4.3.2.rate", "6a.x"]


def test_raw_text_values_are_read_as_typed() -> None:
    assert ev("#{a.b}", {"a.b": "๓๖๓,๕๒๔"}) == 363524


def test_pct() -> None:
    result = ev("pct(#{6a.n}, #{6a.d})", {"6a.n": 363524, "6a.d": 390393})
    assert round(result, 2) == Decimal("93.12")
    assert ev("pct(1, 4)") == 25


def test_pct_of_zero_is_undefined() -> None:
    with pytest.raises(Undefined):
        ev("pct(1, 0)")
    with pytest.raises(Undefined):
        ev("1 / (2 - 2)")


def test_count_reads_lists_and_lines() -> None:
    assert ev("count(#{10.names})", {"10.names": ["โรงเรียน ก", "โรงเรียน ข"]}) == 2
    # Blank lines and padding don't count as schools.
    assert ev("count(#{10.names})", {"10.names": "โรงเรียน ก\n\n  \nโรงเรียน ข\n"}) == 2
    assert ev("count(#{10.names})", {"10.names": []}) == 0


def test_fiscal_year_dates() -> None:
    assert ev("fy_start()") == dt.date(2022, 10, 1)
    assert ev("fy_end()") == dt.date(2023, 9, 30)
    assert ev("fy_end()", fiscal_year=2567) == dt.date(2024, 9, 30)


def test_date_arithmetic() -> None:
    values = {"1.d": dt.date(2022, 10, 31)}
    assert ev("date(#{1.d})", values) == dt.date(2022, 10, 31)
    assert ev("date(#{1.d}) - fy_start()", values) == 30  # days
    assert ev("fy_start() + 30", values) == dt.date(2022, 10, 31)
    assert ev("date(#{1.d})", {"1.d": "10 มิ.ย. 2566"}) == dt.date(2023, 6, 10)


@pytest.mark.parametrize(("text", "reason"), [
    ("", "นิพจน์ว่าง"),
    ("1 +", "จบไม่สมบูรณ์"),
    ("(1 + 2", "ขาดวงเล็บปิด"),
    ("1 + 2)", "เกินมา"),
    ("* 2", "ต้องมีค่าหน้าเครื่องหมาย"),
    ("#{10.a} #{10.b}", "เกินมา"),
    ("1,540", "จุลภาค"),
    ("2 ** 3", "ต้องมีค่าหน้าเครื่องหมาย"),
    ("2 ^ 3", "ใช้อักขระ '^'"),
    ("#{schools}", "คั่นด้วยจุด"),
    ("#{10.a", "#{รหัสตัวชี้วัด.รหัสข้อมูล}"),
    ("avg(1, 2)", "ไม่รู้จักฟังก์ชัน 'avg'"),
    ("sum", "ต้องมีวงเล็บ"),
    ("sum()", "จำนวนค่าใน sum()"),
    ("pct(1)", "จำนวนค่าใน pct()"),
    ("fy_start(1)", "จำนวนค่าใน fy_start()"),
    ("count(1)", "ต้องรับการอ้างอิงข้อมูลโดยตรง"),
    ("date(#{1.a} + 1)", "ต้องรับการอ้างอิงข้อมูลโดยตรง"),
    ("__import__(1)", "ไม่รู้จักฟังก์ชัน '__import__'"),
    ("__import__('os').system('true')", "ใช้อักขระ '''"),
    ("(1).__class__", "ใช้อักขระ '.'"),
    ("open(1)", "ไม่รู้จักฟังก์ชัน 'open'"),
    ("sum(1,540)", "จุลภาค"),
    ("1 if 1 else 2", "เกินมา"),
    ("(" * 60 + "1" + ")" * 60, "ลึกเกินไป"),
])
def test_malformed_expressions_get_thai_messages(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(text)
    message = str(err.value)
    assert message.startswith("นิพจน์ '")
    assert reason in message


def test_error_names_the_position() -> None:
    with pytest.raises(ExpressionError, match=r"ตำแหน่งที่ 9"):
        parse_expression("#{1.a} + ")


def test_no_eval_exec_or_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the rule language must not call eval/exec/compile")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)
    parse_expression.cache_clear()
    text = "pct(sum(#{a.x}, #{a.y}) * (2 - 1), #{a.z}) + count(#{a.l})"
    values = {"a.x": 1, "a.y": 2, "a.z": 4, "a.l": ["1"]}
    assert ev(text, values) == 76


TYPES = {
    "1.n": "integer", "1.p": "percent", "1.m": "money", "1.d": "date",
    "1.l": "list", "1.t": "text",
}


@pytest.mark.parametrize(("text", "expected"), [
    ("#{1.n} + #{1.p} * #{1.m}", "number"),
    ("count(#{1.l})", "number"),
    ("date(#{1.d})", "date"),
    ("fy_end()", "date"),
    ("date(#{1.d}) - fy_start()", "number"),
    ("fy_start() + 30", "date"),
])
def test_types(text: str, expected: str) -> None:
    assert parse_expression(text).type_of(TYPES, text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("#{1.missing}", "ไม่พบข้อมูล '#{1.missing}'"),
    ("#{1.d} + 1", "date(#{1.d})"),
    ("#{1.l}", "count(#{1.l})"),
    ("#{1.t} + 1", "ข้อความ"),
    ("count(#{1.n})", "count() ใช้กับข้อมูลแบบรายการเท่านั้น"),
    ("date(#{1.n})", "date() ใช้กับข้อมูลวันที่เท่านั้น"),
    ("date(#{1.d}) * 2", "ระหว่างวันที่กับตัวเลข"),
    ("fy_start() + fy_end()", "ระหว่างวันที่กับวันที่"),
    ("pct(fy_start(), 2)", "pct() ใช้กับตัวเลขเท่านั้น"),
    ("-fy_start()", "เครื่องหมายลบหน้าวันที่"),
])
def test_type_errors_are_named(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(text).type_of(TYPES, text)
    assert reason in str(err.value)
