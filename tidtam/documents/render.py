"""Render a result-sheet content model to HTML, PDF, DOCX, XLSX or JSON.

The renderers only lay out what ``build_sheet`` computed; none of them does
arithmetic, so every format prints the same figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from tidtam.documents.printing import Furniture, print_css

FORMATS = ("html", "pdf", "docx", "xlsx", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def template_context(sheet: dict[str, Any], *, show_checks: bool = False) -> dict[str, Any]:
    """The content model plus the per-row lists Django templates cannot index out."""
    blocks = []
    for code in sheet["frameworks"]:
        block = dict(sheet[code])
        if block["layout"] == "rounds":
            order = [r["code"] for r in block["rounds"]]
            block["rows"] = [
                dict(row, round_values=[row["rounds"][c] for c in order]) for row in block["rows"]
            ]
        blocks.append(block)
    return {"sheet": sheet, "blocks": blocks, "show_checks": show_checks}


def furniture(sheet: dict[str, Any]) -> Furniture:
    office = sheet["office"]
    return Furniture(f"{sheet['title']} ปีงบประมาณ พ.ศ. {sheet['fiscal_year']} · "
                     f"{office['short_name_th'] or office['name_th']}")


def render_html(sheet: dict[str, Any]) -> bytes:
    """The sheet as one HTML file, the very one the PDF is made from."""
    context = template_context(sheet)
    context["print_css"] = print_css(furniture(sheet))
    return render_to_string("documents/esa_sheet_print.html", context).encode()


def render_pdf(sheet: dict[str, Any]) -> bytes:
    from tidtam.documents.pdf import html_to_pdf

    return html_to_pdf(render_html(sheet).decode())


def render_json(sheet: dict[str, Any]) -> bytes:
    return json.dumps(sheet, ensure_ascii=False, indent=2).encode()


def render_docx(sheet: dict[str, Any]) -> bytes:
    from tidtam.documents.docx_sheet import sheet_docx

    return sheet_docx(sheet)


def render_xlsx(sheet: dict[str, Any]) -> bytes:
    from tidtam.documents.xlsx_sheet import sheet_xlsx

    return sheet_xlsx(sheet)


RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "json": render_json,
}


def render(sheet: dict[str, Any], fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"ไม่รู้จักรูปแบบ '{fmt}' (ใช้ได้: {', '.join(FORMATS)})")
    return RENDERERS[fmt](sheet)


def filename(sheet: dict[str, Any], fmt: str) -> str:
    return f"esa-sheet-{sheet['office']['code']}-{sheet['fiscal_year']}.{fmt}"
