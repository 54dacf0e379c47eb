"""The synthesis as a web page, a PDF (through ``html_to_pdf``), a Word document and JSON.

Every chart is printed with a small table of its numbers, and carries those
numbers in machine-readable form (``data-chart`` in HTML, the picture's
description in DOCX), so the figures can be checked without reading pixels.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from tidtam.analytics.charts import Chart, render
from tidtam.analytics.svgchart import render_svg
from tidtam.analytics.synthesis import SOURCE_NOTE, Synthesis, headline_codes
from tidtam.documents.printing import Furniture, docx_furniture, print_css
from tidtam.thai.numbers import fmt_decimal

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX_TYPE, "html": "text/html; charset=utf-8",
                 "json": "application/json"}
Links = Callable[[str, int], list[tuple[str, str]]]  # (indicator code, chart index) → links


def chart_json(chart: Chart) -> str:
    return json.dumps(chart.as_data(), ensure_ascii=False)


def _rows(chart: Chart) -> list[tuple[str, str]]:
    return [(label, fmt_decimal(v, 0 if v == v.to_integral_value() else 2, grouping=True))
            for label, v in zip(chart.labels, chart.values, strict=True)]


def context(s: Synthesis, links: Links | None = None,
            font_family: str = "Sarabun, sans-serif") -> dict[str, Any]:
    """The template context: each chart drawn as inline SVG (vector, its text text).

    SVG markup takes well under a millisecond a chart where matplotlib took
    50–100 ms, and the page has two charts per indicator; the PDF gets the
    same vector drawing, in the patched faces (``font_family``) so its Thai
    extracts back.
    """
    indicators = []
    for ind in s.indicators:
        views = []
        for i, chart in enumerate(ind.charts):
            views.append({"chart": chart, "json": chart_json(chart), "rows": _rows(chart),
                          "svg": render_svg(chart, font_family=font_family),
                          "downloads": links(ind.code, i) if links else []})
        indicators.append(dict(ind.__dict__, chart_views=views))
    return {"s": s, "indicators": indicators, "note": SOURCE_NOTE}


def round_label(s: Synthesis) -> str:
    return dict(s.framework.round_labels()).get(s.round, s.round)


def furniture(s: Synthesis) -> Furniture:
    fw = s.framework
    return Furniture(f"ผลการสังเคราะห์ {fw.abbr or fw.name_th} ระดับประเทศ "
                     f"ปีงบประมาณ พ.ศ. {fw.fiscal_year} {round_label(s)}")


def render_html(s: Synthesis) -> bytes:
    """The synthesis as one HTML file, the very one the PDF is made from."""
    from tidtam.documents.pdf import PDF_FAMILY

    ctx = context(s, font_family=f"{PDF_FAMILY}, sans-serif")
    ctx["print_css"] = print_css(furniture(s))
    return render_to_string("analytics/synthesis_print.html", ctx).encode()


def render_pdf(s: Synthesis) -> bytes:
    from tidtam.documents.pdf import html_to_pdf

    return html_to_pdf(render_html(s).decode())


def content(s: Synthesis) -> dict[str, Any]:
    """The synthesis as data (``tidtam report synthesis --format json``).

    Figures are exact decimals as strings, with the ids of what they came
    from; charts carry the numbers they draw.
    """
    indicators = []
    for ind in s.indicators:
        agg = ind.aggregate
        assert agg is not None
        indicators.append({
            "code": ind.code, "heading": ind.heading, "title": ind.title,
            "figures": [{"code": c, "name": agg.sums[c].name_th, "unit": agg.sums[c].unit,
                         "total": str(agg.sums[c].total), "shown": f.value,
                         "offices": agg.sums[c].offices, "sources": agg.sums[c].value_ids}
                        for c, f in zip(headline_codes(agg), ind.figures, strict=True)],
            "ratios": [{"numerator": r.numerator.code, "denominator": r.denominator.code,
                        "percent": None if r.percent is None else str(r.percent)}
                       for r in agg.ratios],
            "ratio_texts": ind.ratios,
            "coverage": {"expected": len(agg.expected), "submitted": len(agg.submitted_offices),
                         "rated": len(agg.rated_offices),
                         "average": None if agg.average is None else str(agg.average),
                         "text": ind.coverage, "submissions": agg.submitted,
                         "ratings": agg.rating_ids},
            "levels": {str(level): agg.levels.get(level, 0)
                       for level, _label in s.aggregate.band_labels},
            "charts": [c.as_data() for c in ind.charts],
            "groups": ind.groups,
        })
    return {
        "schema": "tidtam.synthesis/1",
        "framework": s.framework.code, "fiscal_year": s.framework.fiscal_year,
        "round": s.round, "round_label": round_label(s),
        "title": s.title, "subtitle": s.subtitle, "offices": s.offices,
        "source_note": SOURCE_NOTE, "indicators": indicators,
    }


def render_json(s: Synthesis) -> bytes:
    return json.dumps(content(s), ensure_ascii=False, indent=2).encode()


def render_docx(s: Synthesis) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm

    from tidtam.documents.docx_sheet import _font, _para

    doc = Document()
    style = doc.styles["Normal"]
    _font(style.element.get_or_add_rPr(), 16)
    _para(doc, s.title, bold=True, center=True, size=18)
    _para(doc, s.subtitle, center=True)
    for ind in s.indicators:
        doc.add_page_break()
        _para(doc, ind.heading, bold=True, size=18)
        _para(doc, ind.title, bold=True)
        _para(doc, "ผลสัมฤทธิ์การดำเนินงานของ สพท.", bold=True)
        for f in ind.figures:
            _para(doc, f"{f.name} จำนวน {f.value} {f.unit}", indent_cm=0.75)
        for r in ind.ratios:
            _para(doc, r, indent_cm=0.75)
        _para(doc, ind.coverage, indent_cm=0.75)
        for chart in ind.charts:
            p = doc.add_paragraph()
            run = p.add_run()
            run.add_picture(io.BytesIO(render(chart, "png")), width=Cm(15))
            for pr in run._element.iter(qn("wp:docPr")):
                pr.set("descr", chart_json(chart))
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in _rows(chart):
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
                for c in cells:
                    for run_ in c.paragraphs[0].runs:
                        _font(run_._element.get_or_add_rPr(), 14)
        _para(doc, SOURCE_NOTE, size=14)
        for g in ind.groups:
            _para(doc, g["title"], bold=True)
            for part in g["parts"]:
                if part["label"]:
                    _para(doc, part["label"], bold=True, indent_cm=0.5)
                for it in part["items"] or [{"office": "", "text": "-"}]:
                    text = f"{it['office']}: {it['text']}" if it["office"] else it["text"]
                    _para(doc, f"- {text}", indent_cm=1)
    docx_furniture(doc, furniture(s), 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


RENDERERS: dict[str, Callable[[Synthesis], bytes]] = {
    "html": render_html, "pdf": render_pdf, "docx": render_docx, "json": render_json,
}
FORMATS = tuple(RENDERERS)
