"""``tidtam orgs import FILE.csv`` (and ``tidtam orgs list``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.csvfiles import ImportFailed
from tidtam.limits import OutOfLimits, read_import_file
from tidtam.orgs.importer import import_orgs
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "จัดการหน่วยงาน: import FILE.csv นำเข้า/ปรับปรุง, list แสดงรายการ"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="นำเข้าหน่วยงานจาก CSV (ทั้งไฟล์หรือไม่นำเข้าเลย)")
        imp.add_argument("file", type=Path)
        lst = sub.add_parser("list", help="แสดงหน่วยงาน")
        lst.add_argument("--type", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            qs = OrgUnit.objects.all()
            if options["type"]:
                qs = qs.filter(type=options["type"])
            for u in qs:
                self.stdout.write(f"{'  ' * u.depth}{u.code}\t{u.name_th}")
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            result = import_orgs(read_import_file(path),
                                 comment=f"tidtam orgs import {path.name}")
        except ImportFailed as exc:
            raise CommandError(exc.report()) from None
        except OutOfLimits as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
