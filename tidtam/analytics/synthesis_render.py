"""The synthesis as a web page, a PDF (through ``html_to_pdf``) and a Word document.

Every chart is printed with a small table of its numbers, and carries those
numbers in machine-readable form (``data-chart`` in HTML, the picture's
description in DOCX), so the figures can be checked without reading pixels.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from tidtam.analytics.charts import Chart, render
from tidtam.analytics.synthesis import SOURCE_NOTE, Synthesis
from tidtam.thai.numbers import fmt_decimal

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX_TYPE, "html": "text/html; charset=utf-8"}
Links = Callable[[str, int], list[tuple[str, str]]]  # (indicator code, chart index) → links


def chart_json(chart: Chart) -> str:
    return json.dumps(chart.as_data(), ensure_ascii=False)


def _rows(chart: Chart) -> list[tuple[str, str]]:
    return [(label, fmt_decimal(v, 0 if v == v.to_integral_value() else 2, grouping=True))
            for label, v in zip(chart.labels, chart.values, strict=True)]


def context(s: Synthesis, img: str = "svg", links: Links | None = None) -> dict[str, Any]:
    mime = "image/svg+xml" if img == "svg" else "image/png"
    indicators = []
    for ind in s.indicators:
        views = []
        for i, chart in enumerate(ind.charts):
            data = base64.b64encode(render(chart, img)).decode()
            views.append({"chart": chart, "json": chart_json(chart), "rows": _rows(chart),
                          "src": f"data:{mime};base64,{data}",
                          "downloads": links(ind.code, i) if links else []})
        indicators.append(dict(ind.__dict__, chart_views=views))
    return {"s": s, "indicators": indicators, "note": SOURCE_NOTE}


def render_pdf(s: Synthesis) -> bytes:
    from tidtam.documents.pdf import font_face_css, html_to_pdf

    ctx = context(s, "png")
    ctx["font_css"] = font_face_css()
    return html_to_pdf(render_to_string("analytics/synthesis_print.html", ctx))


def render_html(s: Synthesis) -> bytes:
    from tidtam.documents.pdf import font_face_css

    ctx = context(s, "svg")
    ctx["font_css"] = font_face_css()
    return render_to_string("analytics/synthesis_print.html", ctx).encode()


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
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


RENDERERS: dict[str, Callable[[Synthesis], bytes]] = {
    "html": render_html, "pdf": render_pdf, "docx": render_docx,
}
