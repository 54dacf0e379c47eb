"""Damage clean Thai the way extraction does, to measure what ``thai_repair`` restores.

Each function applies one defect kind of DOMAIN.md §8 to correct text and is
the inverse of one repair. The tests use them as property tests (corrupt,
repair, compare) and ``python -m tidtam.ingest.repair_benchmark`` reports the
share of lines restored exactly on text the repair was not tuned on.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from tidtam.ingest.thai_repair import (
    CONSONANTS,
    MARKS,
    NIKHAHIT,
    SARA_AA,
    SARA_AM,
    THAI_PUA,
    TONE_MARKS,
    TONES_ONLY,
    VOWEL_MARKS,
    YAMAKKAN,
)

_PUA_FOR: dict[str, list[str]] = {}
for _pua, _char in THAI_PUA.items():
    _PUA_FOR.setdefault(_char, []).append(_pua)


def pua_glyphs(text: str, rng: random.Random) -> str:
    """Every mark that has a glyph variant comes out as one of its PUA codepoints."""
    return "".join(rng.choice(_PUA_FOR[c]) if c in _PUA_FOR and c in MARKS else c for c in text)


def decomposed_am(text: str, rng: random.Random) -> str:
    """ำ written as ํ + า, reversed, or with the tone between."""

    def one(m: re.Match[str]) -> str:
        tone = m.group(1)
        forms = [
            tone + NIKHAHIT + SARA_AA,
            tone + SARA_AA + NIKHAHIT,
            NIKHAHIT + tone + SARA_AA,
        ]
        return rng.choice(forms)

    return re.sub(f"([{TONES_ONLY}]?){SARA_AM}", one, text)


def tone_before_vowel(text: str, rng: random.Random) -> str:
    """Tone marks stored before the upper/lower vowel of their consonant."""
    return re.sub(f"([{VOWEL_MARKS}])([{TONE_MARKS}])", r"\2\1", text)


def body_font(text: str, rng: random.Random) -> str:
    """The font of 004's recommendations: า extracts as ำ, ำ as " ำ"."""
    return text.replace(SARA_AM, "\x00").replace(SARA_AA, SARA_AM).replace("\x00", " " + SARA_AM)


def heading_font(text: str, rng: random.Random) -> str:
    """The heading font of 004: ำ extracts as " า"."""
    return text.replace(SARA_AM, " " + SARA_AA)


def yamakkan(text: str, rng: random.Random) -> str:
    """A legacy font's yamakkan in place of ่ and ้."""
    return re.sub("[\u0e48\u0e49]", YAMAKKAN, text)


def word_tags(text: str, rng: random.Random) -> str:
    """Word bookmark tags at line starts and no-break spaces for some spaces."""
    out = []
    for line in text.split("\n"):
        if line and rng.random() < 0.5:
            line = f"[bookmark: _Hlk{rng.randrange(10**8, 10**9)}]" + line
        line = "".join("\u00a0" if c == " " and rng.random() < 0.3 else c for c in line)
        out.append(line)
    return "\n".join(out)


def slid_marks(text: str, rng: random.Random) -> str:
    """One mark group per word slides onto the next consonant ("ประเมินผล" → "ประเมนิผล")."""

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        spots = []
        for i, c in enumerate(w):
            if c in CONSONANTS and i + 1 < len(w) and w[i + 1] in MARKS:
                j = i + 1
                while j < len(w) and w[j] in MARKS:
                    j += 1
                # the next consonant, with no marks of its own, takes them
                if j < len(w) and w[j] in CONSONANTS and (j + 1 >= len(w) or w[j + 1] not in MARKS):
                    spots.append((i, j))
        if not spots:
            return w
        i, j = rng.choice(spots)
        return w[:i + 1] + w[j] + w[i + 1:j] + w[j + 1:]

    return re.sub("[\u0e01-\u0e4e]+", word, text)


DEFECTS: dict[str, Callable[[str, random.Random], str]] = {
    "pua": pua_glyphs,
    "sara_am": decomposed_am,
    "tone_order": tone_before_vowel,
    "body_font": body_font,
    "heading_font": heading_font,
    "yamakkan": yamakkan,
    "word_tags": word_tags,
    "slid_marks": slid_marks,
}
