"""A worker killed in the middle of a batch: another takes over, nothing lost, nothing twice.

This runs real processes against a database of their own (a SQLite file, or a
PostgreSQL database beside the test database when the suite runs on
PostgreSQL): ``tidtam init --demo``; six offices' result sheets queued as PDF;
a ``tidtam worker`` killed with SIGKILL while it renders one; a second worker
started. The interrupted task must be taken up again (two attempts), every
office must have exactly one whole PDF, and the PDFs made before the kill must
be the very same files afterwards (same inode and time: not made again).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from pypdf import PdfReader

TABLE = "django_tasks_database_dbtaskresult"
UNDER = "REO15"  # the six demo offices serving Regional Education Office 15's provinces


class Database:
    """The processes' database, read directly by the test (no Django connection to it)."""

    def __init__(self, url: str, query: Any) -> None:
        self.url = url
        self.query = query

    def statuses(self) -> dict[str, int]:
        return dict(self.query(f"SELECT status, COUNT(*) FROM {TABLE} GROUP BY status"))

    def rows(self) -> list[tuple[str, str, str]]:
        return [(str(a), str(b), str(c)) for a, b, c in
                self.query(f"SELECT status, CAST(worker_ids AS TEXT), "
                                   f"CAST(return_value AS TEXT) FROM {TABLE}")]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        import psycopg

        name = f"{db['NAME']}_killed_worker"
        params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432,
                  "user": db["USER"], "password": db["PASSWORD"] or None}
        admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

        def query(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(dbname=name, autocommit=True, **params) as c:
                return list(c.execute(sql).fetchall())

        auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        yield Database(f"postgres://{auth}{params['host']}:{params['port']}/{name}", query)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    else:
        path = tmp_path / "tidtam.sqlite3"

        def query(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=30) as c:
                return list(c.execute(sql).fetchall())

        yield Database(f"sqlite:///{path}", query)


def tidtam(*args: str) -> list[str]:
    return [sys.executable, "-m", "tidtam.cli", *args]


def test_killing_a_worker_mid_batch_loses_no_document_and_makes_none_twice(
    database: Database, tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": database.url, "TIDTAM_DATA_DIR": str(tmp_path / "data"),
           "TIDTAM_DEBUG": "1"}
    run: dict[str, Any] = {"env": env, "capture_output": True, "text": True, "timeout": 600}
    out = tmp_path / "sheets"
    done = subprocess.run(tidtam("init", "--demo"), **run)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(tidtam("report", "esa-sheet", "--all", "--year", "2566",
                                 "--format", "pdf", "-o", str(out), "--under", UNDER,
                                 "--enqueue-only"), **run)
    assert done.returncode == 0, done.stderr
    total = sum(database.statuses().values())
    assert total == 6

    first = subprocess.Popen(tidtam("worker", "--queue", "documents", "--batch"), env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while True:  # two sheets made and the third being rendered
        s = database.statuses()
        if s.get("SUCCESSFUL", 0) >= 2 and s.get("RUNNING", 0) == 1:
            break
        assert first.poll() is None, "the first worker ended before it could be killed"
        assert time.monotonic() < deadline, s
        time.sleep(0.05)
    time.sleep(0.3)  # well inside the rendering of a PDF
    first.send_signal(signal.SIGKILL)
    first.wait()
    s = database.statuses()
    assert s.get("RUNNING") == 1, f"the kill did not interrupt a task: {s}"
    made_before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.pdf")}
    assert len(made_before) == s["SUCCESSFUL"] or len(made_before) == s["SUCCESSFUL"] + 1

    second = subprocess.run(tidtam("worker", "--queue", "documents", "--batch"), **run)
    assert second.returncode == 0, second.stderr
    assert database.statuses() == {"SUCCESSFUL": total}

    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == total
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        [p.name for p in pdfs]
    for p in pdfs:  # every PDF whole
        data = p.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), p.name
        assert len(PdfReader(p).pages) >= 1
    for name, (inode, mtime) in made_before.items():  # not made again
        st = (out / name).stat()
        assert (st.st_ino, st.st_mtime_ns) == (inode, mtime), name
    import json

    rows = database.rows()
    attempts = sorted(len(json.loads(w)) for _, w, _ in rows)
    assert attempts == [1] * (total - 1) + [2]  # the interrupted one, taken up once
    results = [json.loads(v) for _, _, v in rows]
    assert sorted(r["org"] for r in results) == sorted({r["org"] for r in results})
    made = [r for r in results if r["made"]]
    # Each document made once: the skipped ones (if the kill came after the rename)
    # are files that were there before the second worker started.
    assert len(made) + sum(Path(r["file"]).name in made_before for r in results
                           if not r["made"]) == total

    # Running the whole command again makes nothing and leaves no temporary file.
    after = {p.name: p.stat().st_ino for p in pdfs}
    again = subprocess.run(tidtam("report", "esa-sheet", "--all", "--year", "2566",
                                  "--format", "pdf", "-o", str(out), "--under", UNDER,
                                  "--workers", "1"), **run)
    assert again.returncode == 0, again.stderr
    assert "สร้างใหม่ 0 ข้าม (ข้อมูลเดิม) 6" in again.stderr
    assert not list((out / ".tidtam").glob(".*.part"))
    assert {p.name: p.stat().st_ino for p in out.glob("*.pdf")} == after
