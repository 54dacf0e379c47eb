"""The embedded SQLite database runs in WAL mode: the file, the server's and the tests' connections.

WAL lets the web server read while a command or worker writes; without it
every write blocks every reader. The mode is stored in the file, so it is
checked in the file itself (read back with Python's own sqlite3, outside
Django), and on the connections Django opens — including the ones a test
and a live server thread make.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

REPO = Path(__file__).resolve().parents[2]


def _pragma(cursor: object, name: str) -> str:
    cursor.execute(f"PRAGMA {name}")  # type: ignore[attr-defined]
    return str(cursor.fetchone()[0]).lower()  # type: ignore[attr-defined]


def test_a_new_embedded_database_is_created_in_wal_mode(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
           "TIDTAM_DEBUG": "1", "TIDTAM_DATA_DIR": str(tmp_path), "LANG": "C.UTF-8"}
    out = subprocess.run([sys.executable, "-m", "tidtam.cli", "migrate", "-v", "0",
                          "contenttypes"], env=env, cwd=REPO, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    raw = sqlite3.connect(tmp_path / "tidtam.sqlite3")
    try:
        assert _pragma(raw.cursor(), "journal_mode") == "wal"
    finally:
        raw.close()


@pytest.mark.django_db(transaction=True)
def test_the_test_and_server_thread_connections_are_in_wal_mode() -> None:
    if connection.vendor != "sqlite":
        # The PostgreSQL run has no journal mode to check; the file test above
        # covers the embedded default there too.
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cur:
        assert _pragma(cur, "journal_mode") == "wal"
        assert _pragma(cur, "synchronous") == "1"  # NORMAL
        assert int(_pragma(cur, "busy_timeout")) >= 5000
    assert not connection.is_in_memory_db()
    seen: list[str] = []

    def other_thread() -> None:
        # A live server's request thread opens a connection of its own.
        try:
            with connections["default"].cursor() as cur:
                seen.append(_pragma(cur, "journal_mode"))
        finally:
            connections.close_all()

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert seen == ["wal"]


def test_check_deploy_warns_about_an_sqlite_file_that_is_not_in_wal(
        tmp_path: Path, django_db_blocker: Any) -> None:
    """What `check --deploy` says when the switch to WAL did not take (a network
    file system): here a connection opened without tidtam's init command."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from tidtam.ops.checks import journal_mode_warnings

    db = tmp_path / "tidtam.sqlite3"
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE t (x)")
    raw.close()
    settings = {**connections["default"].settings_dict, "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(db), "OPTIONS": {}}
    plain = DatabaseWrapper(settings, alias="plain")
    with django_db_blocker.unblock():
        try:
            warnings = journal_mode_warnings(plain)
        finally:
            plain.close()
    assert [w.id for w in warnings] == ["tidtam.W001"]
    assert "ไม่ได้อยู่ในโหมด WAL (เป็น delete)" in warnings[0].msg
    tidtam_way = DatabaseWrapper({**settings, "OPTIONS": dict(
        connections["default"].settings_dict.get("OPTIONS", {}),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")}, alias="wal")
    with django_db_blocker.unblock():
        try:
            assert journal_mode_warnings(tidtam_way) == []
        finally:
            tidtam_way.close()
