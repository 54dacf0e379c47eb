"""Reading people's CSV files: odd content is refused with its row, never a traceback."""

from __future__ import annotations

import pytest

from tidtam.csvfiles import ImportFailed, read_rows


def test_a_cell_beyond_the_csv_modules_limit_names_its_row() -> None:
    data = ("code,name_th\nA,ก\nB," + "ข" * 200_000 + "\n").encode()
    with pytest.raises(ImportFailed) as exc:
        read_rows(data, ["code", "name_th"])
    assert [str(e) for e in exc.value.errors] == [
        "แถวที่ 3: มีช่องข้อมูลยาวเกิน 131,072 ตัวอักษร ไม่มีการบันทึกข้อมูลใด ๆ"]


def test_a_nul_or_control_character_in_a_cell_is_refused() -> None:
    data = "code,name_th\nA,ก\x00ข\nB,ค\x0bง\nC,ดี\n".encode()
    with pytest.raises(ImportFailed) as exc:
        read_rows(data, ["code", "name_th"])
    assert [str(e) for e in exc.value.errors] == [
        "แถวที่ 2: คอลัมน์ name_th: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+0000) ที่ตำแหน่ง 2 "
        "กรุณาลบออกแล้วบันทึกอีกครั้ง",
        "แถวที่ 3: คอลัมน์ name_th: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+000B) ที่ตำแหน่ง 2 "
        "กรุณาลบออกแล้วบันทึกอีกครั้ง"]
