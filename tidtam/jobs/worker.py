"""``tidtam worker``'s loop: the library's database worker, with recovery between runs.

The claiming (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive
transaction on SQLite), the running and the recording of results are
django-tasks-db's ``Worker``. Around it: before looking for work, and again
after every ``RECOVER_EVERY`` tasks, tasks of dead workers are put back in the
queue (``recovery.recover``); and on PostgreSQL a claimed task is held by an
advisory lock, which is how other workers know this one is alive.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.db.models.signals import post_save
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult

from tidtam.jobs.recovery import hold, new_worker_id, recover, release

RECOVER_EVERY = 20
_current: dict[str, str] = {}


def _claimed(sender: Any, instance: DBTaskResult, update_fields: Any = None,
             **kwargs: Any) -> None:
    # ``claim`` saves status, start and worker ids inside the claiming
    # transaction: the lock is taken before anyone can see the task running.
    wid = _current.get("id")
    if (wid and update_fields and "worker_ids" in update_fields
            and instance.status == TaskResultStatus.RUNNING and instance.worker_ids[-1:] == [wid]):
        hold(instance.id)


class Worker(DBWorker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ran = 0

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            self.ran += 1
            release(db_task_result.id)


def run(queues: list[str] | None = None, *, batch: bool = False, interval: float = 1.0,
        max_tasks: int | None = None, worker_id: str | None = None) -> int:
    """Run tasks until told to stop (or, with ``batch``, until none is waiting).

    Returns how many tasks ran. ``queues``: the queue names, all by default.
    """
    wid = worker_id or new_worker_id()
    _current["id"] = wid
    post_save.connect(_claimed, sender=DBTaskResult, dispatch_uid="tidtam.jobs.claimed")
    total = 0
    # The library's worker installs its own signal handlers (finish the task on
    # SIGTERM); put back whatever the caller had, e.g. when run inside a command.
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        while True:
            recover()
            limit = RECOVER_EVERY if max_tasks is None else min(RECOVER_EVERY, max_tasks - total)
            w = Worker(queue_names=queues or ["*"], interval=interval, batch=True,
                       backend_name="default", startup_delay=False, max_tasks=limit,
                       worker_id=wid, excluded_queue_names=[])
            w.configure_signals()
            w.run()
            total += w.ran
            if not w.running or (max_tasks is not None and total >= max_tasks):
                break
            if w.ran == 0:  # nothing waiting
                if batch:
                    break
                time.sleep(interval)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        post_save.disconnect(sender=DBTaskResult, dispatch_uid="tidtam.jobs.claimed")
        _current.pop("id", None)
    return total
