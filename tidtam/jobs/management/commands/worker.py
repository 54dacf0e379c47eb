"""``tidtam worker``: run background tasks; start as many as you like, on any machine."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tidtam.analytics.usage import usage_text
from tidtam.jobs.recovery import new_worker_id
from tidtam.jobs.worker import run


class Command(BaseCommand):
    help = ("ทำงานเบื้องหลัง (สร้างเอกสาร นำเข้าไฟล์ ส่งการแจ้งเตือน ปรับดัชนีค้นหา) "
            "เปิดได้หลายกระบวนการและหลายเครื่องที่ใช้ฐานข้อมูลเดียวกัน")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="*",
                            help="คิวที่ทำ คั่นด้วยจุลภาค (default, documents) ค่าเริ่มต้น: ทุกคิว")
        parser.add_argument("--batch", action="store_true",
                            help="ทำงานที่รออยู่ให้หมดแล้วออก (ไม่รองานใหม่)")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="เมื่อไม่มีงาน รอกี่วินาทีก่อนดูคิวอีกครั้ง")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="ทำงานครบจำนวนนี้แล้วออก")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] >= 1:
            log = logging.getLogger("django_tasks")
            if not log.handlers:
                log.addHandler(logging.StreamHandler(self.stderr))
            log.setLevel(logging.INFO if options["verbosity"] == 1 else logging.DEBUG)
        wid = new_worker_id()
        if options["verbosity"] >= 1:
            self.stderr.write(f"ผู้ทำงาน {wid} เริ่มทำงาน (คิว {options['queue']})")
        total = run(options["queue"].split(","), batch=options["batch"],
                    interval=options["interval"], max_tasks=options["max_tasks"], worker_id=wid)
        # Each worker's own peak memory and CPU: what sizing a machine for workers needs
        # (the sheets benchmark reads this line).
        self.stderr.write(f"ผู้ทำงาน {wid}: ทำงานเสร็จ {total} งาน {usage_text()}")
