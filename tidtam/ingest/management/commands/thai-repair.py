"""``tidtam thai-repair [FILE]``: repair Thai text extracted from old PDFs and DOCX.

Reads FILE (or standard input), writes the repaired text as UTF-8 to standard
output and a one-line summary to standard error, so it can sit in a pipe:
``pdftotext report.pdf - | tidtam thai-repair > report.txt``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.ingest.progress import LineProgress
from tidtam.ingest.sources import SourceError, decode_text
from tidtam.ingest.thai_repair import repair
from tidtam.limits import OutOfLimits, read_import_file, read_import_stream


class Command(BaseCommand):
    help = "ซ่อมข้อความภาษาไทยที่ได้จากการแปลง PDF/DOCX (อ่านจากไฟล์หรือ stdin เขียน UTF-8 ออก stdout)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=None,
                            help="ไฟล์ข้อความ (ไม่ระบุ = อ่านจาก stdin)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        if path is None:
            name = "stdin"
            data = self._read(lambda: read_import_stream(sys.stdin.buffer, name))
        else:
            if not path.is_file():
                raise CommandError(f"ไม่พบไฟล์ {path}")
            name = str(path)
            data = self._read(lambda: read_import_file(path))
        try:
            text = decode_text(data, name)
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        repaired = repair(text, progress=LineProgress(self.stderr._out))
        sys.stdout.buffer.write(repaired.encode("utf-8"))
        sys.stdout.buffer.flush()
        before, after = text.split("\n"), repaired.split("\n")
        changed = sum(1 for a, b in zip(before, after, strict=True) if a != b)
        self.stderr.write(f"ซ่อมแล้ว {changed:,} บรรทัด จากทั้งหมด {len(before):,} บรรทัด")

    @staticmethod
    def _read(read: Callable[[], bytes]) -> bytes:
        try:
            return read()
        except OutOfLimits as exc:
            raise CommandError(exc.message) from None
