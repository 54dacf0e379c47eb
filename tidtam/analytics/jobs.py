"""A small job queue in the database: batch documents made by several worker processes.

Workers on one machine or many claim jobs from the same table. On PostgreSQL
a claim is ``SELECT … FOR UPDATE SKIP LOCKED``: two workers never wait on or
take the same row. SQLite has no row locks; there the claim runs in an
IMMEDIATE transaction (tidtam's SQLite setting), which takes the database's
write lock first, and a conditional UPDATE (state still queued) makes a
double claim impossible even so.

A batch is resumable: its name says what it makes (year, format, folder), a
job per office is created once, jobs already done are never redone, and jobs
left running by a worker that died are put back in the queue after a while
(``requeue_stale``).
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import OperationalError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from tidtam.analytics.models import Job
from tidtam.orgs.models import OrgUnit

SHEET = "esa-sheet"
STALE_AFTER = timedelta(minutes=10)


def sheet_batch_name(year: int, fmt: str, out_dir: Path) -> str:
    digest = hashlib.sha1(str(out_dir.resolve()).encode()).hexdigest()[:8]
    return f"{SHEET}-{year}-{fmt}-{digest}"


def enqueue_sheets(year: int, fmt: str, out_dir: Path) -> tuple[str, int]:
    """One job per active area office; returns (batch, jobs added now)."""
    batch = sheet_batch_name(year, fmt, out_dir)
    offices = OrgUnit.objects.area_offices().filter(is_active=True).order_by("code")
    have = set(Job.objects.filter(batch=batch).values_list("key", flat=True))
    new = [
        Job(batch=batch, kind=SHEET, key=o.code,
            params={"org": o.code, "year": year, "format": fmt,
                    "output": str(out_dir.resolve() / f"esa-sheet-{o.code}-{year}.{fmt}")})
        for o in offices if o.code not in have
    ]
    Job.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return batch, len(new)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(worker: str, batch: str | None = None) -> Job | None:
    """Take the oldest queued job, or None when there is none left."""
    for _attempt in range(20):
        try:
            with transaction.atomic():
                qs = Job.objects.filter(state=Job.State.QUEUED).order_by("pk")
                if batch:
                    qs = qs.filter(batch=batch)
                if connection.features.has_select_for_update_skip_locked:
                    qs = qs.select_for_update(skip_locked=True)
                job = qs.first()
                if job is None:
                    return None
                now = timezone.now()
                took = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
                    state=Job.State.RUNNING, worker=worker, started_at=now,
                    attempts=job.attempts + 1)
                if took:
                    job.refresh_from_db()
                    return job
        except OperationalError:  # SQLite busy under several writers: wait and retry
            time.sleep(0.05)
    return None


def run(job: Job) -> None:
    """Make the job's document; the job ends done or failed, never running."""
    try:
        if job.kind != SHEET:
            raise ValueError(f"ไม่รู้จักงานประเภท '{job.kind}'")
        from tidtam.documents.esa_sheet import build_sheet
        from tidtam.documents.render import render

        p = job.params
        out = Path(p["output"])
        org = OrgUnit.objects.get(code=p["org"])
        data = render(build_sheet(org, int(p["year"])), p["format"])
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(out.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)  # a file in the folder is always a whole document
        _finish(job, Job.State.DONE, output=str(out))
    except Exception as exc:
        _finish(job, Job.State.FAILED, error=f"{exc}\n{traceback.format_exc(limit=3)}")


def _finish(job: Job, state: str, output: str = "", error: str = "") -> None:
    for _attempt in range(20):
        try:
            Job.objects.filter(pk=job.pk).update(state=state, output=output, error=error,
                                                 finished_at=timezone.now())
            return
        except OperationalError:
            time.sleep(0.05)


def work(batch: str | None = None, worker: str | None = None, limit: int | None = None) -> int:
    """Run jobs until the queue is empty (or ``limit`` jobs); returns how many ran."""
    worker = worker or worker_name()
    done = 0
    while limit is None or done < limit:
        job = claim(worker, batch)
        if job is None:
            break
        run(job)
        done += 1
    return done


def requeue_stale(batch: str | None = None, older_than: timedelta = STALE_AFTER) -> int:
    """Jobs a dead worker left running go back to the queue; failed ones get another try."""
    qs = Job.objects.filter(state=Job.State.RUNNING, started_at__lt=timezone.now() - older_than)
    failed = Job.objects.filter(state=Job.State.FAILED)
    if batch:
        qs, failed = qs.filter(batch=batch), failed.filter(batch=batch)
    return qs.update(state=Job.State.QUEUED) + failed.update(state=Job.State.QUEUED, error="")


def requeue_dead_local(batch: str) -> int:
    """Jobs left running by a worker process of this machine that no longer exists."""
    host = socket.gethostname()
    back = 0
    for job in Job.objects.filter(batch=batch, state=Job.State.RUNNING):
        name, _, pid = job.worker.rpartition(":")
        if name != host or not pid.isdigit() or _alive(int(pid)):
            continue
        back += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.QUEUED)
    return back


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class BatchProgress:
    batch: str
    total: int
    queued: int
    running: int
    done: int
    failed: int

    @property
    def finished(self) -> bool:
        return self.queued == 0 and self.running == 0

    @property
    def percent(self) -> int:
        return (self.done + self.failed) * 100 // self.total if self.total else 100


def batch_progress(batch: str) -> BatchProgress:
    counts = dict(Job.objects.filter(batch=batch).values_list("state").annotate(n=Count("pk"))
                  .values_list("state", "n"))
    return BatchProgress(batch, sum(counts.values()), counts.get(Job.State.QUEUED, 0),
                         counts.get(Job.State.RUNNING, 0), counts.get(Job.State.DONE, 0),
                         counts.get(Job.State.FAILED, 0))


def recent_batches(limit: int = 10) -> list[str]:
    seen: list[str] = []
    for b in Job.objects.order_by("-pk").values_list("batch", flat=True)[:5000]:
        if b not in seen:
            seen.append(b)
        if len(seen) >= limit:
            break
    return seen
