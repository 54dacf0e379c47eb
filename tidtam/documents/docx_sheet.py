"""The result sheet as a Word document, in Sarabun, laid out like seed 004."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Sarabun"
BODY_PT = 12


def _font(element_rpr: Any, size: float | None = None) -> None:
    """Set the font for Latin *and* complex-script (Thai) runs; Word uses w:cs for Thai."""
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = element_rpr.makeelement(qn("w:rFonts"), {})
        element_rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = element_rpr.find(qn(tag))
            if el is None:
                el = element_rpr.makeelement(qn(tag), {})
                element_rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def _para(
    container: Any, text: str = "", *, bold: bool = False, center: bool = False,
    size: float | None = None, indent_cm: float = 0, first_line_cm: float = 0,
) -> Paragraph:
    p: Paragraph = container.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_after = Pt(2)
    if indent_cm:
        fmt.left_indent = Cm(indent_cm)
    if first_line_cm:
        fmt.first_line_indent = Cm(first_line_cm)
    if text:
        run = p.add_run(text)
        run.bold = bold
        rpr = run._element.get_or_add_rPr()
        _font(rpr, size)
        if bold:
            rpr.append(rpr.makeelement(qn("w:bCs"), {}))
    return p


def _cell(cell: _Cell, text: str, *, bold: bool = False, center: bool = False,
          indent_cm: float = 0) -> None:
    cell.paragraphs[0].text = ""
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent_cm:
        p.paragraph_format.left_indent = Cm(indent_cm)
    run = p.add_run(text)
    run.bold = bold
    rpr = run._element.get_or_add_rPr()
    _font(rpr)
    if bold:
        rpr.append(rpr.makeelement(qn("w:bCs"), {}))


def _table(doc: Any, header: list[str], widths: list[float]) -> Table:
    table: Table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        _cell(table.rows[0].cells[i], text, bold=True, center=True)
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = Cm(w)
    return table


def _row(table: Table, values: list[str], widths: list[float], *, bold: bool = False,
         indent_cm: float = 0) -> None:
    cells = table.add_row().cells
    for i, value in enumerate(values):
        _cell(cells[i], value, bold=bold, center=i > 0, indent_cm=indent_cm if i == 0 else 0)
        cells[i].width = Cm(widths[i])


def _dash(value: Any, blank: str = "-") -> str:
    return blank if value is None else str(value)


def _page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _header(doc: Any, sheet: dict[str, Any], title: str) -> None:
    _para(doc, title, bold=True, center=True, size=14)
    _para(doc, f"ประจำปีงบประมาณ พ.ศ. {sheet['fiscal_year']}", bold=True, center=True)
    _para(doc, sheet["office"]["name_th"], bold=True, center=True)


def _signatory(doc: Any, sheet: dict[str, Any]) -> None:
    sig = sheet["summary"]["signatory"]
    _para(doc)
    _para(doc, f"({sig['name']})", center=True)
    for line in sig["positions"]:
        _para(doc, line, center=True)


def _rounds(doc: Any, sheet: dict[str, Any], block: dict[str, Any]) -> None:
    rounds = block["rounds"]
    widths = [8.0] + [2.0] * len(rounds) + [2.0, 2.6]
    header = ["ตัวชี้วัด", *(f"ระดับคุณภาพ {r['label']}" for r in rounds),
              "ค่าคะแนนเฉลี่ย", "คำอธิบายระดับคุณภาพ"]
    table = _table(doc, header, widths)
    for row in block["rows"]:
        _row(table, [f"{row['heading']} {row['title']}",
                     *(_dash(row["rounds"][r["code"]]) for r in rounds),
                     _dash(row["average"]), _dash(row["label"])], widths)
    o = block["overall"]
    cells = table.add_row().cells
    merged = cells[0].merge(cells[len(rounds)])
    _cell(merged, f"คะแนนเฉลี่ยรวม {o['count']} ตัวชี้วัด", bold=True, center=True)
    _cell(cells[len(rounds) + 1], _dash(o["average"]), bold=True, center=True)
    _cell(cells[len(rounds) + 2], _dash(o["label"]), bold=True, center=True)


def _rated_and_target(doc: Any, sheet: dict[str, Any], block: dict[str, Any]) -> None:
    _para(doc, "ตัวชี้วัดที่มีการประเมินระดับคุณภาพ", bold=True)
    widths = [10.6, 2.0, 3.0]
    table = _table(doc, ["ตัวชี้วัด", "ระดับคุณภาพ", "คำอธิบายระดับคุณภาพ"], widths)
    for row in block["rated"]["rows"]:
        _row(table, [f"{row['heading']} {row['title']}", _dash(row["level"], ""),
                     _dash(row["label"], "")], widths)
    o = block["rated"]["overall"]
    _row(table, [f"คะแนนเฉลี่ยรวม {o['count']} ตัวชี้วัด", _dash(o["average"]), _dash(o["label"])],
         widths, bold=True)
    if block["target"]["rows"]:
        _para(doc)
        _para(doc, "ตัวชี้วัดที่มีการประเมินเทียบค่าเป้าหมาย", bold=True)
        widths = [8.6, 3.0, 2.6, 2.0]
        table = _table(doc, ["ตัวชี้วัด", "ค่าเป้าหมายตัวชี้วัด ผลการดำเนินงานภาพรวมของ สพฐ.",
                             "ผลการดำเนินการที่ได้", "การแปลผล"], widths)
        for row in block["target"]["rows"]:
            _row(table, [f"{row['heading']} {row['title']}", f"{row['unit']} {row['target']}",
                         f"{row['unit']} {row['actual']}", _dash(row["result_label"])], widths)
    for row in block["notes"]:
        _para(doc, f"หมายเหตุ: {row['heading']} {row['title']} "
                   f"{row['status_label'] or 'ยังไม่มีผลการดำเนินงาน'}", size=11)


def _tree(doc: Any, sheet: dict[str, Any], block: dict[str, Any]) -> None:
    widths = [11.0, 2.0, 2.6]
    table = _table(doc, ["มาตรฐาน/ตัวบ่งชี้/ประเด็นการพิจารณา", "ระดับคุณภาพ",
                         "คำอธิบายระดับคุณภาพ"], widths)
    for row in block["rows"]:
        text = f"{row['heading']} {row['title']}"
        bold = row["depth"] == 0
        if row["status"] == "monitored":
            cells = table.add_row().cells
            _cell(cells[0], text, indent_cm=0.6 * row["depth"])
            merged = cells[1].merge(cells[2])
            _cell(merged, "ติดตามแต่ไม่ประเมินผล", center=True)
            continue
        _row(table, [text, _dash(row["level"], ""), _dash(row["label"], "")], widths,
             bold=bold, indent_cm=0.6 * row["depth"])
    o = block["overall"]
    _row(table, [f"คะแนนรวมของภาพรวม ({o['count']} มาตรฐาน)", _dash(o["level"]),
                 _dash(o["label"])], widths, bold=True)
    _signatory(doc, sheet)


LAYOUTS = {"rounds": _rounds, "rated_and_target": _rated_and_target, "tree": _tree}


def sheet_docx(sheet: dict[str, Any]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.2), Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _font(normal.element.get_or_add_rPr(), BODY_PT)
    doc.core_properties.title = f"{sheet['title']} {sheet['office']['name_th']}"
    doc.core_properties.language = "th-TH"

    _para(doc, sheet["title"], bold=True, center=True, size=16)
    _para(doc, f"ในภาพรวม ประจำปีงบประมาณ พ.ศ. {sheet['fiscal_year']}", bold=True, center=True)
    _para(doc, sheet["office"]["name_th"], bold=True, center=True)
    _para(doc)
    widths = [12.6, 3.0]
    table = _table(doc, ["ผลการประเมิน", "ระดับคุณภาพ"], widths)
    for i, item in enumerate(sheet["summary"]["items"], start=1):
        _row(table, [f"{i}. {item['title']}", _dash(item["label"])], widths)
    _signatory(doc, sheet)

    for code in sheet["frameworks"]:
        block = sheet[code]
        _page_break(doc)
        _header(doc, sheet, block["heading"])
        LAYOUTS[block["layout"]](doc, sheet, block)

    current = None
    for rec in sheet["recommendations"]:
        if rec["section_title"] != current:
            current = rec["section_title"]
            _page_break(doc)
            _header(doc, sheet, current)
        _para(doc, f"{rec['heading']} {rec['title']}", bold=True)
        _para(doc, rec["text"], first_line_cm=1.25)

    from tidtam.documents.printing import docx_furniture
    from tidtam.documents.render import furniture

    docx_furniture(doc, furniture(sheet), BODY_PT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
