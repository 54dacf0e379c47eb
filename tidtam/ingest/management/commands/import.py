"""``tidtam import KIND FILE [--dry-run] [--format text|json] [--org CODE]``.

One command for bringing old documents in, one subcommand per kind of
document (kinds.py: e-MES result sheets, inspection reports, annual
reports). Without ``--dry-run`` the result is stored as a draft for review at
/imports/; nothing reaches the real records until a reviewer accepts it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.ingest.kinds import available, handler
from tidtam.ingest.progress import LineProgress
from tidtam.ingest.sources import ImportRejected, SourceError, decode_text
from tidtam.ingest.thai_repair import repair
from tidtam.limits import OutOfLimits, read_import_file
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "นำเข้าเอกสารเดิม (ซ่อมข้อความภาษาไทยแล้วอ่านเป็นข้อมูล) เป็นร่างรอตรวจ"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, title="ประเภทเอกสาร")
        for kind in available():
            one = sub.add_parser(kind.kind, help=kind.help)
            one.add_argument("file", type=Path, help="ไฟล์ข้อความที่ได้จาก PDF/DOCX")
            one.add_argument("--dry-run", action="store_true",
                             help="อ่านและตรวจอย่างเดียว ไม่บันทึกร่าง")
            one.add_argument("--format", choices=("text", "json"), default="text",
                             help="รูปแบบผลลัพธ์ (json = เนื้อหาที่อ่านได้ทั้งหมด)")
            one.add_argument("--org", default=None,
                             help="รหัสหน่วยงาน (ไม่ระบุ = หาจากชื่อที่พิมพ์ในเอกสาร)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = handler(options["kind"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        org = None
        if options["org"]:
            org = OrgUnit.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"ไม่พบหน่วยงานรหัส '{options['org']}'")
        try:
            raw = decode_text(read_import_file(path), path.name)
            # Repair once with a progress line; the parser's own repair of the
            # same text is then immediate.
            repair(raw, progress=LineProgress(self.stderr._out))  # raw stream: no added newlines
            parsed = kind.parse(raw, path.name, org)
        except (SourceError, OutOfLimits) as exc:
            raise CommandError(str(exc)) from None
        except ImportRejected as exc:
            raise CommandError(exc.report()) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(kind.summary(parsed))
        if options["dry_run"]:
            self.stderr.write("ทดลองอ่านเท่านั้น (--dry-run): ไม่ได้บันทึกข้อมูลใด ๆ")
            return
        draft = kind.create_draft(parsed, raw, None)
        self.stderr.write(self.style.SUCCESS(
            f"บันทึกเป็นร่างหมายเลข {draft.pk} รอตรวจที่ /imports/{draft.pk}/ "
            "(ยังไม่เข้าสู่ข้อมูลจริงของหน่วยงานจนกว่าจะรับเข้า)"
        ))
