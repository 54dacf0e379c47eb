"""``tidtam search reindex``: rebuild the search index from the whole database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tidtam.search.index import reindex
from tidtam.search.sources import Source


class Command(BaseCommand):
    help = "ดัชนีค้นหาข้อความ (reindex: สร้างใหม่จากข้อมูลทั้งหมด ทำซ้ำได้)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("reindex", help="สร้าง/ปรับปรุงดัชนีจากข้อมูลทั้งหมด")
        rebuild.add_argument("--full", action="store_true",
                        help="ตัดคำใหม่ทุกข้อความ (หลังปรับปรุง PyThaiNLP หรือวิธีซ่อมข้อความ)")
        rebuild.add_argument("--background", action="store_true",
                             help="เข้าคิวให้ tidtam worker ทำ แล้วออกเลย")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            from tidtam.jobs.tasks import enqueue_once
            from tidtam.search.tasks import reindex_search

            task_id = enqueue_once(reindex_search, full=options["full"])
            self.stderr.write(f"เข้าคิวสร้างดัชนีค้นหาใหม่แล้ว (งาน {task_id}) "
                              "ดูความคืบหน้าที่ /analytics/jobs/")
            return
        def progress(source: Source, done: int, total: int) -> None:
            self.stderr.write(f"{source.kind.label}: {done}/{total}")

        result = reindex(progress, full=options["full"])
        self.stdout.write(self.style.SUCCESS(result.summary()))
