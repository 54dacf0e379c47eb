"""``tidtam backup [-o FILE]``: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tidtam.ops.backup import BackupError, backup, default_name


class Command(BaseCommand):
    help = "สำรองฐานข้อมูลและไฟล์แนบทั้งหมดไว้ในไฟล์เดียว (tar พร้อม manifest)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path,
                            help="ไฟล์ปลายทาง หรือโฟลเดอร์ (ค่าเริ่มต้น: "
                                 "<TIDTAM_DATA_DIR>/backups/tidtam-backup-<เวลา UTC>.tar)")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["output"]
        if out is None:
            out = Path(settings.DATA_DIR) / "backups" / default_name()
        elif out.is_dir():
            out = out / default_name()
        try:
            made = backup(connection, Path(settings.MEDIA_ROOT), out)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"สำรองแล้ว: {made.path} ({made.bytes / 1e6:.1f} MB) — {made.tables} ตาราง"
            f" {made.rows:,} แถว ไฟล์แนบ {made.files} ไฟล์")
