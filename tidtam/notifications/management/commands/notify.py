"""``tidtam notify daily [--today YYYY-MM-DD] [--background]``: once a day, from cron or a timer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "การแจ้งเตือน (daily: แจ้งเปิดรอบ เตือนกำหนดส่ง และสรุปงานประจำวัน เรียกซ้ำได้ไม่ส่งซ้ำ)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        daily = sub.add_parser("daily", help="งานแจ้งเตือนประจำวัน (วันละครั้ง)")
        daily.add_argument("--today", default="", help="วันที่ (ค.ศ. YYYY-MM-DD) ค่าเริ่มต้น: วันนี้")
        daily.add_argument("--background", action="store_true",
                           help="เข้าคิวให้ tidtam worker ส่ง แทนการส่งในกระบวนการนี้")

    def handle(self, *args: Any, **options: Any) -> None:
        from tidtam.notifications.tasks import daily_notifications

        try:
            day = dt.date.fromisoformat(options["today"]) if options["today"] else \
                timezone.localdate()
        except ValueError:
            raise CommandError(f"วันที่ '{options['today']}' ไม่ถูกต้อง ใช้รูปแบบ 2023-09-30") from None
        if options["background"]:
            from tidtam.jobs.tasks import enqueue_once

            enqueue_once(daily_notifications, today=day.isoformat())
            self.stderr.write(f"เข้าคิวงานแจ้งเตือนประจำวันที่ {day.isoformat()} แล้ว")
            return
        result = daily_notifications.call(today=day.isoformat())
        self.stdout.write(result["summary"])
