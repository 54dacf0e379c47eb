"""Render the report content (``document.build``) as HTML, PDF or DOCX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from tidtam.documents.printing import Furniture, print_css
from tidtam.inspection.document import build
from tidtam.inspection.docx_report import report_docx
from tidtam.inspection.models import InspectionReport

FORMATS = ("html", "docx", "pdf", "json")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _with_file_uris(doc: dict[str, Any]) -> dict[str, Any]:
    """Printed images are read from disk by WeasyPrint, not fetched over HTTP."""
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("image"):
                node["image_uri"] = Path(node["image"]).as_uri()
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)
    return doc


def furniture(doc: dict[str, Any]) -> Furniture:
    return Furniture(f"{doc['form']} {doc['subtitle']} · {doc['org']}")


def print_html(report: InspectionReport) -> str:
    """The report as one HTML file, the very one the PDF is made from."""
    doc = _with_file_uris(build(report))
    return render_to_string("inspection/report_print.html", {
        "doc": doc, "for_print": True, "print_css": print_css(furniture(doc))})


def render(report: InspectionReport, fmt: str) -> bytes:
    if fmt == "docx":
        content = build(report)
        return report_docx(content, furniture(content))
    if fmt == "pdf":
        from tidtam.documents.pdf import html_to_pdf

        return html_to_pdf(print_html(report))
    if fmt == "html":
        return print_html(report).encode()
    if fmt == "json":
        # The report's content as printed: each figure with the observation it prints.
        return json.dumps(build(report), ensure_ascii=False, indent=1,
                          default=str).encode()
    raise ValueError(f"ไม่รู้จักรูปแบบไฟล์ '{fmt}' (ใช้ได้: {', '.join(FORMATS)})")


def filename(report: InspectionReport, fmt: str) -> str:
    return f"inspection-{report.org.code}-{report.framework.year}-r{report.round}.{fmt}"
