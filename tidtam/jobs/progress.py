"""What the jobs page shows: batches with their progress, and single tasks with their result.

A batch is the set of tasks queued with the same ``batch`` keyword argument
(one per document); its progress is the count of its tasks per status, read
from the backend's own table. A single task shows its status and, when it
has finished, the Thai ``summary`` (and ``url``) its return value carries, or
a Thai line for a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tidtam.jobs.tasks import label_of

STATUS_TH = {
    TaskResultStatus.READY: "รอดำเนินการ",
    TaskResultStatus.RUNNING: "กำลังดำเนินการ",
    TaskResultStatus.SUCCESSFUL: "เสร็จแล้ว",
    TaskResultStatus.FAILED: "ไม่สำเร็จ",
}


def in_batch(batch: str) -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(args_kwargs__kwargs__batch=batch)


def batched() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(args_kwargs__kwargs__has_key="batch").exclude(
        args_kwargs__kwargs__batch="")


@dataclass
class BatchProgress:
    batch: str
    label: str
    total: int
    queued: int
    running: int
    done: int
    failed: int
    made: int
    skipped: int
    started: datetime | None
    last: datetime | None

    @property
    def finished(self) -> bool:
        return self.queued == 0 and self.running == 0

    @property
    def percent(self) -> int:
        return (self.done + self.failed) * 100 // self.total if self.total else 100


def batch_progress(batch: str) -> BatchProgress:
    rows = in_batch(batch)
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    span = rows.aggregate(first=Min("enqueued_at"), last=Max("finished_at"))
    path = rows.values_list("task_path", flat=True).first() or ""
    made = skipped = 0
    for value in rows.filter(status=TaskResultStatus.SUCCESSFUL).values_list(
            "return_value", flat=True):
        if isinstance(value, dict) and "made" in value:
            made, skipped = made + bool(value["made"]), skipped + (not value["made"])
    return BatchProgress(
        batch, label_of(path), sum(counts.values()), counts.get(TaskResultStatus.READY, 0),
        counts.get(TaskResultStatus.RUNNING, 0), counts.get(TaskResultStatus.SUCCESSFUL, 0),
        counts.get(TaskResultStatus.FAILED, 0), made, skipped, span["first"], span["last"])


def recent_batches(limit: int = 10) -> list[str]:
    seen: list[str] = []
    for b in batched().order_by("-enqueued_at").values_list(
            "args_kwargs__kwargs__batch", flat=True)[:5000]:
        if b not in seen:
            seen.append(b)
            if len(seen) >= limit:
                break
    return seen


@dataclass
class TaskLine:
    id: str
    label: str
    status: str
    status_th: str
    enqueued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    summary: str
    url: str

    @property
    def finished(self) -> bool:
        return self.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


FAILED_TH = "ทำงานไม่สำเร็จ"


def task_line(row: DBTaskResult) -> TaskLine:
    value: Any = row.return_value
    summary = url = ""
    if row.status == TaskResultStatus.SUCCESSFUL and isinstance(value, dict):
        summary, url = str(value.get("summary", "")), str(value.get("url", ""))
    elif row.status == TaskResultStatus.FAILED:
        # The exception's own line, not the traceback (that stays in the admin).
        lines = [line for line in row.traceback.splitlines() if line.strip()]
        summary = f"{FAILED_TH}: {lines[-1]}" if lines else FAILED_TH
    return TaskLine(str(row.id), label_of(row.task_path), row.status,
                    STATUS_TH.get(TaskResultStatus(row.status), row.status), row.enqueued_at,
                    row.started_at, row.finished_at, len(row.worker_ids), summary, url)


def single_tasks() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.exclude(args_kwargs__kwargs__has_key="batch")


def requested_by(user_id: int) -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(args_kwargs__kwargs__user_id=user_id)
