"""Tasks left running by a dead worker go back to the queue; a live worker's are left alone."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tidtam.jobs.recovery import MAX_ATTEMPTS, new_worker_id, recover
from tidtam.jobs.tasks import enqueue_once, label_of, waiting
from tidtam.jobs.worker import run
from tidtam.search.tasks import reindex_search


def _running(worker_ids: list[str]) -> DBTaskResult:
    result = reindex_search.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_ids[-1])
    DBTaskResult.objects.filter(pk=row.pk).update(worker_ids=worker_ids)
    return DBTaskResult.objects.get(pk=row.pk)


def _dead_worker() -> str:
    # A process id that cannot exist on this host; on PostgreSQL nobody holds its lock.
    return f"{socket.gethostname()[:40]}:999999999:deadbeef"


def test_a_dead_workers_task_is_queued_again_then_given_up(db: None) -> None:
    row = _running([_dead_worker()])
    assert recover().requeued == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and row.started_at is None
    assert row.worker_ids == [_dead_worker()]  # the attempt stays counted

    worn = _running([_dead_worker()] * MAX_ATTEMPTS)
    got = recover()
    assert (got.requeued, got.failed) == (0, 1)
    worn.refresh_from_db()
    assert worn.status == TaskResultStatus.FAILED
    assert f"{MAX_ATTEMPTS} ครั้ง" in worn.traceback


def test_a_live_workers_task_is_left_running(db: None) -> None:
    if connection.vendor == "postgresql":
        # The worker holds the task's advisory lock on a connection of its own.
        import psycopg

        s = connection.settings_dict
        other = psycopg.connect(dbname=s["NAME"], host=s["HOST"] or "127.0.0.1",
                                port=s["PORT"] or 5432, user=s["USER"],
                                password=s["PASSWORD"] or None, autocommit=True)
        row = _running([new_worker_id()])
        other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [str(row.id)])
        try:
            assert recover().requeued == 0
        finally:
            other.close()
        assert recover().requeued == 1  # its connection gone: the worker is gone
    else:
        row = _running([f"{socket.gethostname()[:40]}:{os.getpid()}:alive"])
        assert recover().requeued == 0
    # A worker id that is not tidtam's (a plain db_worker) is never second-guessed.
    foreign = _running(["Zq3randomid"])
    recover()
    foreign.refresh_from_db()
    assert foreign.status == TaskResultStatus.RUNNING


def test_enqueue_once_does_not_queue_the_same_call_twice(db: None) -> None:
    a = enqueue_once(reindex_search, full=True)
    assert enqueue_once(reindex_search, full=True) == a
    assert enqueue_once(reindex_search, full=False) != a
    assert waiting(reindex_search, full=True) is not None
    assert label_of(reindex_search.module_path) == "สร้างดัชนีค้นหาใหม่"


def test_the_worker_runs_what_waits_and_restores_signal_handlers(db: None) -> None:
    import signal

    before = signal.getsignal(signal.SIGINT)
    result = reindex_search.enqueue()
    assert run(batch=True) == 1
    assert signal.getsignal(signal.SIGINT) is before
    row: Any = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert "ดัชนีค้นหา" in row.return_value["summary"]


@pytest.mark.parametrize("queue", ["documents"])
def test_a_worker_of_one_queue_leaves_the_others(db: None, queue: str) -> None:
    result = reindex_search.enqueue()
    assert run([queue], batch=True) == 0
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
