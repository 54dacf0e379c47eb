"""``tidtam restore FILE [--force]`` / ``tidtam restore FILE --check``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tidtam.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = ("กู้คืนฐานข้อมูลและไฟล์แนบจากไฟล์สำรองของ tidtam ลงฐานข้อมูลว่าง"
            " (ฐานข้อมูลที่มีข้อมูลแล้วต้องใช้ --force)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="แทนที่ข้อมูลที่มีอยู่ทั้งหมดด้วยข้อมูลในไฟล์สำรอง")
        parser.add_argument("--check", action="store_true",
                            help="ตรวจเฉพาะว่าไฟล์สำรองครบและไม่เสียหาย ไม่แตะฐานข้อมูล")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if options["check"]:
                archive = verify(path)
                m = archive.manifest
                rows = sum(t["rows"] for t in m["tables"].values())
                self.stdout.write(
                    f"ไฟล์สำรองสมบูรณ์: {path} สร้างเมื่อ {m['created_at']}"
                    f" ฐานข้อมูล {m['database']['vendor']} {len(m['tables'])} ตาราง"
                    f" {rows:,} แถว ไฟล์แนบ {len(m['files'])} ไฟล์")
                return
            done = restore(connection, Path(settings.MEDIA_ROOT), path, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"กู้คืนแล้ว: ข้อมูลเมื่อ {done.created_at} — {done.tables} ตาราง {done.rows:,} แถว"
            f" ไฟล์แนบ {done.files} ไฟล์ ตรงกับไฟล์สำรองทุกตารางและทุกไฟล์")
