"""``tidtam report esa-sheet --org CODE --year 2566 --format pdf [-o FILE]`` and
``tidtam report synthesis --year 2566 [--round 12m] --format pdf [-o FILE]``.

``--all -o DIR`` makes every area office's sheet as background jobs in the
database queue (``tidtam.analytics.jobs``), run by ``--workers`` worker
processes started here (and by any ``tidtam worker`` running elsewhere against
the same database). Run it again after an interruption: finished sheets are
kept, the rest is made.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.documents.esa_sheet import SheetUnavailable, build_sheet
from tidtam.documents.render import FORMATS, render
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = ("สร้างรายงาน: esa-sheet = ผลการติดตาม ประเมินผลของสำนักงานเขตพื้นที่การศึกษา, "
            "synthesis = ผลการสังเคราะห์ระดับประเทศ")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        sheet = sub.add_parser("esa-sheet", help="ผลการประเมินของเขตพื้นที่ (แบบ e-MES)")
        which = sheet.add_mutually_exclusive_group(required=True)
        which.add_argument("--org", help="รหัสหน่วยงาน")
        which.add_argument("--all", action="store_true",
                           help="ทุกสำนักงานเขตพื้นที่ เป็นงานเบื้องหลัง (-o คือโฟลเดอร์)")
        sheet.add_argument("--year", required=True, type=int, help="ปีงบประมาณ พ.ศ.")
        sheet.add_argument("--format", default="html", choices=FORMATS)
        sheet.add_argument("-o", "--output", type=Path, default=None,
                           help="ไฟล์ผลลัพธ์ (ไม่ระบุ = พิมพ์ออกทางหน้าจอ); กับ --all คือโฟลเดอร์")
        sheet.add_argument("--workers", type=int, default=2,
                           help="จำนวนกระบวนการ worker ที่เริ่มในเครื่องนี้ "
                                "(0 = ทำในกระบวนการนี้เอง)")

        from tidtam.analytics.synthesis_render import FORMATS as SYNTHESIS_FORMATS
        from tidtam.analytics.views import FRAMEWORK

        synthesis = sub.add_parser("synthesis", help="ผลการสังเคราะห์ระดับประเทศ (แบบ สพฐ.)")
        synthesis.add_argument("--year", required=True, type=int, help="ปีงบประมาณ พ.ศ.")
        synthesis.add_argument("--round", default=None,
                               help="รอบการรายงาน เช่น 6m, 12m (ไม่ระบุ = รอบสุดท้ายของปี)")
        synthesis.add_argument("--framework", default=FRAMEWORK, help="รหัสกรอบการประเมิน")
        synthesis.add_argument("--format", default="html", choices=SYNTHESIS_FORMATS)
        synthesis.add_argument("-o", "--output", type=Path, default=None,
                               help="ไฟล์ผลลัพธ์ (ไม่ระบุ = พิมพ์ออกทางหน้าจอ)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"] == "synthesis":
            self._write(self._synthesis(options), options["output"])
            return
        if options["all"]:
            self._all(options)
            return
        org = OrgUnit.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"ไม่พบหน่วยงานรหัส '{options['org']}'")
        if not org.is_area_office:
            raise CommandError(f"{org.display_name} ไม่ใช่สำนักงานเขตพื้นที่การศึกษา")
        try:
            sheet = build_sheet(org, options["year"])
        except SheetUnavailable as exc:
            raise CommandError(str(exc)) from None
        self._write(render(sheet, options["format"]), options["output"])

    def _write(self, data: bytes, out: Path | None) -> None:
        if out is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            self.stderr.write(f"บันทึก {out} ({len(data):,} ไบต์)")

    def _synthesis(self, options: dict[str, Any]) -> bytes:
        from tidtam.analytics.synthesis import build_synthesis
        from tidtam.analytics.synthesis_render import RENDERERS
        from tidtam.frameworks.models import Framework

        fw = Framework.objects.filter(code=options["framework"],
                                      fiscal_year=options["year"]).first()
        if fw is None:
            years = sorted(Framework.objects.filter(code=options["framework"])
                           .values_list("fiscal_year", flat=True))
            raise CommandError(
                f"ไม่มีกรอบการประเมิน '{options['framework']}' ของปีงบประมาณ {options['year']}"
                + (f" (มีปี {', '.join(map(str, years))})" if years else ""))
        rounds = list(fw.rounds)
        wanted = options["round"] or rounds[-1]
        if wanted not in rounds:
            raise CommandError(f"กรอบ {fw.full_name} ไม่มีรอบ '{wanted}' (มี {', '.join(rounds)})")
        return RENDERERS[options["format"]](build_synthesis(fw, wanted))

    def _all(self, options: dict[str, Any]) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        from tidtam.analytics.jobs import (
            batch_progress,
            claim,
            enqueue_sheets,
            requeue_dead_local,
            requeue_stale,
            run,
            worker_name,
        )
        from tidtam.analytics.models import Job
        from tidtam.analytics.usage import usage_text

        out: Path | None = options["output"]
        if out is None or out.suffix:
            raise CommandError("ใช้ --all ต้องระบุโฟลเดอร์ผลลัพธ์ด้วย -o DIR")
        if options["workers"] < 0:
            raise CommandError("--workers ต้องไม่ติดลบ")
        try:
            build_sheet(OrgUnit.objects.area_offices().order_by("code")[0], options["year"])
        except (SheetUnavailable, IndexError) as exc:
            raise CommandError(str(exc) or "ไม่มีสำนักงานเขตพื้นที่การศึกษา") from None
        out.mkdir(parents=True, exist_ok=True)
        batch, added = enqueue_sheets(options["year"], options["format"], out)
        back = requeue_dead_local(batch) + requeue_stale(batch)
        start = batch_progress(batch)
        self.stderr.write(f"ชุดงาน {batch}: ทั้งหมด {start.total} เขต เพิ่มใหม่ {added} "
                          f"เสร็จไว้ก่อนแล้ว {start.done} นำกลับเข้าคิว {back}")
        procs = [
            subprocess.Popen([sys.executable, "-m", "tidtam.cli", "worker", "--batch", batch])
            for _ in range(options["workers"] if start.queued else 0)
        ]
        with Progress(*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn()) as bar:
            task = bar.add_task("สร้างเอกสาร", total=start.total)
            while options["workers"] == 0 and (job := claim(worker_name(), batch)):
                run(job)
                p = batch_progress(batch)
                bar.update(task, completed=p.done + p.failed)
            while True:
                p = batch_progress(batch)
                bar.update(task, completed=p.done + p.failed)
                if p.finished or (procs and all(x.poll() is not None for x in procs)):
                    break
                time.sleep(0.5)
        for x in procs:
            x.wait()
        p = batch_progress(batch)
        self.stderr.write(f"เสร็จ {p.done} ไม่สำเร็จ {p.failed} ค้างในคิว {p.queued + p.running}"
                          f" (กระบวนการนี้: {usage_text()})")
        if p.failed:
            for job in Job.objects.filter(batch=batch, state=Job.State.FAILED)[:10]:
                self.stderr.write(f"  {job.key}: {job.error.splitlines()[0] if job.error else ''}")
            raise CommandError("บางเขตสร้างเอกสารไม่สำเร็จ: เรียกคำสั่งเดิมอีกครั้งเพื่อทำต่อ")
