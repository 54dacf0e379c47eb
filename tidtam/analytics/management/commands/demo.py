"""``tidtam demo --scale national``: a synthetic country for dashboards and benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tidtam.analytics.national import SCALES, build_country
from tidtam.orgs.models import OrgUnit
from tidtam.search.index import reindex

STAGES = {"offices": "สำนักงานเขตพื้นที่", "schools": "สถานศึกษา"}


class Command(BaseCommand):
    help = "สร้างข้อมูลจำลองระดับประเทศ (สพท. ประมาณ 245 เขต โรงเรียนประมาณ 29,000 แห่ง 2 ปีงบประมาณ)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default="national", choices=sorted(SCALES),
                            help="national = ทั้งประเทศ, small = ชุดเล็กสำหรับทดสอบ")
        parser.add_argument("--seed", type=int, default=2566, help="ค่าเริ่มต้นสุ่ม (ค่าเดิม = ข้อมูลเดิม)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not OrgUnit.objects.filter(code="OBEC").exists():
            raise CommandError("ยังไม่มีข้อมูลหน่วยงานตัวอย่าง: เรียก `tidtam init --demo` ก่อน")
        started = time.monotonic()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=None, transient=False) as bar:
            tasks: dict[str, Any] = {}

            def report(stage: str, done: int, total: int, label: str = "") -> None:
                label = label or STAGES.get(
                    stage, f"รายงานและผลการประเมิน {stage}".replace("QP ", "QP ปี "))
                if stage not in tasks:
                    tasks[stage] = bar.add_task(label, total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            result = build_country(SCALES[options["scale"]], options["seed"], report)
            if not result.already:
                # The generator writes in bulk, which sends no signals: without
                # this, search would find none of the new texts until someone
                # thought of `tidtam search reindex`.
                indexed = reindex(lambda source, done, total: report(
                    f"search-{source.kind}", done, total, f"ดัชนีค้นหา: {source.kind.label}"))
        took = time.monotonic() - started
        if result.already:
            self.stdout.write("ข้อมูลจำลองมีอยู่แล้ว ไม่มีการเปลี่ยนแปลง")
            return
        self.stdout.write(
            f"สร้าง สพท. {result.offices_created:,} เขต สถานศึกษา {result.schools_created:,} แห่ง "
            f"รายงาน {result.submissions:,} ฉบับ ข้อมูลตัวเลข {result.values:,} รายการ "
            f"ผลการประเมิน {result.ratings:,} รายการ ใช้เวลา {took:.1f} วินาที"
        )
        self.stdout.write(indexed.summary())
