"""``tidtam report esa-sheet --org CODE --year 2566 --format pdf [-o FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.documents.esa_sheet import SheetUnavailable, build_sheet
from tidtam.documents.render import FORMATS, render
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "สร้างรายงาน: esa-sheet = ผลการติดตาม ประเมินผลของสำนักงานเขตพื้นที่การศึกษา"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        sheet = sub.add_parser("esa-sheet", help="ผลการประเมินของเขตพื้นที่ (แบบ e-MES)")
        sheet.add_argument("--org", required=True, help="รหัสหน่วยงาน")
        sheet.add_argument("--year", required=True, type=int, help="ปีงบประมาณ พ.ศ.")
        sheet.add_argument("--format", default="html", choices=FORMATS)
        sheet.add_argument("-o", "--output", type=Path, default=None,
                           help="ไฟล์ผลลัพธ์ (ไม่ระบุ = พิมพ์ออกทางหน้าจอ)")

    def handle(self, *args: Any, **options: Any) -> None:
        org = OrgUnit.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"ไม่พบหน่วยงานรหัส '{options['org']}'")
        if not org.is_area_office:
            raise CommandError(f"{org.display_name} ไม่ใช่สำนักงานเขตพื้นที่การศึกษา")
        try:
            sheet = build_sheet(org, options["year"])
        except SheetUnavailable as exc:
            raise CommandError(str(exc)) from None
        data = render(sheet, options["format"])
        out: Path | None = options["output"]
        if out is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            self.stderr.write(f"บันทึก {out} ({len(data):,} ไบต์)")
