"""Unit names at the start of a paragraph, by the forms Thai education units' names take.

Provincial inspection reports open each unit's paragraph with its name:
"โรงเรียนตรุณานุกูล มีการ…", "วิทยาลัยเทคนิคนครปฐมจัดอบรม…", "สำนักงานเขตพื้นที่
การศึกษามัธยมศึกษาสมุทรสาคร สมุทรสงครามมีช่องทาง…", "สพป.นครปฐม เขต ๑ ได้…",
"สำนักงานส่งเสริมการเรียนรู้จังหวัดสมุทรสงคราม ได้…", "ศธจ.นครปฐม ร่วมกับ…". A
name is a *form* (the kind of unit, written out or abbreviated) followed by
its proper part, which ends where the sentence's verb begins — Thai writes
no space between them, so the words are told apart with PyThaiNLP's
dictionary — or at a space, after which an area office may still carry
"เขต N" or a second province. "โรงเรียนมีการ…" or "โรงเรียนในสังกัด…" names
no school: a form with no proper part is not a name.

``canonical`` writes a name the one way the tree can be searched by (the
abbreviations written out, no spaces, Arabic digits), so "สพป.นครปฐม เขต ๑"
finds the unit called "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครปฐม เขต 1".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tidtam.thai.numbers import to_arabic_digits

PRIMARY = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
SECONDARY = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา"
PROVINCIAL = "สำนักงานศึกษาธิการจังหวัด"
REGIONAL = "สำนักงานศึกษาธิการภาค"
LEARNING = "สำนักงานส่งเสริมการเรียนรู้จังหวัด"
# Abbreviations and the full forms they stand for (canonical() writes them out).
ABBREVIATIONS = [
    ("สพป.", PRIMARY), ("สพม.", SECONDARY), ("ศธจ.", PROVINCIAL), ("ศธภ.", REGIONAL),
    ("สกร.จังหวัด", LEARNING), ("สกร.", LEARNING), ("กศน.จังหวัด", LEARNING),
    ("สำนักงานส่งเสริมการเรียนรู้ประจำจังหวัด", LEARNING),
]
# The forms, longest first; ``area`` forms may end with "เขต N" or a second province.
FORMS: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(r"^สำนักงานเขตพื้นที่การศึกษา(?:ประถมศึกษา|มัธยมศึกษา)?"), True),
    (re.compile(r"^(?:สพป|สพม)\.\s?"), True),
    (re.compile(r"^สำนักงานส่งเสริมการเรียนรู้(?:ประจำ)?จังหวัด"), False),
    (re.compile(r"^(?:สกร|กศน)\.\s?(?:จังหวัด|อำเภอ)?"), False),
    (re.compile(r"^ศูนย์ส่งเสริมการเรียนรู้อำเภอ"), False),
    (re.compile(r"^สำนักงานศึกษาธิการ(?:จังหวัด|ภาค)"), False),
    (re.compile(r"^(?:ศธจ|ศธภ)\.\s?"), False),
    (re.compile(r"^มหาวิทยาลัย"), False),
    (re.compile(r"^วิทยาลัย"), False),
    (re.compile(r"^โรงเรียน"), False),
]
# Words that begin what the unit did: the name ends before them.
STOP_WORDS = frozenset({
    "ได้", "มี", "มีการ", "ดำเนินการ", "ดำเนินงาน", "จัด", "จัดทำ", "จัดการ", "จัดอบรม",
    "ส่งเสริม", "ร่วม", "ร่วมกับ", "กำหนด", "ขอ", "เป็น", "และ", "ใน", "ในสังกัด", "โดย",
    "ซึ่ง", "ที่", "สนับสนุน", "พัฒนา", "นำ", "ให้", "สร้าง", "ใช้", "ประสาน", "แต่งตั้ง",
    "ปลูกฝัง", "ติดตาม", "ควร", "จำนวน", "ได้รับ", "อบรม", "เข้าร่วม", "มุ่ง", "เน้น",
    "ทุก", "ต่าง", "ต่างๆ", "สังกัด", "เพื่อ", "กับ", "ยัง", "จึง", "ก็", "ไม่",
})
STOP_PREFIXES = ("ได้", "ดำเนิน", "จัดกิจกรรม", "จัดการ", "ส่งเสริม")
# A form followed only by these is a kind of unit, not one unit ("โรงเรียนคุณภาพ…").
GENERIC = frozenset({
    "คุณภาพ", "เอกชน", "รัฐบาล", "ขนาดเล็ก", "ขนาดกลาง", "ขนาดใหญ่", "ทั้งหมด", "ประถมศึกษา",
    "มัธยมศึกษา", "ขยายโอกาส", "แกนนำ", "เครือข่าย", "ต้นแบบ", "นำร่อง", "ในพื้นที่",
})
MAX_NAME = 120
_DISTRICT = re.compile(r"^เขต\s?[0-9๐-๙]+")


def canonical(name: str) -> str:
    """A name written one way: abbreviations out, no spaces, Arabic digits."""
    text = to_arabic_digits("".join(name.split()))
    for short, full in ABBREVIATIONS:
        if text.startswith(short):
            text = full + text[len(short):]
            break
    return text


def _words(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text[:MAX_NAME], keep_whitespace=True)


def _stops(word: str) -> bool:
    return word in STOP_WORDS or word.startswith(STOP_PREFIXES)


def read_name(text: str, provinces: Iterable[str] = ()) -> str:
    """The unit name a paragraph starts with, as printed ("" when it names none)."""
    text = text.strip()
    for pattern, area in FORMS:
        m = pattern.match(text)
        if m is None:
            continue
        proper = _proper_part(text[m.end():], area, set(provinces))
        if not proper or "".join(proper.split()) in GENERIC:
            return ""
        return f"{m.group(0)}{proper}".strip()
    return ""


def _proper_part(rest: str, area: bool, provinces: set[str]) -> str:
    """What follows the form up to the verb (with "เขต N"/a second province for area offices)."""
    taken: list[str] = []
    words = _words(rest)
    i = 0
    while i < len(words) and not words[i].isspace() and not _stops(words[i]):
        taken.append(words[i])
        i += 1
    name = "".join(taken)
    if not name or not area:
        return name
    tail = rest[len(name):]
    while True:
        stripped = tail.lstrip()
        gap = tail[: len(tail) - len(stripped)]
        if not gap:
            break
        district = _DISTRICT.match(stripped)
        second = next((p for p in sorted(provinces, key=len, reverse=True)
                       if stripped.startswith(p)), None)
        found = district.group(0) if district else second
        if not found:
            break
        name += gap + found
        tail = stripped[len(found):]
    return name
