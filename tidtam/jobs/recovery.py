"""Tasks a dead worker left running go back to the queue.

A worker marks the task it claims as running and only marks it finished
when it is done, so a worker killed in between (``kill -9``, a reboot, a
machine lost) leaves the task running for ever. Before it looks for work,
every worker asks of each running task: is the worker that holds it alive?

- On PostgreSQL the worker holds a session advisory lock on the task's id
  from the moment it claims the task (in the claiming transaction) until it
  has recorded the result. A lock is released when its connection ends, so a
  lock that can be taken means the holder is gone, whatever machine it ran
  on, with no clocks or timeouts involved.
- On SQLite (one machine by nature) the worker's id names its host and
  process id, and a process that no longer exists is dead.

A task found so is queued again, up to ``MAX_ATTEMPTS`` attempts; after that
it fails with a Thai message (a document that kills its worker every time
must not stop the queue). Running a task again must not do its work twice:
tidtam's tasks are written to be idempotent (a batch document is skipped when
it was already made from the same inputs, a reminder is recorded before it is
sent).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

MAX_ATTEMPTS = 3
# The worker id the library accepts is at most 64 characters.
_HOST = socket.gethostname()[:40]


class Interrupted(RuntimeError):
    """The task's worker stopped in the middle of it too many times."""


def new_worker_id() -> str:
    return f"{_HOST}:{os.getpid()}:{get_random_string(8)}"


def _parse(worker_id: str) -> tuple[str, int] | None:
    host, sep, rest = worker_id.partition(":")
    pid, sep2, _ = rest.partition(":")
    if not sep or not sep2 or not pid.isdigit():
        return None  # not one of ours (a plain db_worker): its liveness is unknown
    return host, int(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child nobody has waited for yet is a zombie: dead all the same
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


_KEY = "hashtextextended(%s, 0)"


def hold(task_id: object) -> None:
    """Mark the task as held by this process for as long as its connection lives."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SELECT pg_advisory_lock({_KEY})", [str(task_id)])


def release(task_id: object) -> None:
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cur:
            cur.execute(f"SELECT pg_advisory_unlock({_KEY})", [str(task_id)])


def holder_is_dead(row: DBTaskResult) -> bool:
    parsed = _parse(row.worker_ids[-1]) if row.worker_ids else None
    if parsed is None:
        return False
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SELECT pg_try_advisory_lock({_KEY})", [str(row.id)])
            free = bool(cur.fetchone()[0])
            if free:
                cur.execute(f"SELECT pg_advisory_unlock({_KEY})", [str(row.id)])
        return free
    host, pid = parsed
    return host == _HOST and not _alive(pid)


@dataclass
class Recovered:
    requeued: int = 0
    failed: int = 0


def recover() -> Recovered:
    """Put back in the queue every running task whose worker is gone."""
    done = Recovered()
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if not holder_is_dead(row):
            continue
        # Conditional on the claim we looked at: a task another worker has
        # recovered and claimed again since has a new start time and is left alone.
        same = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING,
                                           started_at=row.started_at)
        if len(row.worker_ids) >= MAX_ATTEMPTS:
            done.failed += same.update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path=f"{Interrupted.__module__}.{Interrupted.__qualname__}",
                traceback=f"ผู้ทำงานหยุดกลางคันระหว่างทำงานนี้ {len(row.worker_ids)} ครั้ง "
                          "จึงไม่ลองใหม่อีก",
            )
        else:
            done.requeued += same.update(status=TaskResultStatus.READY, started_at=None)
    return done
