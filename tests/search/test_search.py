"""Search finds a word whatever encoding it was typed or extracted in, and only where allowed."""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pythainlp.tokenize import word_tokenize

from tests.ingest.seeds import SEED_004, seed_text
from tidtam.ingest import thai_corrupt
from tidtam.ingest.drafts import create_draft
from tidtam.ingest.emes_sheet import parse_emes_sheet
from tidtam.narratives.models import Block
from tidtam.reporting.models import Submission
from tidtam.search.index import reindex
from tidtam.search.models import SearchDocument, SourceKind
from tidtam.search.query import SNIPPET_BEFORE, QueryRefused, parse_query, search, snippet

pytestmark = pytest.mark.django_db

OFFICE = "สำนักงาน"
SENTENCE = "สำนักงานเขตพื้นที่การศึกษาจัดประชุมชี้แจงแนวทางให้ครูทุกโรงเรียน"


def found(user: Any, query: str, kind: str = "") -> list[SearchDocument]:
    return list(search(user, parse_query(query), kind))


def page(client: Client, user: Any, query: str) -> str:
    client.force_login(user)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


# --- whatever the encoding --------------------------------------------------------


@pytest.mark.parametrize("defect", ["pua", "sara_am", "tone_order", "body_font", "heading_font",
                                    "yamakkan"])
def test_a_narrative_saved_broken_is_found_by_the_word_spelled_right(
    defect: str, submission: Submission, reporter: Any, narrate: Any
) -> None:
    broken = thai_corrupt.DEFECTS[defect](SENTENCE, random.Random(6))
    assert broken != SENTENCE  # the corruption really happened …
    assert OFFICE not in broken or "พื้นที่" not in broken  # … to a word we look for
    narrative = narrate(submission, broken)
    assert Block.objects.get(pk=narrative.pk).text == broken  # stored as typed
    for word in (OFFICE, "พื้นที่", "ชี้แจง"):
        hits = found(reporter, word, SourceKind.NARRATIVE)
        assert [d.source_id for d in hits] == [narrative.pk], (defect, word)
    assert hits[0].text == SENTENCE  # the index holds the repaired text


def test_a_query_typed_broken_is_repaired_too(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    narrative = narrate(submission, SENTENCE)
    for typed in ("ส ำนักงำน", "สาํนักงาน", "ส\u0e4d\u0e32นักงาน", "ส านักงาน"):
        assert parse_query(typed).terms == [OFFICE], typed
        assert narrative.pk in [d.source_id for d in found(reporter, typed, "narrative")]


def test_lampang_is_found_in_the_imported_004_sheet(spm: Any, reporter: Any) -> None:
    raw = seed_text(SEED_004)
    assert raw.count("ลำปาง") == 0 and raw.count(OFFICE) == 0  # as extracted: never spelled right
    draft = create_draft(parse_emes_sheet(raw, source_name=SEED_004), raw)
    for word in ("ลำปาง", OFFICE):
        hits = found(reporter, word, SourceKind.IMPORTED)
        assert [d.source_id for d in hits] == [draft.pk]
    doc = SearchDocument.objects.get(kind=SourceKind.IMPORTED, source_id=draft.pk)
    assert doc.org.code == "SPM-52-51" and doc.fiscal_year == 2566
    assert doc.url == f"/imports/{draft.pk}/"
    # 004 prints "ลำปาง" 6 times once repaired (the office's name in headings and text)
    assert doc.text.count("ลำปาง") == 6


def test_a_word_inside_a_longer_compound_is_found_and_ranks_after_whole_words(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    compound = narrate(submission, "สำนักงานเขตพื้นที่การศึกษา", node_code="1")
    whole = narrate(submission, "ย้ายสำนักงาน ไปที่ใหม่", node_code="2")
    inside = SearchDocument.objects.get(kind="narrative", source_id=compound.pk)
    assert " สำนักงานเขต " in inside.tokens and " สำนักงาน " not in inside.tokens
    hits = found(reporter, OFFICE, "narrative")
    assert [d.source_id for d in hits] == [whole.pk, compound.pk]
    assert [(d.whole_hits, d.hits) for d in hits] == [(1, 1), (0, 1)]  # type: ignore[attr-defined]


def test_more_hits_rank_higher_and_every_word_must_occur(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    once = narrate(submission, "ครูนิเทศนักเรียน", node_code="1")
    thrice = narrate(submission, "นิเทศ ติดตาม และนิเทศ ซ้ำ นิเทศ ครู", node_code="2")
    narrate(submission, "นิเทศ โดยไม่มีคำที่สอง", node_code="3")
    hits = found(reporter, "นิเทศ ครู", "narrative")
    assert [d.source_id for d in hits] == [thrice.pk, once.pk]
    assert hits[0].hits == 4  # type: ignore[attr-defined] # นิเทศ 3 times + ครู once


def test_words_typed_together_rank_first_and_are_highlighted_together(
    client: Client, submission: Submission, reporter: Any, narrate: Any
) -> None:
    apart = narrate(submission, "ภัยธรรมชาติ และภัย จากโลกไซเบอร์ ไซเบอร์", node_code="1")
    together = narrate(submission, "ป้องกันภัยไซเบอร์ในโรงเรียน", node_code="2")
    query = parse_query("ภัยไซเบอร์")
    assert query.terms == ["ภัย", "ไซเบอร์"] and query.phrases == ["ภัยไซเบอร์"]
    assert [d.source_id for d in found(reporter, "ภัยไซเบอร์", "narrative")] == [
        together.pk, apart.pk]  # although the other has more hits of each word
    html = page(client, reporter, "ภัยไซเบอร์")
    assert "ป้องกัน<mark>ภัยไซเบอร์</mark>ในโรงเรียน" in html
    assert "<mark>ภัย</mark>ธรรมชาติ และ<mark>ภัย</mark> จากโลก<mark>ไซเบอร์</mark>" in html


def test_thai_and_arabic_digits_find_each_other(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    thai = narrate(submission, "ผลการดำเนินงานปี ๒๕๖๖ ร้อยละ ๘๕", node_code="1")
    arabic = narrate(submission, "เป้าหมายปี 2566 ร้อยละ 90", node_code="2")
    assert {d.source_id for d in found(reporter, "๒๕๖๖", "narrative")} == {thai.pk, arabic.pk}
    assert [d.source_id for d in found(reporter, "85", "narrative")] == [thai.pk]
    assert [d.source_id for d in found(reporter, "ร้อยละ ๙๐", "narrative")] == [arabic.pk]
    html = page(Client(), reporter, "๘๕")
    assert "<mark>๘๕</mark>" in html  # highlighted as written


def test_latin_words_match_whatever_their_case(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    n = narrate(submission, "ใช้ระบบ MOE Safety Center ทุกโรงเรียน")
    assert [d.source_id for d in found(reporter, "safety center", "narrative")] == [n.pk]
    assert "<mark>Safety</mark> <mark>Center</mark>" in page(Client(), reporter, "SAFETY center")


# --- only what the user may read -------------------------------------------------


def test_a_reporter_never_sees_another_offices_narrative(
    client: Client, submission: Submission, other_submission: Submission,
    reporter: Any, other_reporter: Any, narrate: Any,
) -> None:
    mine = narrate(submission, "โครงการไข่มุกดำของ สพม. สำหรับนักเรียน")
    theirs = narrate(other_submission, "โครงการไข่มุกดำของ สพป. เรื่องความลับมหาศาล")
    assert [d.source_id for d in found(reporter, "ไข่มุกดำ")] == [mine.pk]
    assert [d.source_id for d in found(other_reporter, "ไข่มุกดำ")] == [theirs.pk]
    html = page(client, reporter, "ไข่มุกดำ")
    assert "พบ 1 รายการ" in html
    assert "ความลับ" not in html and "สพป.ลำปาง" not in html
    assert f"/submissions/{other_submission.pk}/" not in html
    html = page(client, reporter, "ความลับมหาศาล")  # a word only B wrote
    assert "ไม่พบ" in html and "ความลับมหาศาล</mark>" not in html and "พบ 1" not in html
    # someone who reads both offices' region sees both
    viewer = get_user_model().objects.create_superuser("root", "r@example.invalid", "x-long-pw-1")
    assert {d.source_id for d in found(viewer, "ไข่มุกดำ")} == {mine.pk, theirs.pk}


def test_search_needs_a_login(client: Client) -> None:
    response = client.get("/search/", {"q": OFFICE})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_user_without_roles_finds_nothing(submission: Submission, narrate: Any) -> None:
    narrate(submission, SENTENCE)
    nobody = get_user_model().objects.create_user("nobody", password="a-long-test-password")
    assert found(nobody, OFFICE) == []


# --- the page ----------------------------------------------------------------------


@pytest.mark.parametrize(("query", "message"), [
    ("", "กรุณาพิมพ์คำที่ต้องการค้นหา"),
    ("   ", "กรุณาพิมพ์คำที่ต้องการค้นหา"),
    ("ก", "สั้นเกินไป"),
    ("!!", "สั้นเกินไป"),
    ("ก" * 201, "ยาวเกินไป"),
])
def test_an_empty_or_too_short_query_gets_a_thai_message(
    client: Client, reporter: Any, query: str, message: str
) -> None:
    with pytest.raises(QueryRefused) as refused:
        parse_query(query)
    assert message in str(refused.value)
    assert message in page(client, reporter, query)


def test_snippet_highlights_the_hit_and_escapes_the_text(
    client: Client, submission: Submission, reporter: Any, narrate: Any
) -> None:
    prefix = "ก่อนหน้า " * 30
    narrate(submission, f'{prefix}<script>alert("x")</script> ประชุมสำนักงาน & โรงเรียน')
    html = page(client, reporter, "ประชุม")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S)
    assert snippet is not None
    assert snippet.group(1).startswith("… ")  # cut before the hit, marked as cut
    assert "<mark>ประชุม</mark>สำนักงาน &amp; โรงเรียน" in snippet.group(1)


def test_a_snippet_of_unspaced_thai_starts_and_ends_on_whole_words(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    before = "การพัฒนาคุณภาพการศึกษาของโรงเรียนในพื้นที่ห่างไกลต้องอาศัยความร่วมมือของชุมชน" * 2
    after = "เพื่อให้นักเรียนทุกคนได้รับโอกาสทางการศึกษาที่เท่าเทียมและมีคุณภาพอย่างยั่งยืน" * 3
    n = narrate(submission, before + "ห้องสมุดเคลื่อนที่" + after)
    [doc] = found(reporter, "ห้องสมุดเคลื่อนที่", SourceKind.NARRATIVE)
    html = str(snippet(doc, parse_query("ห้องสมุดเคลื่อนที่")))
    assert html.startswith("… ") and html.endswith(" …") and doc.source_id == n.pk
    shown = html.removeprefix("… ").removesuffix(" …").replace("<mark>", "").replace("</mark>", "")
    assert "<mark>ห้องสมุดเคลื่อนที่</mark>" in html and shown in before + "ห้องสมุดเคลื่อนที่" + after
    words_before = word_tokenize(before, engine="newmm")
    words_after = word_tokenize(after, engine="newmm")
    head, tail = shown.split("ห้องสมุดเคลื่อนที่")
    # what is shown on either side is made of whole words of the text
    assert any("".join(words_before[i:]) == head for i in range(len(words_before)))
    assert any("".join(words_after[:i]) == tail for i in range(1, len(words_after) + 1))
    assert 40 <= len(head) <= SNIPPET_BEFORE + 30 and len(tail) >= 60


def test_results_are_paginated(client: Client, submission: Submission, reporter: Any,
                               narrate: Any) -> None:
    nodes = [n.code for n in submission.framework.nodes.exclude(method="group")
             .order_by("position")][:12]
    assert len(nodes) == 12
    for code in nodes:
        narrate(submission, f"งานปิดทองหลังพระ ตัวชี้วัด {code}", node_code=code)
    html = page(client, reporter, "ปิดทองหลังพระ")
    assert "พบ 12 รายการ" in html and "หน้า 1 จาก 2" in html
    assert html.count('class="card search-result"') == 10
    client.force_login(reporter)
    second = client.get("/search/", {"q": "ปิดทองหลังพระ", "page": 2}).content.decode()
    assert second.count('class="card search-result"') == 2


def test_the_kind_filter_narrows_the_results(
    client: Client, submission: Submission, reporter: Any, narrate: Any
) -> None:
    narrate(submission, "ส่งเสริมการป้องกันภัยไซเบอร์ในสถานศึกษา")
    both = {d.kind for d in found(reporter, "ภัยไซเบอร์")}
    assert both == {SourceKind.NARRATIVE, SourceKind.RECOMMENDATION}  # 004's recommendation 1
    client.force_login(reporter)
    html = client.get("/search/", {"q": "ภัยไซเบอร์", "kind": "recommendation"}).content.decode()
    assert "พบ 1 รายการ" in html and "คำบรรยายในรายงานตัวชี้วัด</span>" not in html
    assert '<option value="recommendation" selected>' in html
    html = client.get("/search/", {"q": "ภัยไซเบอร์", "kind": "nonsense"}).content.decode()
    assert "พบ 2 รายการ" in html  # an unknown kind is ignored, not an error


# --- keeping the index up to date -------------------------------------------------


def test_editing_and_deleting_update_the_index(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    n = narrate(submission, "เดิมเขียนว่าสวนพฤกษศาสตร์")
    assert found(reporter, "สวนพฤกษศาสตร์")
    n.text = "แก้เป็นห้องสมุดดิจิทัล"
    n.save()
    assert not found(reporter, "สวนพฤกษศาสตร์") and found(reporter, "ห้องสมุด")
    n.text = ""
    n.save()  # nothing left to find: no document
    assert not SearchDocument.objects.filter(kind="narrative", source_id=n.pk).exists()
    n.text = "ห้องสมุดดิจิทัล"
    n.save()
    n.delete()
    assert not SearchDocument.objects.filter(kind="narrative", source_id=n.pk).exists()


def test_the_offices_texts_outlive_a_deleted_submission(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    """A block is the office's, written once for a topic: not the submission's to take."""
    first = narrate(submission, "ข้อความของสำนักงานเขตพื้นที่")
    second = narrate(submission, "อีกข้อความของสำนักงานเขตพื้นที่", node_code="2")
    submission.delete()
    assert set(SearchDocument.objects.filter(kind="narrative").values_list(
        "source_id", flat=True)) == {first.pk, second.pk}


def test_reindex_is_idempotent_and_repairs_a_stale_index(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    n = narrate(submission, thai_corrupt.body_font(SENTENCE, random.Random(1)))
    before = sorted(SearchDocument.objects.values_list("kind", "source_id", "text", "tokens"))
    assert any(k == "recommendation" for k, *_ in before)  # the demo is indexed
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "reindex", stdout=out, stderr=err)
    assert "เพิ่มใหม่ 0 ปรับปรุง 0" in out.getvalue() and "ลบออก 0" in out.getvalue()
    assert f"ไม่เปลี่ยนแปลง {len(before)}" in out.getvalue()
    assert re.search(r"ข้อเสนอแนะของผู้ประเมิน: (\d+)/\1", err.getvalue())  # progress
    assert sorted(SearchDocument.objects.values_list("kind", "source_id", "text", "tokens")) \
        == before
    # changes made behind the signals' back (queryset updates, a lost index) are put right
    Block.objects.filter(pk=n.pk).update(text="ข้อความใหม่ที่ไม่ผ่านสัญญาณ")
    SearchDocument.objects.filter(kind="recommendation").first().delete()  # type: ignore[union-attr]
    SearchDocument.objects.create(kind="narrative", source_id=10**9, org=submission.org,
                                  title="ไม่มีต้นทาง", text="x", folded="x", tokens=" x ")
    result = reindex()
    assert (result.created, result.updated, result.removed) == (1, 1, 1)
    assert found(reporter, "สัญญาณ") and not found(reporter, "ชี้แจง", "narrative")
    again = reindex()
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert again.unchanged == len(before)


def test_reindex_full_recuts_the_words_of_texts_already_spelled_right(
    submission: Submission, reporter: Any, narrate: Any
) -> None:
    n = narrate(submission, "ห้องเรียนคุณภาพ")
    SearchDocument.objects.filter(kind="narrative", source_id=n.pk).update(tokens=" ห้อง ")
    assert (reindex().updated, reindex().unchanged) == (0, SearchDocument.objects.count())
    out = io.StringIO()
    call_command("search", "reindex", "--full", stdout=out, stderr=io.StringIO())
    assert "ปรับปรุง 1 " in out.getvalue()
    assert SearchDocument.objects.get(kind="narrative", source_id=n.pk).tokens == (
        " ห้องเรียน  คุณภาพ ")


def test_indexing_waits_for_the_commit(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any,
    submission: Submission, reporter: Any, narrate: Any,
) -> None:
    monkeypatch.undo()  # the real after_commit, not the tests' index-at-once
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        n = narrate(submission, "ครั้งแรก")
        n.text = "ข้อความสุดท้ายของธุรกรรม"
        n.save()
        assert not SearchDocument.objects.filter(kind="narrative").exists()
    assert len(jobs) == 2  # created, then saved again: each job reads the row as committed
    [doc] = SearchDocument.objects.filter(kind="narrative")
    assert doc.text == "ข้อความสุดท้ายของธุรกรรม"
    with django_capture_on_commit_callbacks(execute=True):
        n.delete()
    assert not SearchDocument.objects.filter(kind="narrative").exists()
    with django_capture_on_commit_callbacks(execute=False) as discarded:
        narrate(submission, "ธุรกรรมที่ไม่ได้ commit")
    assert discarded and not SearchDocument.objects.filter(kind="narrative").exists()
