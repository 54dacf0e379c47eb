"""Repair Thai text that PDF/Word extraction broke, without touching correct text.

Old reports reach us as text pulled out of PDFs and DOCX files, and the
extraction damages Thai in a handful of recurring ways (DOMAIN.md §8, measured
on seed 004): glyph codepoints from the Private Use Area instead of tone marks
and vowels, SARA AM split into NIKHAHIT + SARA AA, tone marks stored before the
vowel they sit on, a body font that extracts every า as ำ (and ำ as " ำ"), a
heading font that extracts ำ as " า", marks that slid onto the next consonant,
yamakkan standing in for a tone mark, and Word's "[bookmark: …]" tags.

Each defect has its own small function. The purely mechanical ones (codepoint
maps, reordering) are safe on any input because correct Thai never contains
what they rewrite. The ones that need judgement (which font a line was set in,
where a slid mark belongs, which tone a yamakkan stood for, whether a space
split a word) try candidates and keep one only when PyThaiNLP's dictionary
reads it clearly better than the text as it was: fewer letters outside
dictionary words, and for slid marks also much likelier words by the Thai
National Corpus frequencies PyThaiNLP ships. A line of dictionary words cannot
be improved, so correct text is never changed, and repairing twice gives the
same result as once. Line count is preserved, so line numbers still point at
the source.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

# --- character classes -------------------------------------------------------

CONSONANTS = "".join(chr(c) for c in range(0x0E01, 0x0E2F))  # ก … ฮ
LEADING_VOWELS = "เแโใไ"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
YAMAKKAN = "\u0e4e"
# Vowels written above or below the consonant (and MAITAIKHU, which takes a vowel's place).
VOWEL_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
# Tone marks and THANTHAKHAT: in canonical order they come after the vowel mark.
TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
MARKS = VOWEL_MARKS + TONE_MARKS
TONES_ONLY = "\u0e48\u0e49\u0e4a\u0e4b"  # the four tones proper
# What a yamakkan may stand for, most likely first: on a tie the first wins.
# Every yamakkan-for-tone in the seeds is MAI THO (002 L1466 "ได๎", L1806 "แก๎").
YAMAKKAN_TONES = "\u0e49\u0e48\u0e4a\u0e4b"

# Glyph variants that Windows and Mac Thai fonts keep in the Private Use Area
# (shifted left / lowered / without descender). PDF text extraction often
# returns these glyph codepoints instead of the characters they draw.
THAI_PUA = {
    "\uf700": "\u0e10",  # ฐ without its lower tail
    "\uf701": "\u0e34",  # ิ shifted left
    "\uf702": "\u0e35",  # ี shifted left
    "\uf703": "\u0e36",  # ึ shifted left
    "\uf704": "\u0e37",  # ื shifted left
    "\uf705": "\u0e48",  # ่ lowered, shifted left
    "\uf706": "\u0e49",  # ้ lowered, shifted left
    "\uf707": "\u0e4a",  # ๊ lowered, shifted left
    "\uf708": "\u0e4b",  # ๋ lowered, shifted left
    "\uf709": "\u0e4c",  # ์ lowered, shifted left
    "\uf70a": "\u0e48",  # ่ lowered
    "\uf70b": "\u0e49",  # ้ lowered
    "\uf70c": "\u0e4a",  # ๊ lowered
    "\uf70d": "\u0e4b",  # ๋ lowered
    "\uf70e": "\u0e4c",  # ์ lowered
    "\uf70f": "\u0e0d",  # ญ without its lower tail
    "\uf710": "\u0e31",  # ั shifted left
    "\uf711": "\u0e4d",  # ํ shifted left
    "\uf712": "\u0e47",  # ็ shifted left
    "\uf713": "\u0e48",  # ่ shifted left
    "\uf714": "\u0e49",  # ้ shifted left
    "\uf715": "\u0e4a",  # ๊ shifted left
    "\uf716": "\u0e4b",  # ๋ shifted left
    "\uf717": "\u0e4c",  # ์ shifted left
    "\uf718": "\u0e38",  # ุ lowered
    "\uf719": "\u0e39",  # ู lowered
    "\uf71a": "\u0e3a",  # ฺ lowered
}
# Bullets from the Symbol/Wingdings fonts that Word lists use (004 L146, L177).
SYMBOL_PUA = {
    "\uf06c": "●",  # Wingdings l
    "\uf06e": "■",  # Wingdings n
    "\uf0a7": "▪",  # Wingdings §
    "\uf0b7": "•",  # Symbol bullet
    "\uf0d8": "➢",  # Wingdings Ø
    "\uf0fc": "✓",  # Wingdings ü
}
_PUA_TABLE = str.maketrans({**THAI_PUA, **SYMBOL_PUA})

IMAGE_PLACEHOLDER = "[ภาพ]"
_BOOKMARK_RE = re.compile(r"\[bookmark: [^\]\n]*\]")
_IMAGE_RE = re.compile(r"\[image:\s*([^\]\n]*?)\s*\]")
_THAI_RUN_RE = re.compile(r"[\u0e01-\u0e4e]+")
_SPACES_RE = re.compile("[\u00a0\u202f\u2007]")


# --- mechanical repairs (no dictionary needed) ------------------------------


def map_pua(text: str) -> str:
    """Replace Private Use Area glyph codepoints with the characters they draw."""
    return text.translate(_PUA_TABLE)


def strip_tags(text: str) -> str:
    """Drop Word's bookmark tags; keep a visible placeholder where an image was lost."""
    text = _BOOKMARK_RE.sub("", text)

    def image(m: re.Match[str]) -> str:
        alt = m.group(1)
        return f"[ภาพ: {alt}]" if alt else IMAGE_PLACEHOLDER

    return _IMAGE_RE.sub(image, text)


def normalise_spaces(text: str) -> str:
    """No-break spaces become spaces and lines lose trailing spaces (tabs are table cells)."""
    text = _SPACES_RE.sub(" ", text)
    return "\n".join(_rstrip_line(line) for line in text.split("\n"))


def _rstrip_line(line: str) -> str:
    if line.endswith("\r"):
        return line[:-1].rstrip(" ") + "\r"
    return line.rstrip(" ")


_AM_PATTERNS = [
    # NIKHAHIT + (tone) + SARA AA, and SARA AA + (tone) + NIKHAHIT: the tone goes first.
    (re.compile(f"{NIKHAHIT}([{TONE_MARKS}]?){SARA_AA}"), rf"\1{SARA_AM}"),
    (re.compile(f"{SARA_AA}([{TONE_MARKS}]?){NIKHAHIT}"), rf"\1{SARA_AM}"),
    (re.compile(f"([{TONE_MARKS}]){NIKHAHIT}{SARA_AA}"), rf"\1{SARA_AM}"),
    (re.compile(f"{SARA_AA}{NIKHAHIT}([{TONE_MARKS}])"), rf"\1{SARA_AM}"),
    # A tone after a composed SARA AM belongs before it (น้ำ = น ้ ำ).
    (re.compile(f"{SARA_AM}([{TONES_ONLY}])"), rf"\1{SARA_AM}"),
]


def recompose_sara_am(text: str) -> str:
    """SARA AM written as NIKHAHIT + SARA AA in any order, with or without a tone between."""
    for pattern, repl in _AM_PATTERNS:
        text = pattern.sub(repl, text)
    return text


_TONE_BEFORE_VOWEL = re.compile(f"([{TONE_MARKS}]+)([{VOWEL_MARKS}]+)")


def reorder_marks(text: str) -> str:
    """Put tone marks after the upper/lower vowel of their consonant.

    Unicode gives the Thai upper vowels combining class 0, so NFC leaves
    "ข ้ ั" alone although "ข ั ้" is the only spelling dictionaries and search know.
    """
    return _TONE_BEFORE_VOWEL.sub(r"\2\1", text)


_LEADING_VOWEL_SPACE = re.compile(f"([{LEADING_VOWELS}]) +(?=[{CONSONANTS}])")
_MARK_AFTER_SPACE = re.compile(f"(?<=[{CONSONANTS}{MARKS}]) ([{MARKS}]+)")


def join_split_clusters(text: str) -> str:
    """Close spaces that extraction put inside a syllable.

    A leading vowel (เ แ โ ใ ไ) never ends a word, so "ผู้เ รียน" is "ผู้เรียน"; a
    tone or vowel mark never starts one, so "ด ี" is "ดี" and "ที ่6" is "ที่ 6"
    (the space was the word break after the mark).
    """
    text = _LEADING_VOWEL_SPACE.sub(r"\1", text)

    def mark(m: re.Match[str]) -> str:
        following = m.string[m.end():m.end() + 1]
        return m.group(1) if following in ("", " ", "\t", "\n", "\r") else m.group(1) + " "

    return _MARK_AFTER_SPACE.sub(mark, text)


def _mechanical(text: str) -> str:
    text = _SPACES_RE.sub(" ", text)
    text = strip_tags(text)
    text = map_pua(text)
    text = recompose_sara_am(text)
    text = reorder_marks(text)
    return join_split_clusters(text)


# --- the dictionary ---------------------------------------------------------

Score = tuple[int, int]
# Nats per letter outside any known word; about what one rare word costs, so
# one misplaced mark that turns a word into junk outweighs one extra word.
UNKNOWN_LETTER_COST = 6.0
DICTIONARY_ONLY_COST = 10.0
# A slid-mark move must cut the cost of the words it touches to this share,
# and by at least this many nats (see ``_local_gain``).
MOVE_KEEP = 0.7
MOVE_MARGIN = 8.0


class Lexicon:
    """PyThaiNLP's word list, corpus frequencies and tokenizer, loaded on first use.

    A text's score is (Thai letters in tokens that are not dictionary words,
    number of Thai tokens): lower is better. Correctly spelled text is made of
    dictionary words, so it scores as well as any rewriting of it can; that is
    what keeps every repair away from correct text.
    """

    def __init__(self) -> None:
        self._words: frozenset[str] | None = None
        self._freqs: dict[str, int] | None = None
        self._total: int | None = None
        self._scores: dict[str, Score] = {}
        self._costs: dict[str, float] = {}

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            from pythainlp.corpus import thai_words

            self._words = frozenset(thai_words())
        return self._words

    @property
    def freqs(self) -> dict[str, int]:
        if self._freqs is None:
            from pythainlp.corpus import tnc

            self._freqs = dict(tnc.word_freqs())
        return self._freqs

    def tokens(self, text: str) -> tuple[str, ...]:
        return _tokenize(text)

    def cost(self, text: str) -> float:
        """How unlikely the text reads, in nats: the smaller the better.

        A unigram model over the Thai National Corpus frequencies, with every
        letter the dictionary cannot place costing ``UNKNOWN_LETTER_COST``. It
        weighs what the plain counts cannot: "มภีาคี" (six unplaceable letters)
        against "มี ภาคี" (one more word, both common), and a name the
        dictionary lacks against the rare fragments a respelling would make.
        """
        cached = self._costs.get(text)
        if cached is not None:
            return cached
        if self._total is None:
            self._total = sum(self.freqs.values())
        total = 0.0
        for tok in _tokenize(text):
            if not _HAS_THAI_LETTER.search(tok):
                continue
            freq = self.freqs.get(tok, 0)
            if freq:
                total += math.log(self._total / (freq + 1))
            elif tok in self.words:
                # A dictionary word the corpus never counted, often a compound
                # it splits ("ความสุข"): as likely as a fairly common word.
                total += DICTIONARY_ONLY_COST
            else:
                total += UNKNOWN_LETTER_COST * len(tok)
        if len(self._costs) > 200_000:
            self._costs.clear()
        self._costs[text] = total
        return total

    def commonness(self, text: str) -> float:
        """Sum of log corpus frequencies (Thai National Corpus) of the text's words.

        Only a tie-break between readings the dictionary scores alike: "ชี้" and
        "ชี่" are both words, but one is far more common.
        """
        return sum(
            math.log1p(self.freqs.get(tok, 0))
            for tok in _tokenize(text) if _HAS_THAI_LETTER.search(tok)
        )

    def spans(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, is a dictionary word) for each Thai token of ``text``."""
        out = []
        pos = 0
        for tok in _tokenize(text):
            start = text.find(tok, pos)
            if start < 0:  # the tokenizer never drops text, but stay safe
                continue
            pos = start + len(tok)
            if _HAS_THAI_LETTER.search(tok):
                out.append((start, pos, tok in self.words))
        return out

    def known_at(self, text: str, *positions: int) -> bool:
        """Every given position lies in a dictionary word of ``text``."""
        spans = self.spans(text)
        return all(
            any(known and start <= p < end for start, end, known in spans) for p in positions
        )

    def word_covers(self, text: str, first: int, last: int) -> bool:
        """One dictionary word of ``text`` contains both positions."""
        return any(
            known and start <= first and last < end
            for start, end, known in self.spans(text)
        )

    def score(self, text: str) -> Score:
        cached = self._scores.get(text)
        if cached is None:
            if len(self._scores) > 200_000:
                self._scores.clear()  # documents repeat phrases; the cache stays bounded
            cached = self._scores[text] = _score(text, self.words)
        return cached


@lru_cache(maxsize=65536)
def _tokenize(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=False))


# Letters, vowels and marks; not digits, ฯ or ๆ, which are words of their own.
_HAS_THAI_LETTER = re.compile("[\u0e01-\u0e2e\u0e30-\u0e45\u0e47-\u0e4e]")


def _score(text: str, words: frozenset[str]) -> Score:
    unknown = tokens = 0
    for tok in _tokenize(text):
        if not _HAS_THAI_LETTER.search(tok):
            continue
        tokens += 1
        if tok not in words:
            unknown += len(tok)
    return unknown, tokens


LEXICON = Lexicon()


def _fewer_unknowns(candidate: Score, current: Score) -> bool:
    """Better, or at least far fewer unknown letters for each word it adds.

    A slid mark turns a stretch of text into letters the dictionary cannot
    place ("มภีาคี": 6) and fixing it splits that stretch into words ("มี ภาคี":
    one more token); respelling a name the dictionary lacks removes only a
    letter or two per fragment it creates.
    """
    unknown_gain = current[0] - candidate[0]
    extra_tokens = candidate[1] - current[1]
    return _better(candidate, current) or (
        unknown_gain > 0 and unknown_gain >= 3 * extra_tokens
    )


def _better(candidate: Score, current: Score) -> bool:
    """At least as good on both counts and strictly better on one.

    Fewer unknown letters bought with more tokens is not better: that is how a
    name the dictionary lacks ("ณัฐธิดา") gets chopped into known fragments.
    """
    return candidate != current and all(c <= k for c, k in zip(candidate, current, strict=True))


# --- repairs that need the dictionary ---------------------------------------

_BODY_AM = re.compile(f"(?<=[{CONSONANTS}{MARKS}]) {SARA_AM}")
_HEADING_AM = re.compile(f"(?<=[{CONSONANTS}{TONE_MARKS}]) {SARA_AA}")
_PLACEHOLDER = "\x00"


def undo_body_font(line: str) -> str:
    """The body font that extracts า as ำ and ำ as " ำ" (004 L353 onward), undone."""
    line = _BODY_AM.sub(_PLACEHOLDER, line)
    return line.replace(SARA_AM, SARA_AA).replace(_PLACEHOLDER, SARA_AM)


def undo_heading_font(line: str) -> str:
    """The heading font that extracts ำ as " า" ("ส านักงาน", 004 L350), undone."""
    return _HEADING_AM.sub(SARA_AM, line)


def fix_font_swaps(line: str, lexicon: Lexicon = LEXICON) -> str:
    """Decide per line which font it was set in, by which reading the dictionary prefers.

    A reading wins only when it leaves fewer letters outside dictionary words
    without needing more words to do it: "ที่นำผล" stays although "ที่นาผล" is
    words too, while "กำรศึกษำ" becomes "การศึกษา". The body font garbles every
    า of a line, so its undoing must also explain most of the line's unknown
    letters; the heading font's " า" never occurs in correct text, so any
    improvement will do.
    """
    has_body = SARA_AM in line
    has_heading = _HEADING_AM.search(line) is not None
    if not (has_body or has_heading):
        return line
    original = lexicon.score(line)
    best, best_score = line, original
    candidates: list[tuple[str, bool]] = []
    if has_body:
        candidates.append((undo_body_font(line), True))
    if has_heading:
        candidates.append((undo_heading_font(line), False))
    if has_body and has_heading:
        candidates.append((undo_heading_font(undo_body_font(line)), True))
    for cand, body in candidates:
        s = lexicon.score(cand)
        if s[0] >= best_score[0] or not _better(s, best_score):
            continue
        if body and 2 * s[0] > original[0]:
            continue
        best, best_score = cand, s
    return best


def replace_yamakkan(line: str, lexicon: Lexicon = LEXICON) -> str:
    """Yamakkan that a legacy font used for a tone mark ("แก๎ไข", 002 L1806).

    Every yamakkan of a word starts as MAI THO, the tone it stood for in every
    case seen, and then each takes the tone that reads best (fewest unknown
    letters, fewest words, then the commonest words: "ไม่เศร้า" over "ไม้เศร้า").
    The result is kept only when it leaves far fewer unknown letters than the
    text with its yamakkan (``_fewer_unknowns``), so Pali written with a real
    yamakkan stays.
    """
    if YAMAKKAN not in line:
        return line

    def key(text: str) -> tuple[Score, float]:
        return lexicon.score(text), -lexicon.commonness(text)

    def run(m: re.Match[str]) -> str:
        text = m.group(0)
        positions = [i for i, c in enumerate(text) if c == YAMAKKAN]
        if not positions:
            return text
        guess = text.replace(YAMAKKAN, YAMAKKAN_TONES[0])
        for _ in range(3):  # a few sweeps settle every position
            changed = False
            for i in positions:
                for tone in YAMAKKAN_TONES:
                    cand = guess[:i] + tone + guess[i + 1:]
                    if key(cand) < key(guess):
                        guess, changed = cand, True
            if not changed:
                break
        guess = reorder_marks(guess)
        return guess if _fewer_unknowns(lexicon.score(guess), lexicon.score(text)) else text

    return _THAI_RUN_RE.sub(run, line)


def _clusters(run: str) -> Iterator[tuple[int, int]]:
    """(base index, end of its marks) for every character that carries marks."""
    i = 0
    while i < len(run):
        j = i + 1
        while j < len(run) and run[j] in MARKS:
            j += 1
        if j > i + 1:
            yield i, j
        i = j


def _with_marks(base_marks: str, extra: str) -> str | None:
    """A consonant's marks plus moved ones, in canonical order; None if they clash."""
    vowels = [c for c in base_marks + extra if c in VOWEL_MARKS]
    tones = [c for c in base_marks + extra if c in TONE_MARKS]
    if len(vowels) > 1 or len(tones) > 1:
        return None
    return "".join(vowels + tones)


def _slide_candidates(
    run: str, skip: Callable[[int, int], bool] | None = None
) -> Iterator[tuple[str, int, int, bool]]:
    """Texts with one mark group moved back onto the consonant before its carrier.

    Each comes with the span it touched and whether the carrier was a
    consonant: a mark on a consonant looks valid, so moving it needs the
    dictionary to read the two syllables as one word; a mark after a vowel
    letter (เ แ โ ใ ไ า …) is wrong wherever it belongs.
    """
    for base, end in _clusters(run):
        marks = run[base + 1:end]
        q = base - 1
        while q >= 0 and run[q] not in CONSONANTS:
            q -= 1
        if q < 0:
            continue
        q_end = q + 1
        while q_end < len(run) and run[q_end] in MARKS:
            q_end += 1
        if skip is not None and skip(q, base):
            continue
        vowel_part = "".join(c for c in marks if c in VOWEL_MARKS)
        tone_part = "".join(c for c in marks if c in TONE_MARKS)
        groups = sorted({marks, vowel_part, tone_part} - {""})
        for moving in groups:
            new_target = _with_marks(run[q + 1:q_end], moving)
            if new_target is None:
                continue
            remaining = "".join(c for c in marks if c not in moving)
            text = run[:q + 1] + new_target + run[q_end:base + 1] + remaining + run[end:]
            shift = len(new_target) - (q_end - q - 1)
            yield text, q, base + shift, run[base] in CONSONANTS


def _local_gain(before: str, after: str, first: int, last: int, lexicon: Lexicon) -> float:
    """How much likelier a move makes the words it touches; 0 if not enough.

    A move keeps the text's length, so both readings agree outside the words
    around the two consonants; those words are compared on their own. The
    move must cut their cost (see ``Lexicon.cost``) to at most
    ``MOVE_KEEP`` of what it was: a slid mark leaves junk that costs several
    times the real word ("มภีาคี" 36 nats, "มีภาคี" 15), while respelling a
    name the dictionary lacks ("ปวีรดา") only trades one rare word for another.
    """
    lo, hi = first, last + 1
    for text in (before, after):
        for start, end, _ in lexicon.spans(text):
            if start < hi and end > lo:
                lo, hi = min(lo, start), max(hi, end)
    old, new = lexicon.cost(before[lo:hi]), lexicon.cost(after[lo:hi])
    if new > old * MOVE_KEEP or old - new < MOVE_MARGIN:
        return 0.0
    return old - new


def fix_slid_marks(line: str, lexicon: Lexicon = LEXICON) -> str:
    """Move marks that slid onto the next consonant back ("ประเมนิผล" → "ประเมินผล").

    One move at a time, the one that makes the touched words likeliest, until
    no move helps enough. A move must also leave far fewer unknown letters
    (``_fewer_unknowns``) and, between two consonants, put both in dictionary
    words, so names the dictionary lacks ("ณัฐธิดา", "อุดรดิตต์") keep their
    spelling.
    """

    def run(m: re.Match[str]) -> str:
        text = m.group(0)
        for _ in range(len(text)):
            spans = lexicon.spans(text)
            if len(spans) <= 1 and all(known for _, _, known in spans):
                break  # one dictionary word: nothing to gain
            # Two syllables inside one longer dictionary word are spelled right;
            # trying moves there only costs time. Short words don't count: the
            # dictionary has fragments like "สตู" that a slid mark creates.
            inside = [(a, b) for a, b, known in spans if known and b - a > 3]

            def settled(q: int, p: int, inside: list[tuple[int, int]] = inside) -> bool:
                return any(a <= q and p < b for a, b in inside)

            best, best_gain = text, 0.0
            counts = lexicon.score(text)
            for cand, first, last, guarded in _slide_candidates(text, settled):
                if not _fewer_unknowns(lexicon.score(cand), counts):
                    continue
                gain = _local_gain(text, cand, first, last, lexicon)
                if gain <= best_gain:
                    continue
                if guarded and not lexicon.known_at(cand, first, last):
                    continue
                best, best_gain = cand, gain
            if best == text:
                break
            text = best
        return text

    return _THAI_RUN_RE.sub(run, line)


_DOUBLED = re.compile(f"([{SARA_AA}{SARA_AM}\u0e30{MARKS}])\\1")


def drop_doubled_vowels(line: str, lexicon: Lexicon = LEXICON) -> str:
    """A vowel or mark written twice ("สถานศึกษาามี", 004 L367) loses the copy.

    Thai never writes the same vowel twice in a row, but a glyph can be
    extracted twice; the copy goes only when the dictionary agrees.
    """
    if not _DOUBLED.search(line):
        return line

    def run(m: re.Match[str]) -> str:
        text = m.group(0)
        for d in list(_DOUBLED.finditer(text))[::-1]:
            cand = text[:d.start()] + text[d.start() + 1:]
            if _better(lexicon.score(cand), lexicon.score(text)):
                text = cand
        return text

    return _THAI_RUN_RE.sub(run, line)


_SPLIT_WORD = re.compile("([\u0e01-\u0e4e]+) ([\u0e01-\u0e4e]+)")


def join_split_words(line: str, lexicon: Lexicon = LEXICON) -> str:
    """Close a space extraction put inside a word ("เพื่ อ" → "เพื่อ").

    Only when joining turns unknown letters into a dictionary word across the
    gap: spaces between correctly spelled words are never removed.
    """

    def pair(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        a, b = lexicon.score(left), lexicon.score(right)
        if a[0] == 0 or b[0] == 0:
            # Both halves of a split word are non-words; a known word next to an
            # abbreviation ("ตาม พรบ.", "ชาติ ณ") is not a split word.
            return m.group(0)
        joined = left + right
        j = lexicon.score(joined)
        # Fewer unknown letters and fewer tokens: the dictionary is full of short
        # fragments ("นก", "มาณพ"), so a join must also make the pieces fewer.
        if (
            j[0] < a[0] + b[0] and j[1] < a[1] + b[1]
            and lexicon.word_covers(joined, len(left) - 1, len(left))
        ):
            return joined
        return m.group(0)

    # Overlapping pairs: run until nothing joins, so "ก ข ค" can join twice.
    previous = None
    while previous != line:
        previous = line
        line = _SPLIT_WORD.sub(pair, line)
    return line


# --- the whole repair --------------------------------------------------------

LINE_STEPS: list[Callable[[str], str]] = [
    fix_font_swaps,
    replace_yamakkan,
    join_split_words,
    drop_doubled_vowels,
    fix_slid_marks,
]


def repair_line(line: str) -> str:
    for step in LINE_STEPS:
        line = step(line)
    return reorder_marks(line)


Progress = Callable[[int, int], None]
PROGRESS_EVERY = 100  # lines between progress calls
# The last few texts repaired: an import repairs the file once with a progress
# bar, then its parser asks again for the same text (repair is a pure function).
_RECENT: dict[str, str] = {}
_RECENT_SIZE = 2


def repair(text: str, progress: Progress | None = None) -> str:
    """Every repair, line by line; correct text comes back unchanged.

    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` lines and at
    the end: a long report takes seconds (the dictionary checks), and the
    person importing five years of them should see it moving.
    """
    cached = _RECENT.get(text)
    if cached is not None:
        if progress is not None:
            total = text.count("\n") + 1
            progress(total, total)
        return cached
    mechanical = _mechanical(text)
    lines = mechanical.split("\n")
    total = len(lines)
    out = []
    for done, line in enumerate(lines, start=1):
        end = "\r" if line.endswith("\r") else ""
        body = line[:-1] if end else line
        out.append(_rstrip_line(repair_line(body)) + end)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    result = "\n".join(out)
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[text] = result
    return result
