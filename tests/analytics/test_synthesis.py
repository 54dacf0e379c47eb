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
from tidtam.analytics.synthesis import build_synthesis, nation
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
