"""Thai text repair: one test per defect class on real seed lines, and the
guarantees that make it safe to run on anything (identity on correct text,
idempotence, corrupt-then-repair round trips)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest.seeds import SEED_000, SEED_002, SEED_004, seed_line, seed_path, seed_text
from tidtam.ingest import thai_corrupt
from tidtam.ingest.thai_repair import (
    join_split_clusters,
    map_pua,
    normalise_spaces,
    recompose_sara_am,
    reorder_marks,
    repair,
    strip_tags,
)

OFFICE = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน"
PUA = re.compile("[\uf700-\uf8ff]")
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# --- one defect class at a time, on the seeds' own lines ---------------------


def test_pua_glyphs_become_the_marks_they_draw() -> None:
    line = seed_line(SEED_004, 13)  # เร<F70A>งด<F70A>วน
    assert "\uf70a" in line
    assert "เร่งด่วน" in map_pua(line)
    assert repair(seed_line(SEED_004, 7)) == "ในภาพรวม ประจำปีงบประมาณ พ.ศ. 2566"  # ป<F702>
    assert repair(seed_line(SEED_004, 35)) == "รักษาการในตำแหน่งที่ปรึกษาด้านพัฒนากระบวนการเรียนรู้"
    line = seed_line(SEED_002, 189)  # ให<F70B>
    assert "\uf70b" in line
    assert "เพื่อให้เกิดความปลอดภัยในสถานศึกษา" in repair(line)
    # The whole Thai PUA block of Windows/Mac fonts, not only the codepoints 004 uses.
    assert map_pua("\uf700\uf70f\uf718\uf719\uf713\uf717") == "ฐญุู่์"


def test_sara_am_in_every_decomposed_order() -> None:
    assert "\u0e4d\u0e32" in seed_line(SEED_004, 9)  # ส ํ า
    assert repair(seed_line(SEED_004, 9)) == OFFICE
    assert "\u0e32\u0e4d" in seed_line(SEED_004, 298)  # ล า ํ พูน
    assert repair(seed_line(SEED_004, 298)) == " " + OFFICE
    # with the tone between, before or after: all are น้ำ
    for broken in ("น\u0e4d\u0e49\u0e32", "น\u0e49\u0e4d\u0e32", "น\u0e32\u0e4d\u0e49",
                   "น\u0e32\u0e49\u0e4d", "น\u0e33\u0e49"):
        assert recompose_sara_am(broken) == "น้ำ", ascii(broken)


def test_tone_marks_go_after_the_vowel() -> None:
    line = seed_line(SEED_004, 5)  # ข ้ ั น พ ้ ื น
    assert "ข\u0e49\u0e31น" in line
    assert reorder_marks("ข\u0e49\u0e31น") == "ขั้น"
    assert repair(line) == "ผลการติดตาม ประเมินผล การบริหารและการจัดการศึกษาขั้นพื้นฐาน"
    assert repair(seed_line(SEED_004, 100)) == "4 5 4.50 ดีเยี่ยม"  # ดีเย ่ ี ยม


def test_body_font_that_writes_a_as_am() -> None:
    line = seed_line(SEED_004, 353)
    assert line.startswith("ส ำนักงำน")
    assert repair(line) == (
        "สำนักงานเขตพื้นที่การศึกษาส่งเสริม สนับสนุนให้สถานศึกษาสร้างความรู้ "
        "ความเข้าใจให้กับผู้เรียนในภัย"
    )
    assert repair(seed_line(SEED_004, 370)) == "นโยบายพาน้องกลับมาเรียน"
    assert "สม่ำเสมอ" in repair(seed_line(SEED_004, 398))  # "สม่ ำเสมอ"


def test_heading_font_that_writes_am_as_space_a() -> None:
    assert seed_line(SEED_004, 348).startswith("ประจ าปี")
    assert repair(seed_line(SEED_004, 348)) == "ประจำปีงบประมาณ พ.ศ. 2566"
    assert repair(seed_line(SEED_004, 350)) == OFFICE
    assert repair(seed_line(SEED_004, 363)) == (
        "ตัวชี้วัดที่ 2 ระดับความสำเร็จของการดำเนินการ “พาน้องกลับมาเรียน”(5)"
    )


def test_yamakkan_used_as_a_tone_mark() -> None:
    line = seed_line(SEED_002, 1466)
    assert "ได\u0e4eอย่าง" in line
    repaired = repair(line)
    assert "\u0e4e" not in repaired and "ได้อย่างมีประสิทธิภาพ" in repaired
    assert "และแก้ไขปัญหา" in repair(seed_line(SEED_002, 1806))
    # several in a word, each to the tone that reads best
    assert repair("ไม\u0e4eเศร\u0e4eา") == "ไม่เศร้า"


def test_word_tags_go_and_lost_images_leave_a_placeholder() -> None:
    assert repair(seed_line(SEED_002, 9)) == "\t\t1.1.1 ความก้าวหน้าของการดำเนินงานตามนโยบาย"
    assert seed_line(SEED_002, 90).startswith("[image: ]")
    assert repair(seed_line(SEED_002, 90)).startswith("[ภาพ]  ภายใต้รูปแบบการบริหารจัดการ")
    assert strip_tags("[image: แผนภูมิ]") == "[ภาพ: แผนภูมิ]"


def test_no_break_and_trailing_spaces() -> None:
    line = seed_line(SEED_002, 29)
    assert "\u00a0" in line
    repaired = repair(line)
    assert "\u00a0" not in repaired and repaired == repaired.rstrip()
    assert normalise_spaces("ก\u00a0ข  \r\nค \n") == "ก ข\r\nค\n"


def test_marks_that_slid_onto_the_next_consonant() -> None:
    assert "ประเมนิผล" in seed_line(SEED_004, 33)
    assert repair(seed_line(SEED_004, 33)) == (
        "ผู้อำนวยการสำนักติดตามและประเมินผลการจัดการศึกษาขั้นพื้นฐาน"
    )
    assert "พืน้ฐาน" in seed_line(SEED_004, 13) and "ขั้นพื้นฐาน" in repair(seed_line(SEED_004, 13))
    assert repair(seed_line(SEED_004, 234)) == "ตัวบ่งชี้ที่ 1 การบริหารจัดการที่ดี 5 ดีเยี่ยม"
    assert repair(seed_line(SEED_004, 282)) == (  # สทิธแิละ: one mark even sits on แ
        "ตัวบ่งชี้ที่ 4 ประชากรวัยเรียนได้รับสิทธิและโอกาสทางการศึกษาขั้นพื้นฐานเท่าเทียมกัน"
    )
    assert repair(seed_line(SEED_004, 255)).endswith("มีคุณภาพตามหลักสูตร")


def test_spaces_inside_a_syllable_or_word() -> None:
    assert "เพ่ื อ" in seed_line(SEED_004, 355)
    assert "เทคโนโลยีเพื่อเป็นการป้องกัน" in repair(seed_line(SEED_004, 355))
    assert "ผู้เ รียน" in seed_line(SEED_004, 376)
    assert "ของผู้เรียนในแต่ละช่วงวัย" in repair(seed_line(SEED_004, 376))
    assert "ปฏิบัติที่เป็นเลิศ ในการขับเคลื่อน" in repair(seed_line(SEED_004, 436))  # ใ นกำร
    assert "ปีที่ 6 ศึกษาต่อ" in repair(seed_line(SEED_004, 319))  # ที ่6
    assert join_split_clusters("ด ี 5") == "ดี 5"


def test_a_vowel_extracted_twice() -> None:
    assert "สถำนศึกษำำมี" in seed_line(SEED_004, 367)
    assert "สนับสนุนให้สถานศึกษามีวิธีปฏิบัติ" in repair(seed_line(SEED_004, 367))


# --- the whole of seed 004 ----------------------------------------------------


@cache
def repaired_004() -> str:
    return repair(seed_text(SEED_004))


def test_seed_004_reads_as_thai_after_repair() -> None:
    raw = seed_text(SEED_004)
    assert raw.count("สำนักงาน") == 0
    text = repaired_004()
    assert not PUA.search(text)
    assert text.count(OFFICE) == 6  # the sheet's header, on every page that has one
    assert text.count("สำนักงาน") >= 30  # 36 as repaired today
    assert text.count("ลำปาง") == 6
    assert len(text.split("\n")) == len(raw.split("\n"))  # line numbers still point at the source


@pytest.mark.parametrize("sentence", [
    "สำนักงานเขตพื้นที่การศึกษาส่งเสริม สนับสนุนให้สถานศึกษาสร้างความรู้ ความเข้าใจ",
    "ควรดำเนินโครงการ/กิจกรรมเพื่อสร้างความรู้ ความเข้าใจการรู้",
    "ควรขยายผลการพัฒนานวัตกรรมหรือกิจกรรมแลกเปลี่ยน",
    "อบรมและพัฒนาครูผู้สอนให้สามารถจัดการเรียนรู้ได้อย่างมีประสิทธิภาพ",
    "คัดเลือกสถานศึกษาที่ดำเนินงานจนเป็นแบบอย่างได้ เช่น รูปแบบ TUP-KLN Model",
    "อย่างต่อเนื่องและสม่ำเสมอ",
    "ควรพัฒนาระบบจัดการข้อมูลสารสนเทศเพื่อการบริหารจัดการ",
    "ข้อเสนอแนะเพื่อการพัฒนาการขับเคลื่อนนโยบายเร่งด่วนของ สพฐ. (Quick Policy)",
])
def test_seed_004_recommendations_read_correctly(sentence: str) -> None:
    recommendations = "\n".join(repaired_004().split("\n")[346:])  # L347 onward
    assert sentence in recommendations


def test_repair_is_idempotent_on_the_seeds() -> None:
    for name in (SEED_004, SEED_002):
        once = repair(seed_text(name))
        assert repair(once) == once, name


# --- correct text is never changed -------------------------------------------


def test_clean_seed_000_is_left_alone() -> None:
    text = seed_text(SEED_000)
    assert repair(text) == normalise_spaces(text)


@cache
def clean_words() -> list[str]:
    """Dictionary words spelled canonically (the list has a few typos of its own)."""
    from pythainlp.corpus import thai_words

    marks = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
    thai_only = re.compile("^[\u0e01-\u0e4e]+$")
    stray_mark = re.compile(f"(^|[^\u0e01-\u0e2e{marks}])[{marks}]")
    return sorted(w for w in thai_words() if thai_only.match(w) and not stray_mark.search(w))


words = st.lists(st.sampled_from(clean_words()), min_size=1, max_size=12)


@PROPERTY
@given(words)
def test_identity_on_clean_thai(ws: list[str]) -> None:
    text = " ".join(ws)
    assert repair(text) == text


@PROPERTY
@given(words, st.sampled_from(["pua", "sara_am", "tone_order", "word_tags", "heading_font"]),
       st.integers(0, 2**32 - 1))
def test_corrupting_clean_words_and_repairing_restores_them(
    ws: list[str], defect: str, seed: int
) -> None:
    text = " ".join(ws)
    broken = thai_corrupt.DEFECTS[defect](text, random.Random(seed))
    assert repair(broken) == text


@PROPERTY
@given(words, st.sampled_from(sorted(thai_corrupt.DEFECTS)), st.integers(0, 2**32 - 1))
def test_repair_is_idempotent_on_damaged_text(ws: list[str], defect: str, seed: int) -> None:
    broken = thai_corrupt.DEFECTS[defect](" ".join(ws), random.Random(seed))
    once = repair(broken)
    assert repair(once) == once


# --- measured on real sentences (seed 000, which the repair was not built on) -


@cache
def sentences_000() -> list[str]:
    lines = [normalise_spaces(x).strip() for x in seed_text(SEED_000).split("\n")]
    return [x for x in lines if len(re.findall("[\u0e01-\u0e4e]", x)) >= 10]


@pytest.mark.parametrize(("defect", "share"), [
    ("pua", 1.0), ("sara_am", 1.0), ("tone_order", 1.0), ("word_tags", 1.0),
    ("heading_font", 0.99), ("body_font", 0.99), ("yamakkan", 0.99), ("slid_marks", 0.90),
])
def test_share_of_damaged_sentences_restored_exactly(defect: str, share: float) -> None:
    rng = random.Random(2566)
    restored = total = 0
    for line in sentences_000():
        broken = thai_corrupt.DEFECTS[defect](line, rng)
        if broken == line:
            continue
        total += 1
        restored += repair(broken) == line
    assert total > 100
    assert restored / total >= share, f"{defect}: {restored}/{total}"


# --- the command --------------------------------------------------------------


def test_command_reads_a_file_or_stdin_and_writes_utf8() -> None:
    path = seed_path(SEED_004)
    run = [sys.executable, "-m", "tidtam.cli", "thai-repair"]
    out = subprocess.run([*run, str(path)], capture_output=True, check=True)
    assert out.stdout.decode("utf-8") == repaired_004()
    assert "ซ่อมแล้ว" in out.stderr.decode("utf-8")
    piped = subprocess.run(run, input="ส ำนักงำน\n".encode(), capture_output=True, check=True)
    assert piped.stdout.decode("utf-8") == "สำนักงาน\n"
    tis620 = subprocess.run(run, input="สำนักงาน\n".encode("cp874"), capture_output=True,
                            check=True)
    assert tis620.stdout.decode("utf-8") == "สำนักงาน\n"
    pdf = subprocess.run(run, input=b"%PDF-1.7\n", capture_output=True)
    assert pdf.returncode != 0 and "pdftotext" in pdf.stderr.decode("utf-8")
