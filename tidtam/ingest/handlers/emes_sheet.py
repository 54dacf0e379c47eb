"""e-MES result sheets (like seed 004): ratings and recommendations of one office."""

from __future__ import annotations

from typing import Any

from tidtam.accounts.permissions import can_rate
from tidtam.audit.models import AuditEntry
from tidtam.documents.render import template_context
from tidtam.ingest.drafts import accept_sheet, create_draft
from tidtam.ingest.edit import AUDIT_ACTION
from tidtam.ingest.emes_sheet import ParsedSheet, parse_emes_sheet, preview_sheet
from tidtam.ingest.kinds import Handler
from tidtam.ingest.models import ImportedSheet, ImportKind
from tidtam.orgs.models import OrgUnit


def parse(raw: str, source_name: str, org: OrgUnit | None) -> ParsedSheet:
    return parse_emes_sheet(raw, source_name=source_name, org=org)


def text_summary(parsed: ParsedSheet) -> str:
    sheet = parsed.sheet
    lines = [
        f"{parsed.source_name}: {sheet['title']}",
        f"หน่วยงาน: {parsed.org.name_th} ({parsed.org.code})",
        f"ปีงบประมาณ: {parsed.fiscal_year}",
    ]
    for code in sheet["frameworks"]:
        block = sheet[code]
        rows = [r for r in block["rows"] if r.get("line")]
        overall = block["overall"]
        # An evaluator-set overall (it carries the system's suggestion) is a level.
        figure = overall.get("level") if "suggestion" in overall else overall.get("average")
        shown = "-" if figure is None else figure
        lines.append(
            f"- {block['full_name']}: {len(rows)} แถว · ภาพรวม {shown} {overall.get('label') or ''}"
            .rstrip()
        )
    lines.append(f"- ข้อเสนอแนะ: {len(sheet['recommendations'])} ตัวชี้วัด")
    lines.append(f"ผลการประเมินที่จะนำเข้า: {len(parsed.rating_rows())} รายการ")
    if parsed.discrepancies:
        lines.append(f"ตัวเลขที่พิมพ์ไม่ตรงกับที่คำนวณ ({len(parsed.discrepancies)}):")
        lines += [f"  บรรทัดที่ {d.line}: {d.message}" for d in parsed.discrepancies]
    else:
        lines.append("ตัวเลขที่พิมพ์ตรงกับที่คำนวณจากระดับคุณภาพทุกจุด")
    if parsed.notes:
        lines.append(f"ข้อสังเกต ({len(parsed.notes)}):")
        lines += [f"  {n}" for n in parsed.notes]
    return "\n".join(lines)


def body_context(draft: ImportedSheet) -> dict[str, Any]:
    edits = list(AuditEntry.objects.about(draft).filter(action=AUDIT_ACTION)
                 .select_related("user").order_by("at"))
    content = draft.content
    if edits and draft.is_draft:
        # Show what accepting will write now, not what the document printed.
        content = preview_sheet(draft.org, draft.fiscal_year, draft.ratings,
                                draft.recommendations)
    context = template_context(content, show_checks=True)
    context["edits"] = edits
    return context


HANDLER = Handler(
    kind=ImportKind.EMES_SHEET,
    help="แบบรายงานผลการติดตาม ประเมินผลของเขตพื้นที่ (e-MES)",
    parse=parse,
    create_draft=create_draft,
    summary=text_summary,
    accept=accept_sheet,
    may_decide=can_rate,
    accept_label="รับเข้า (บันทึกผลการประเมินและข้อเสนอแนะ)",
    decider="ผู้ประเมินของหน่วยงานนี้",
    body_template="ingest/kinds/emes_sheet.html",
    body_context=body_context,
)
