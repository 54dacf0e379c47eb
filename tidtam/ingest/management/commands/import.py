"""``tidtam import emes-sheet FILE [--dry-run] [--format text|json] [--org CODE]``.

One command for bringing old documents in, one subcommand per kind of
document (``inspection`` and ``annual-report`` will sit beside ``emes-sheet``).
Without ``--dry-run`` the result is stored as a draft for review at
/imports/; nothing reaches the office's ratings until a reviewer accepts it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.ingest.drafts import create_draft
from tidtam.ingest.emes_sheet import ParsedSheet, SheetRejected, parse_emes_sheet
from tidtam.ingest.sources import SourceError, decode_text
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "นำเข้าเอกสารเดิม (ซ่อมข้อความภาษาไทยแล้วอ่านเป็นข้อมูล) เป็นร่างรอตรวจ"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, title="ประเภทเอกสาร")
        sheet = sub.add_parser(
            "emes-sheet", help="แบบรายงานผลการติดตาม ประเมินผลของเขตพื้นที่ (e-MES)"
        )
        sheet.add_argument("file", type=Path, help="ไฟล์ข้อความที่ได้จาก PDF/DOCX")
        sheet.add_argument("--dry-run", action="store_true",
                           help="อ่านและตรวจอย่างเดียว ไม่บันทึกร่าง")
        sheet.add_argument("--format", choices=("text", "json"), default="text",
                           help="รูปแบบผลลัพธ์ (json = โครงสร้างเดียวกับ report esa-sheet)")
        sheet.add_argument("--org", default=None,
                           help="รหัสหน่วยงาน (ไม่ระบุ = หาจากชื่อที่พิมพ์ในเอกสาร)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        org = None
        if options["org"]:
            org = OrgUnit.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"ไม่พบหน่วยงานรหัส '{options['org']}'")
        data = path.read_bytes()
        try:
            raw = decode_text(data, path.name)
            parsed = parse_emes_sheet(raw, source_name=path.name, org=org)
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        except SheetRejected as exc:
            raise CommandError(exc.report()) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text_summary(parsed))
        if options["dry_run"]:
            self.stderr.write("ทดลองอ่านเท่านั้น (--dry-run): ไม่ได้บันทึกข้อมูลใด ๆ")
            return
        draft = create_draft(parsed, raw)
        self.stderr.write(self.style.SUCCESS(
            f"บันทึกเป็นร่างหมายเลข {draft.pk} รอตรวจที่ /imports/{draft.pk}/ "
            "(ยังไม่เข้าสู่ผลการประเมินของหน่วยงานจนกว่าจะรับเข้า)"
        ))


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
