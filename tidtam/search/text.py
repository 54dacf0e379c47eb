"""Text as the index stores it and as a query is matched against it.

Both sides go through the same steps, so a word is found whatever encoding
it was typed or extracted in: ``thai_repair.repair`` undoes the extraction
defects of DOMAIN.md §8, then ``fold`` makes Latin letters lower case and
Thai digits Arabic (character for character, so a position in the folded text
is the same position in the repaired text and a hit can be highlighted there),
then PyThaiNLP's newmm engine cuts the text into words, because Thai writes
no spaces between them.
"""

from __future__ import annotations

import re
import unicodedata

from pythainlp.tokenize import word_tokenize

from tidtam.ingest.thai_repair import repair

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_DIGITS = str.maketrans(THAI_DIGITS, "0123456789")
# A query word shorter than this (in letters) would match nearly everything.
MIN_QUERY_LETTERS = 2
_EDGE_PUNCT = re.compile(r"^[^\w\u0e00-\u0e7f]+|[^\w\u0e00-\u0e7f]+$")


def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:  # "İ".lower() is two characters: keep positions aligned instead
        return char
    if lower.isspace():
        return " "  # NBSP, tabs and newlines all separate words the same way
    return lower


def fold(text: str) -> str:
    """Lower-case Latin, Arabic digits, one kind of space; same length as ``text``."""
    return "".join(_fold_char(c) for c in text.translate(_DIGITS))


def _is_word(token: str) -> bool:
    """Words and numbers count; runs of spaces and punctuation do not."""
    return any(unicodedata.category(c)[0] in "LNM" for c in token)


def words(folded: str) -> list[str]:
    """The words of already folded text, in order, repeats kept."""
    return [t.strip() for t in word_tokenize(folded, engine="newmm", keep_whitespace=False)
            if _is_word(t)]


def token_string(folded: str) -> str:
    """Every word wrapped in its own spaces (" a  b "), for whole-word LIKE '% a %'.

    Each word carrying both its spaces means neighbouring hits of the same
    word never share a space, so counting by replacement counts them all.
    """
    return "".join(f" {w} " for w in words(folded))


def prepare(text: str, repaired_already: bool = False) -> tuple[str, str, str]:
    """(repaired text, folded text, token string) of a document's text.

    ``repaired_already`` skips the repair of text that came out of it (an
    import's repaired text): repairing again changes nothing and, on a
    hundred-page report, costs most of a second.
    """
    repaired = text if repaired_already else repair(text)
    folded = fold(repaired)
    return repaired, folded, token_string(folded)


def query_words(query: str) -> list[str]:
    """The distinct words of a query, repaired and folded like the documents."""
    seen: list[str] = []
    for w in words(fold(repair(query.strip()))):
        if w not in seen:
            seen.append(w)
    return seen


def query_phrases(query: str) -> list[str]:
    """The pieces of a query typed without spaces that the word cutter splits.

    Thai is written without spaces, so "ภัยไซเบอร์" typed as one piece means
    those words side by side: a document that has them so ranks first and is
    highlighted as one stretch, not as "ภัย" anywhere.
    """
    phrases: list[str] = []
    for chunk in fold(repair(query.strip())).split():
        chunk = _EDGE_PUNCT.sub("", chunk)
        if len(words(chunk)) > 1 and chunk not in phrases:
            phrases.append(chunk)
    return phrases


def too_short(terms: list[str]) -> bool:
    letters = sum(len(t) for t in terms)
    return letters < MIN_QUERY_LETTERS
