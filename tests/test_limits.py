"""The shared limits: figures, texts and import files, the same on every path and database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tidtam.limits import (
    DEFAULT_FIGURE,
    MAX_IMPORT_BYTES,
    FigureLimit,
    OutOfLimits,
    check_figure,
    check_text,
    check_values,
    read_import_file,
)


def test_a_figure_keeps_at_most_fifteen_digits() -> None:
    assert FigureLimit(integer_digits=11, decimals=4) == DEFAULT_FIGURE
    assert check_figure(Decimal("99999999999.9999")) == Decimal("99999999999.9999")
    assert check_figure(Decimal("-1234.5")) == Decimal("-1234.5")
    with pytest.raises(OutOfLimits) as exc:
        check_figure(Decimal("9999999999999999"))
    assert exc.value.message == (
        "ตัวเลขต้องน้อยกว่า 100,000,000,000 (ไม่เกิน 11 หลักหน้าจุดทศนิยม) "
        "แต่พบ 9,999,999,999,999,999")
    with pytest.raises(OutOfLimits, match=r"ทศนิยมได้ไม่เกิน 4 ตำแหน่ง แต่พบ 1\.23456"):
        check_figure(Decimal("1.23456"))
    assert check_figure(Decimal("1.50000")) == Decimal("1.50000")  # trailing zeros are no digits
    for odd in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(OutOfLimits, match="ไม่ใช่ตัวเลขที่บันทึกได้"):
            check_figure(Decimal(odd))


def test_a_fields_limit_is_its_own_size_within_the_caps() -> None:
    from tidtam.evaluation.models import Rating
    from tidtam.measures.models import Observation
    from tidtam.plans.models import QuarterProgress

    assert FigureLimit.of(Observation._meta.get_field("value_decimal")) == FigureLimit(11, 4)
    assert FigureLimit.of(QuarterProgress._meta.get_field("money_spent")) == FigureLimit(12, 2)
    assert FigureLimit.of(Rating._meta.get_field("target_value")) == FigureLimit(10, 4)
    with pytest.raises(OutOfLimits, match="ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"):
        check_figure(Decimal("10.005"), FigureLimit(12, 2))
    with pytest.raises(OutOfLimits, match="ทศนิยมไม่ได้"):
        check_figure(Decimal("1.5"), FigureLimit(5, 0))


def test_texts_without_nul_controls_or_surrogates_within_the_length() -> None:
    assert check_text("บรรทัด 1\r\nบรรทัด 2\tแท็บ", "ข้อความ") == "บรรทัด 1\nบรรทัด 2\tแท็บ"
    with pytest.raises(OutOfLimits) as exc:
        check_text("ก่อน\x00หลัง", "การขับเคลื่อนการดำเนินงาน")
    assert exc.value.message == (
        "การขับเคลื่อนการดำเนินงาน: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+0000) ที่ตำแหน่ง 5 "
        "กรุณาลบออกแล้วบันทึกอีกครั้ง")
    for bad in ("\x0b", "\x1f", "\ud800", "\uffff"):
        with pytest.raises(OutOfLimits, match="ไม่ใช่ข้อความ"):
            check_text(f"x{bad}", "ชื่อ")
    assert check_text("ก" * 255, "ชื่อ", 255) == "ก" * 255
    with pytest.raises(OutOfLimits, match="ชื่อ: ยาว 1,000 ตัวอักษร เกินกำหนด 255 ตัวอักษร"):
        check_text("ก" * 1000, "ชื่อ", 255)


def test_values_are_checked_against_the_fields_they_go_into() -> None:
    from tidtam.inspection.models import Entry
    from tidtam.orgs.models import OrgUnit

    with pytest.raises(OutOfLimits, match=r"^ชื่อหน่วยงาน: ยาว 1,000 ตัวอักษร เกินกำหนด 255"):
        check_values(OrgUnit, {"name_th": "ก" * 1000})
    with pytest.raises(OutOfLimits, match=r"^ขั้นตอน: มีอักขระที่ไม่ใช่ข้อความ"):
        check_values(Entry, {"steps": ["ขั้นที่ 1", "ขั้น\x00ที่ 2"]}, {"steps": "ขั้นตอน"})
    with pytest.raises(OutOfLimits, match=r"^value: ตัวเลขต้องน้อยกว่า 100,000,000,000"):
        check_values(Entry, {"value": Decimal("1e12")})
    assert check_values(Entry, {"title": "ชื่อ\r\nต่อ", "value": Decimal(5), "round": 2}) == {
        "title": "ชื่อ\nต่อ", "value": Decimal(5), "round": 2}


def test_import_files_over_the_limit_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: the size is there, the bytes never written
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(OutOfLimits, match=r"big.txt: ไฟล์มีขนาด 50.0 MB เกินกำหนด 5 MB"):
        read_import_file(big)
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * MAX_IMPORT_BYTES)
    assert len(read_import_file(small)) == MAX_IMPORT_BYTES
