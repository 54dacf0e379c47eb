"""``tidtam ratings import FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.csvfiles import ImportFailed
from tidtam.evaluation.importer import import_ratings
from tidtam.limits import OutOfLimits, read_import_file


class Command(BaseCommand):
    help = "นำเข้าผลการประเมินจาก CSV (ทั้งไฟล์หรือไม่นำเข้าเลย)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="นำเข้าผลการประเมิน")
        imp.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            result = import_ratings(read_import_file(path),
                                    comment=f"tidtam ratings import {path.name}")
        except ImportFailed as exc:
            raise CommandError(exc.report()) from None
        except OutOfLimits as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
