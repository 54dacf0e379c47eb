"""The national synthesis in HTML, DOCX and PDF: chart numbers equal the aggregates."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user
from tidtam.analytics.aggregate import aggregate, rules_for
from tidtam.analytics.models import Section, SourceKind, SynthesisPick
from tidtam.analytics.picking import candidates, pick
from tidtam.analytics.synthesis import SECTION_GROUPS, SOURCE_NOTE, build_synthesis, nation
from tidtam.analytics.synthesis_render import render_docx, render_html, render_pdf
from tidtam.audit.models import AuditEntry
from tidtam.frameworks.models import Framework
from tidtam.narratives.models import Block


@pytest.fixture
def qp(db: None) -> Framework:
    return Framework.objects.get(code="qp", fiscal_year=2566)


def _expected_charts(fw: Framework) -> list[dict[str, Any]]:
    """What every chart must show, straight from ``aggregate`` (figures, then levels)."""
    agg = aggregate(nation(), fw, "12m")
    out = []
    for ind in agg.indicators:
        if ind.sums:
            wanted = rules_for(ind.node).get("headline", list(ind.sums))
            codes = [c for c in wanted if c in ind.sums]
            out.append({"values": [str(ind.sums[c].total) for c in codes]})
        levels = [str(Decimal(ind.levels[lv])) for lv, _label in agg.band_labels]
        assert sum(ind.levels.values()) == len(ind.rated_offices)
        out.append({"values": levels})
    return out


def _picked_practice(fw: Framework, user: Any) -> tuple[str, str]:
    node = fw.nodes.get(code="1")
    best = next(c for c in candidates(node, "12m") if c.kind == SourceKind.BEST_PRACTICE)
    pick(user, node, Section.BEST_PRACTICE, best.kind, best.id)
    return best.org.display_name, Block.objects.get(pk=best.id).title


def test_html_docx_pdf_charts_match_aggregates(country: Any, qp: Framework) -> None:
    editor = make_user("editor", "evaluator", "OBEC")
    office, model = _picked_practice(qp, editor)
    s = build_synthesis(qp, "12m")
    expected = _expected_charts(qp)
    assert len(expected) >= 20

    page = render_html(s).decode()
    charts = [json.loads(html.unescape(m)) for m in re.findall(r'data-chart="([^"]*)"', page)]
    assert [{"values": c["values"]} for c in charts] == expected
    assert office in page and model.replace('"', "&quot;") in page

    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(render_docx(s)))
    described = [json.loads(el.get("descr")) for el in doc.element.body.iter(qn("wp:docPr"))]
    assert [{"values": c["values"]} for c in described] == expected
    text = "\n".join(p.text for p in doc.paragraphs)
    assert office in text and model in text

    from pypdf import PdfReader

    pdf = render_pdf(s)
    reader = PdfReader(io.BytesIO(pdf))
    pdf_text = "\n".join(p.extract_text() for p in reader.pages)
    assert office in pdf_text
    # The printed table under the first level chart carries the same numbers.
    first_levels = expected[1]["values"]
    assert f"ดีเยี่ยม (5) {int(Decimal(first_levels[0]))}" in pdf_text.replace("\n", " ")
    assert "ผลสัมฤทธิ์การดำเนินงานของ สพท." in pdf_text


def test_only_obec_editors_pick_and_each_pick_is_audited(country: Any, qp: Framework) -> None:
    node = qp.nodes.get(code="2")
    cand = next(c for c in candidates(node, "12m") if c.kind == SourceKind.PROBLEM)
    url = f"/analytics/synthesis/2566/12m/{node.code}/pick/"
    reporter = Client()
    reporter.force_login(make_user("rep-x", "reporter", "SPM-52-51"))
    assert reporter.get(url).status_code == 404
    assert reporter.post(url, {"kind": cand.kind, "source": cand.id,
                               "section": Section.PROBLEM_CENTRAL}).status_code == 404
    assert not SynthesisPick.objects.exists()

    editor = Client()
    editor.force_login(make_user("ed", "approver", "OBEC"))
    assert editor.get(url).status_code == 200
    r = editor.post(url, {"kind": cand.kind, "source": cand.id, "section": Section.PROBLEM_CENTRAL})
    assert r.status_code == 302
    p = SynthesisPick.objects.get()
    assert p.section == Section.PROBLEM_CENTRAL and p.org == cand.org
    assert AuditEntry.objects.filter(action="synthesis_pick", org=cand.org).count() == 1
    # A problem cannot be filed as a best practice: refused in Thai, nothing written.
    r = editor.post(url, {"kind": cand.kind, "source": cand.id, "section": Section.BEST_PRACTICE})
    assert r.status_code == 422 and "ไม่ได้" in r.content.decode()
    assert SynthesisPick.objects.count() == 1
    page = editor.get("/analytics/synthesis/?year=2566&round=12m").content.decode()
    assert cand.org.display_name in page


def test_synthesis_pages_are_404_without_a_role_on_obec(country: Any) -> None:
    c = Client()
    c.force_login(make_user("reo", "viewer", "REO15"))
    assert c.get("/analytics/synthesis/").status_code == 404
    assert c.get("/analytics/synthesis/2566/12m.pdf").status_code == 404
    c.logout()
    assert c.get("/analytics/synthesis/").status_code == 302  # to the login page


def test_page_draws_its_charts_as_inline_svg(country: Any, qp: Framework) -> None:
    c = Client()
    c.force_login(make_user("obec-viewer", "viewer", "OBEC"))
    page = c.get("/analytics/synthesis/?year=2566&round=12m").content.decode()
    charts = len(_expected_charts(qp))
    assert page.count('<svg viewBox=') == charts == page.count("data-chart=")
    assert "data:image" not in page and len(page) < 300_000
    assert 'font-family="Sarabun, sans-serif"' in page


def test_pdf_pages_are_numbered_and_no_page_holds_only_labels(country: Any, qp: Framework) -> None:
    from tests.documents.pdfpages import page_numbers, page_texts

    pdf = render_pdf(build_synthesis(qp, "12m"))
    numbers = page_numbers(pdf)
    assert numbers == [""] + [f"-{n}-" for n in range(2, len(numbers) + 1)]
    for n, body in enumerate(page_texts(pdf, "body"), start=1):
        words = set(body.split()) - {"สพท.", "สพฐ.", "-"}
        assert words, f"page {n} holds only {body.split()}"
    # The charts are vector drawings whose Thai is text: their labels extract back.
    text = " ".join(" ".join(t.split()) for t in page_texts(pdf, "body"))
    assert "จำนวน (เขต)" in text and "ดีเยี่ยม (5)" in text
    assert "1e6" not in text and "1e7" not in text


def test_report_command_makes_the_synthesis_in_every_format(
    country: Any, qp: Framework, tmp_path: Any,
) -> None:
    from django.core.management import CommandError, call_command

    for fmt in ("json", "html", "docx", "pdf"):
        call_command("report", "synthesis", "--year", "2566", "--format", fmt,
                     "-o", str(tmp_path / f"s.{fmt}"))
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["schema"] == "tidtam.synthesis/1" and data["round"] == "12m"  # the last round
    charts = [{"values": c["values"]} for ind in data["indicators"] for c in ind["charts"]]
    assert charts == _expected_charts(qp)
    agg = aggregate(nation(), qp, "12m")
    first = next(i for i in agg.indicators if i.sums)
    figure = next(i for i in data["indicators"] if i["code"] == first.node.code)["figures"][0]
    assert figure["total"] == str(first.sums[figure["code"]].total)  # exact, not rounded
    assert sorted(figure["sources"]) == sorted(first.sums[figure["code"]].value_ids)
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "s.docx").read_bytes().startswith(b"PK")
    assert b"<svg" in (tmp_path / "s.html").read_bytes()
    six = tmp_path / "six.json"
    call_command("report", "synthesis", "--year", "2566", "--round", "6m", "--format", "json",
                 "-o", str(six))
    assert json.loads(six.read_text(encoding="utf-8"))["round_label"] == "รอบ 6 เดือน"
    with pytest.raises(CommandError, match="ไม่มีกรอบการประเมิน 'qp' ของปีงบประมาณ 2599"):
        call_command("report", "synthesis", "--year", "2599")
    with pytest.raises(CommandError, match="ไม่มีรอบ '3m'"):
        call_command("report", "synthesis", "--year", "2566", "--round", "3m")


LABELS = {label for _title, parts in SECTION_GROUPS for _s, label in parts if label} | {
    title for title, _parts in SECTION_GROUPS}


@pytest.mark.parametrize("picked", [11, 13, 26])
def test_no_page_ends_with_a_label_or_a_heading(picked: int) -> None:
    """With these many picked texts under the first heading, a label ("สพท.") once
    ended a page and its "-" began the next (seen in the national synthesis)."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from tests.documents.pdfpages import page_texts
    from tidtam.documents.pdf import html_to_pdf
    from tidtam.documents.printing import Furniture, print_css

    texts = [{"office": "สพม.ลำปาง ลำพูน", "text": "ข้อความที่เลือก " * (3 + (i * 7) % 11)}
             for i in range(picked)]
    groups = [{"title": title, "parts": [{"label": label, "items": texts if n == j == 0 else []}
                                         for j, (_s, label) in enumerate(parts)]}
              for n, (title, parts) in enumerate(SECTION_GROUPS)]
    indicator = {"code": "1", "heading": "ตัวชี้วัดที่ 1", "title": "ระดับความสำเร็จ", "figures": [],
                 "ratios": [], "coverage": "", "chart_views": [], "groups": groups}
    html = render_to_string("analytics/synthesis_print.html", {
        "s": SimpleNamespace(title="ผลการสังเคราะห์", subtitle="ปีงบประมาณ พ.ศ. 2566"),
        "indicators": [indicator], "note": SOURCE_NOTE, "print_css": print_css(Furniture("x"))})
    pages = page_texts(html_to_pdf(html), "body")
    assert len(pages) > 2
    for n, page in enumerate(pages[:-1], start=1):
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert last not in LABELS, f"page {n} ends with {last!r}"
