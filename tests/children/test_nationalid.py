from __future__ import annotations

from tidtam.children.nationalid import check_digit, generate, keyed_hash, mask, problem


def test_the_thai_checksum() -> None:
    assert check_digit("110170020345") == 0  # Σ = 144, 144 mod 11 = 1, (11 − 1) mod 10 = 0
    assert problem("1-1017-00203-45-0") is None
    assert problem("1101700203451") == "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"
    assert "13 หลัก" in (problem("12345") or "")
    assert problem(generate("3520", 42)) is None


def test_the_mask_and_the_keyed_hash() -> None:
    assert mask("1101700203450") == "1-1017-xxxxx-xx-0"
    assert keyed_hash("1101700203450") == keyed_hash("1101700203450")
    assert keyed_hash("1101700203450") != keyed_hash(generate("3520", 42))
    assert "1101700203450" not in keyed_hash("1101700203450")
