"""``tidtam worker``: run queued background jobs (batch documents) until none is left."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tidtam.analytics.jobs import work, worker_name
from tidtam.analytics.usage import usage_text


class Command(BaseCommand):
    help = "ทำงานเบื้องหลังที่รออยู่ในคิว (เช่น สร้างเอกสารทุกเขต) เปิดได้หลายกระบวนการ/หลายเครื่อง"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", default=None, help="ทำเฉพาะชุดงานนี้")
        parser.add_argument("--wait", action="store_true",
                            help="ไม่ออกเมื่อคิวว่าง รองานใหม่ต่อไป")

    def handle(self, *args: Any, **options: Any) -> None:
        name = worker_name()
        total = 0
        while True:
            total += work(options["batch"], name)
            if not options["wait"]:
                break
            time.sleep(2)
        # Each worker's own peak memory and CPU: what sizing a machine for --workers needs.
        self.stderr.write(f"{name}: ทำงานเสร็จ {total} งาน {usage_text()}")
