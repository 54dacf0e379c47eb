"""Finding documents: every query word must occur, whole words rank first.

A query word is found anywhere in a document's folded text, so "สำนักงาน"
finds "สำนักงานเขตพื้นที่" although the word cutter keeps "สำนักงานเขต"
as one word. Documents with a query piece typed without spaces exactly as
typed come first ("ภัยไซเบอร์", not "ภัย" here and "ไซเบอร์" there), then
those where the words stand as whole words (by the same cutter), then those
with more hits. Only documents of offices the user may read are ever
counted, ranked or quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import ExpressionWrapper, F, IntegerField, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Length, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pythainlp.tokenize import word_tokenize

from tidtam.accounts.permissions import org_filter
from tidtam.search.models import SearchDocument
from tidtam.search.text import query_phrases, query_words, too_short

MAX_QUERY_CHARS = 200
MAX_WORDS = 10
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 140


class QueryRefused(ValueError):
    """A query we will not run, with the Thai reason."""


@dataclass(frozen=True)
class Query:
    terms: list[str]  # every one must occur
    phrases: list[str]  # pieces of several words typed without spaces: rank and highlight


def parse_query(query: str) -> Query:
    if not query.strip():
        raise QueryRefused("กรุณาพิมพ์คำที่ต้องการค้นหา")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"คำค้นยาวเกินไป: พิมพ์ได้ไม่เกิน {MAX_QUERY_CHARS} ตัวอักษร")
    terms = query_words(query)
    if not terms or too_short(terms):
        raise QueryRefused(f"คำค้น \"{query.strip()}\" สั้นเกินไป: พิมพ์อย่างน้อย 2 ตัวอักษร")
    if len(terms) > MAX_WORDS:
        raise QueryRefused(f"คำค้นมีหลายคำเกินไป: ค้นได้ครั้งละไม่เกิน {MAX_WORDS} คำ")
    return Query(terms, query_phrases(query))


def _occurrences(field: str, needles: list[str]) -> ExpressionWrapper | Value:
    """How many times the needles occur in ``field``, in SQL both databases run."""
    counts: list[CombinedExpression] = [
        (Length(field) - Length(Replace(F(field), Value(n), Value("")))) / Value(len(n))
        for n in needles
    ]
    if not counts:
        return Value(0)
    return ExpressionWrapper(sum(counts[1:], counts[0]), output_field=IntegerField())


def search(
    user: User | AnonymousUser, query: Query, kind: str = ""
) -> QuerySet[SearchDocument]:
    """The documents the user may read that contain every term, best first."""
    qs = SearchDocument.objects.filter(org_filter(user, field="org__"))
    if kind:
        qs = qs.filter(kind=kind)
    for term in query.terms:
        qs = qs.filter(folded__contains=term)
    return (
        qs.select_related("org")
        .defer("tokens")
        .annotate(phrase_hits=_occurrences("folded", query.phrases),
                  whole_hits=_occurrences("tokens", [f" {t} " for t in query.terms]),
                  hits=_occurrences("folded", query.terms))
        .order_by("-phrase_hits", "-whole_hits", "-hits", "-fiscal_year", "kind", "pk")
    )


@dataclass(frozen=True)
class Result:
    doc: SearchDocument
    snippet: SafeString


def _spans(folded: str, terms: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Where the terms occur between start and end, overlaps merged."""
    found: list[tuple[int, int]] = []
    for term in terms:
        for m in re.finditer(re.escape(term), folded[start:end]):
            found.append((start + m.start(), start + m.end()))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _plain(text: str) -> str:
    """Escaped, with newlines and runs of spaces shown as one space."""
    return escape(re.sub(r"\s+", " ", text))


CUT_REACH = 30


def _word_boundary(folded: str, pos: int, lowest: int, highest: int) -> int:
    """The word boundary nearest ``pos``, so a snippet never starts or ends mid-word.

    Thai runs on for many letters without a space, so the boundaries are
    where newmm cuts the stretch around ``pos``; a space is one of them.
    """
    left = max(lowest, pos - CUT_REACH)
    window = folded[left:min(highest, pos + CUT_REACH)]
    cuts, at = [], left
    for token in word_tokenize(window, engine="newmm", keep_whitespace=True)[:-1]:
        at += len(token)
        cuts.append(at)
    # the window's own edges are not word boundaries unless they are the text's
    return min(cuts, key=lambda c: abs(c - pos), default=pos)


def _needles(folded: str, query: Query) -> list[str]:
    """What to highlight: the phrases the text has, and the words not inside one of them."""
    phrases = [p for p in query.phrases if p in folded]
    return phrases + [t for t in query.terms if not any(t in p for p in phrases)]


def snippet(doc: SearchDocument, query: Query) -> SafeString:
    """A stretch of the repaired text around the first hit, every hit in <mark>.

    ``folded`` has the same length as ``text``, so positions found in one cut
    the other; everything outside <mark> is escaped.
    """
    text, folded = doc.text, doc.folded
    terms = _needles(folded, query)
    firsts = [i for i in (folded.find(t) for t in terms) if i >= 0]
    first = min(firsts) if firsts else 0
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(text), first + SNIPPET_AFTER)
    if start > 0:
        start = _word_boundary(folded, start, lowest=0, highest=first)
    if end < len(text):
        end = _word_boundary(folded, end, lowest=first + 1, highest=len(folded))
    while start < first and folded[start] == " ":
        start += 1
    while end > first + 1 and folded[end - 1] == " ":
        end -= 1
    parts: list[str] = ["… "] if start > 0 else []
    at = start
    for a, b in _spans(folded, terms, start, end):
        parts.append(_plain(text[at:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        at = b
    parts.append(_plain(text[at:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # every piece of text above is escaped


def results(docs: list[SearchDocument], query: Query) -> list[Result]:
    return [Result(d, snippet(d, query)) for d in docs]
