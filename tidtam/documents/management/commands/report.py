"""``tidtam report esa-sheet --org CODE --year 2566 --format pdf [-o FILE]`` and
``tidtam report synthesis --year 2566 [--round 12m] --format pdf [-o FILE]``.

``--all -o DIR`` makes every area office's sheet as background tasks, one
per office (``tidtam.documents.tasks.make_sheet``), on the "documents" queue:
run by ``--workers`` worker processes started here, by any ``tidtam worker``
running elsewhere against the same database, or (``--workers 0``) in this
process. Run it again after an interruption: an unfinished batch is taken up
where it stopped, and a sheet already made from the same inputs is skipped.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks import TaskResultStatus

from tidtam.analytics.usage import usage_text
from tidtam.documents.esa_sheet import SheetUnavailable, build_sheet
from tidtam.documents.render import FORMATS, render
from tidtam.orgs.models import OrgUnit


def batch_base(year: int, fmt: str, out_dir: Path) -> str:
    digest = hashlib.sha1(str(out_dir.resolve()).encode()).hexdigest()[:8]
    return f"esa-sheet-{year}-{fmt}-{digest}"


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
        sheet.add_argument("--under", default=None,
                           help="กับ --all: เฉพาะเขตพื้นที่ภายใต้หน่วยงานรหัสนี้ (เช่น REO15)")
        sheet.add_argument("--workers", type=int, default=2,
                           help="จำนวนกระบวนการ worker ที่เริ่มในเครื่องนี้ "
                                "(0 = ทำในกระบวนการนี้เอง)")
        sheet.add_argument("--enqueue-only", action="store_true",
                           help="กับ --all: เข้าคิวแล้วออกเลย ให้ tidtam worker ที่อื่นทำ")

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

    def _offices(self, under: str | None) -> list[OrgUnit]:
        offices = OrgUnit.objects.area_offices().filter(is_active=True).order_by("code")
        if under:
            top = OrgUnit.objects.filter(code=under).first()
            if top is None:
                raise CommandError(f"ไม่พบหน่วยงานรหัส '{under}'")
            from tidtam.analytics.aggregate import offices_for

            wanted = {o.pk for o in offices_for(top)}
            return [o for o in offices if o.pk in wanted]
        return list(offices)

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
        from tidtam.documents.tasks import clean_leftovers, make_sheet
        from tidtam.jobs.progress import batch_progress, batched
        from tidtam.jobs.recovery import recover

        out: Path | None = options["output"]
        if out is None or out.suffix:
            raise CommandError("ใช้ --all ต้องระบุโฟลเดอร์ผลลัพธ์ด้วย -o DIR")
        if options["workers"] < 0:
            raise CommandError("--workers ต้องไม่ติดลบ")
        year, fmt = options["year"], options["format"]
        offices = self._offices(options["under"])
        if not offices:
            raise CommandError("ไม่มีสำนักงานเขตพื้นที่การศึกษาที่จะสร้างเอกสาร")
        try:
            build_sheet(offices[0], year)
        except SheetUnavailable as exc:
            raise CommandError(str(exc)) from None
        out.mkdir(parents=True, exist_ok=True)
        back = recover()
        base = batch_base(year, fmt, out)
        # An unfinished batch for the same year, format and folder is taken up again.
        open_ = (batched().filter(args_kwargs__kwargs__batch__startswith=f"{base}.")
                 .exclude(status=TaskResultStatus.SUCCESSFUL).order_by("-enqueued_at")
                 .values_list("args_kwargs__kwargs__batch", flat=True).first())
        if open_:
            batch = str(open_)
            from tidtam.jobs.progress import in_batch

            retried = in_batch(batch).filter(status=TaskResultStatus.FAILED).update(
                status=TaskResultStatus.READY, started_at=None, finished_at=None,
                exception_class_path="", traceback="")
            have = set(in_batch(batch).values_list("args_kwargs__kwargs__org", flat=True))
            added = 0
            for o in offices:
                if o.code not in have:
                    self._enqueue(make_sheet, o, year, fmt, out, batch)
                    added += 1
            self.stderr.write(f"ทำชุดงาน {batch} ต่อจากครั้งก่อน: เพิ่ม {added} เขต "
                              f"ลองใหม่ {retried} งานที่ไม่สำเร็จ "
                              f"นำกลับเข้าคิว {back.requeued} งานที่ค้าง")
        else:
            # To the microsecond: a batch of small files can finish, and the next
            # start, within the same second, and two batches must never share a name.
            batch = f"{base}.{timezone.now():%Y%m%dT%H%M%S%f}"
            for o in offices:
                self._enqueue(make_sheet, o, year, fmt, out, batch)
            self.stderr.write(f"ชุดงาน {batch}: {len(offices)} เขต เข้าคิวแล้ว")
        if options["enqueue_only"]:
            return
        start = batch_progress(batch)
        if options["workers"] == 0:
            from tidtam.jobs.worker import run

            run(["documents"], batch=True)
        procs = [
            subprocess.Popen([sys.executable, "-m", "tidtam.cli", "worker", "--queue",
                              "documents", "--batch", "--verbosity", "0"])
            for _ in range(options["workers"] if start.queued else 0)
        ]
        self._follow(batch, start.total, procs)
        for x in procs:
            x.wait()
        p = batch_progress(batch)
        if p.finished:
            clean_leftovers(out)
        self.stderr.write(f"สร้างใหม่ {p.made} ข้าม (ข้อมูลเดิม) {p.skipped} "
                          f"ไม่สำเร็จ {p.failed} ค้างในคิว {p.queued + p.running} "
                          f"(กระบวนการนี้: {usage_text()})")
        if p.failed:
            from tidtam.jobs.progress import in_batch, task_line

            for row in in_batch(batch).filter(status=TaskResultStatus.FAILED)[:10]:
                line = task_line(row)
                self.stderr.write(f"  {row.args_kwargs['kwargs'].get('org')}: {line.summary}")
            raise CommandError("บางเขตสร้างเอกสารไม่สำเร็จ: เรียกคำสั่งเดิมอีกครั้งเพื่อทำต่อ")

    @staticmethod
    def _enqueue(make_sheet: Any, o: OrgUnit, year: int, fmt: str, out: Path,
                 batch: str) -> None:
        make_sheet.enqueue(org=o.code, year=year, fmt=fmt, batch=batch,
                           output=str(out.resolve() / f"esa-sheet-{o.code}-{year}.{fmt}"))

    def _follow(self, batch: str, total: int, procs: list[subprocess.Popen[bytes]]) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        from tidtam.jobs.progress import batch_progress

        with Progress(*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=None) as bar:
            task = bar.add_task("สร้างเอกสาร", total=total)
            while True:
                p = batch_progress(batch)
                bar.update(task, completed=p.done + p.failed)
                # Without local workers, wait for the batch; with them, stop when they
                # are all gone (what is left waits for workers elsewhere).
                if p.finished or (procs and all(x.poll() is not None for x in procs)):
                    break
                time.sleep(0.5)
