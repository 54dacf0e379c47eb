"""``tidtam inspection load`` and ``tidtam inspection report --org PEO75 --format docx -o F``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.frameworks.loader import load_all
from tidtam.inspection.compile import report_for
from tidtam.inspection.models import InspectionFramework
from tidtam.inspection.render import FORMATS, render
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import InvalidInput


class Command(BaseCommand):
    help = "การตรวจราชการ (แบบ รต.): โหลดกรอบการตรวจราชการ หรือสร้างรายงานจังหวัด/ภาค"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="โหลดกรอบการตรวจราชการจาก fixtures (รันซ้ำได้)")
        rep = sub.add_parser("report", help="รายงานของ ศธจ. หรือ ศธภ.")
        rep.add_argument("--org", required=True, help="รหัสสำนักงาน เช่น PEO75 หรือ REO14")
        rep.add_argument("--year", required=True, type=int, help="ปีงบประมาณ พ.ศ.")
        rep.add_argument("--round", type=int, default=2, help="รอบที่ (ค่าเริ่มต้น 2)")
        rep.add_argument("--format", default="html", choices=FORMATS)
        rep.add_argument("-o", "--output", type=Path, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "load":
            changed = load_all().changed  # the form is a framework: one loader for all
            self.stdout.write(f"เพิ่ม/แก้ไข {changed} รายการ" if changed else "ไม่มีอะไรเปลี่ยน")
            return
        org = OrgUnit.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"ไม่พบหน่วยงานรหัส {opts['org']}")
        fw = InspectionFramework.objects.filter(fiscal_year=opts["year"]).first()
        if fw is None:
            raise CommandError(f"ไม่มีกรอบการตรวจราชการปีงบประมาณ {opts['year']}")
        try:
            data = render(report_for(fw, org, opts["round"]), opts["format"])
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        if opts["output"] is None:
            sys.stdout.buffer.write(data)
        else:
            opts["output"].write_bytes(data)
            self.stdout.write(f"เขียน {opts['output']} แล้ว")
