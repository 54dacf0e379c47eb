"""``tidtam children recompute`` and ``tidtam children import FILE --user NAME``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "ทะเบียนพาน้องกลับมาเรียน (recompute: คำนวณตัวชี้วัดจากทะเบียนใหม่, import: นำเข้ารายชื่อ)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("recompute", help="เขียนค่าตัวชี้วัด QP2 จากทะเบียนใหม่ทุกหน่วยงานทุกปี")
        imp = sub.add_parser("import", help="นำเข้ารายชื่อจากไฟล์ CSV (UTF-8) หรือ XLSX")
        imp.add_argument("file")
        imp.add_argument("--user", required=True, help="ชื่อผู้ใช้ที่เป็นผู้ติดตามเด็กของหน่วยงาน")
        imp.add_argument("--name", default="", help="ชื่อบัญชีรายชื่อ")

    def handle(self, *args: Any, **options: Any) -> None:
        from tidtam.children.indicators import recompute_all

        if options["action"] == "recompute":
            changed = recompute_all()
            self.stdout.write(f"คำนวณตัวชี้วัดจากทะเบียนแล้ว: เปลี่ยนแปลง {changed} ค่า")
            return
        from tidtam.children.importer import import_list
        from tidtam.csvfiles import ImportFailed
        from tidtam.limits import OutOfLimits, read_import_file

        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ '{options['user']}'")
        path = Path(options["file"])
        try:
            summary = import_list(user, read_import_file(path), path.name, options["name"])
        except ImportFailed as exc:
            raise CommandError(exc.report()) from None
        except (OutOfLimits, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(summary.message())
