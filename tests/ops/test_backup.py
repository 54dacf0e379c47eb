"""`tidtam backup` and `tidtam restore`, end to end, on the database kind of the test run.

A source site is made as an operator would (``tidtam init --demo`` plus
uploaded files, one with a Thai name, one binary), backed up, and restored
into an empty database and an empty data directory; then every table is
compared row for row and every file byte for byte, read with the database
drivers themselves (sqlite3, psycopg), not with tidtam's code. The SQLite
run uses files; the PostgreSQL run makes its own databases on the test
server (``DATABASE_URL``) and drops them afterwards.
"""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_URL = os.environ.get("DATABASE_URL", "")
ON_PG = TEST_URL.startswith(("postgres://", "postgresql://"))


@dataclass
class Site:
    data_dir: Path
    url: str

    def env(self) -> dict[str, str]:
        return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
                "LANG": "C.UTF-8", "TIDTAM_DEBUG": "1", "TIDTAM_DATA_DIR": str(self.data_dir),
                "DATABASE_URL": self.url}

    def tidtam(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tidtam.cli", *args], env=self.env(),
                              cwd=REPO, capture_output=True, text=True, timeout=600)

    @property
    def media(self) -> Path:
        return self.data_dir / "media"


def _pg_admin(sql: str) -> None:
    import psycopg

    parts = urlsplit(TEST_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
        c.execute(sql)


def _new_site(tmp: Path, name: str) -> Site:
    data = tmp / name
    if ON_PG:
        db = f"{urlsplit(TEST_URL).path.lstrip('/')}_{name}_{secrets.token_hex(3)}"
        _pg_admin(f'CREATE DATABASE "{db}"')
        return Site(data, urlunsplit(urlsplit(TEST_URL)._replace(path=f"/{db}")))
    return Site(data, f"sqlite:///{data / 'tidtam.sqlite3'}")


def _drop(site: Site) -> None:
    if ON_PG:
        _pg_admin(f'DROP DATABASE IF EXISTS "{urlsplit(site.url).path.lstrip("/")}" WITH (FORCE)')


def _tables(site: Site) -> dict[str, list[tuple[Any, ...]]]:
    """Every table and all its rows, sorted, straight from the driver."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    if ON_PG:
        import psycopg

        with psycopg.connect(site.url) as c:
            names = [r[0] for r in c.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
            for t in names:
                rows = c.execute(f'SELECT * FROM "{t}"').fetchall()
                out[t] = sorted(rows, key=repr)
            # Sequences too: a restored site must not hand out ids already used.
            for (seq,) in c.execute("SELECT sequencename FROM pg_sequences "
                                    "WHERE schemaname = 'public'").fetchall():
                out[f"sequence {seq}"] = [c.execute(f'SELECT last_value FROM "{seq}"').fetchone()]
        return out
    path = site.data_dir / "tidtam.sqlite3"
    if not path.exists():
        return out
    c = sqlite3.connect(path)
    try:
        names = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in names:
            out[t] = sorted(c.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
    finally:
        c.close()
    return out


def _files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Path]]:
    tmp = tmp_path_factory.mktemp("backup")
    source = _new_site(tmp, "src")
    try:
        out = source.tidtam("init", "--demo")
        assert out.returncode == 0, out.stderr
        (source.media / "submissions" / "7").mkdir(parents=True)
        (source.media / "submissions" / "7" / "หลักฐานการประชุม.pdf").write_bytes(
            b"%PDF-1.4\n" + bytes(range(256)) * 40)
        (source.media / "inspection").mkdir()
        (source.media / "inspection" / "ภาพ 1.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 99)
        archive = tmp / "site.tar"
        out = source.tidtam("backup", "-o", str(archive))
        assert out.returncode == 0, out.stderr
        assert "สำรองแล้ว" in out.stdout and "ไฟล์แนบ 2 ไฟล์" in out.stdout
        yield source, archive
    finally:
        _drop(source)


@pytest.fixture
def empty_site(tmp_path: Path) -> Iterator[Site]:
    site = _new_site(tmp_path, "dst")
    yield site
    _drop(site)


def test_restore_into_an_empty_database_gives_every_table_and_file_back(
        backed_up: tuple[Site, Path], empty_site: Site) -> None:
    source, archive = backed_up
    checked = empty_site.tidtam("restore", str(archive), "--check")
    assert checked.returncode == 0 and "ไฟล์สำรองสมบูรณ์" in checked.stdout, checked.stderr
    out = empty_site.tidtam("restore", str(archive))
    assert out.returncode == 0, out.stderr
    assert "ตรงกับไฟล์สำรองทุกตารางและทุกไฟล์" in out.stdout

    want, got = _tables(source), _tables(empty_site)
    assert len(want) > 40 and sum(len(r) for r in want.values()) > 1000
    assert sorted(got) == sorted(want)
    for table in want:
        assert got[table] == want[table], table
    assert _files(empty_site.media) == _files(source.media)
    # The restored site works: its own check and a demo login's data are there.
    assert empty_site.tidtam("check").returncode == 0
    if not ON_PG:
        c = sqlite3.connect(empty_site.data_dir / "tidtam.sqlite3")
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        c.close()


def test_a_database_that_holds_data_is_refused_unless_forced(
        backed_up: tuple[Site, Path], empty_site: Site) -> None:
    source, archive = backed_up
    empty_site.data_dir.mkdir(parents=True, exist_ok=True)
    made = empty_site.tidtam("migrate", "-v", "0")
    assert made.returncode == 0, made.stderr
    (empty_site.media / "old").mkdir(parents=True)
    (empty_site.media / "old" / "stale.txt").write_text("ของเดิม", encoding="utf-8")
    before = _tables(empty_site)

    refused = empty_site.tidtam("restore", str(archive))
    assert refused.returncode != 0
    assert "ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว" in refused.stderr
    assert "django_migrations" in refused.stderr and "--force" in refused.stderr
    assert _tables(empty_site) == before  # nothing touched

    forced = empty_site.tidtam("restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _tables(empty_site) == _tables(source)
    assert _files(empty_site.media) == _files(source.media)  # the stale file is gone


def _rewrite(archive: Path, dest: Path, change: str) -> None:
    """A copy of the archive with one member's bytes changed (the manifest kept)."""
    with tarfile.open(archive) as src, tarfile.open(dest, "w") as out:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else b""  # type: ignore[union-attr]
            if m.name.endswith(change):
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            m.size = len(data)
            out.addfile(m, io.BytesIO(data))


def test_corrupt_and_foreign_archives_are_refused_before_anything_is_touched(
        backed_up: tuple[Site, Path], empty_site: Site, tmp_path: Path) -> None:
    _, archive = backed_up
    data = archive.read_bytes()
    cases: dict[str, tuple[Path, str]] = {}

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    cases["truncated"] = (truncated, "เสียหาย")
    flipped = tmp_path / "flipped.tar"
    _rewrite(archive, flipped, "ภาพ 1.png")
    cases["a file changed"] = (flipped, "media/inspection/ภาพ 1.png ไม่ตรงกับ manifest")
    db_flipped = tmp_path / "db.tar"
    _rewrite(archive, db_flipped, ".sqlite3" if not ON_PG else ".pgdump")
    cases["the database changed"] = (db_flipped, "ไม่ตรงกับ manifest")
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(REPO / "README.md", arcname="README.md")
    cases["a tar of something else"] = (foreign, "ไม่ใช่ไฟล์สำรองของ tidtam")
    not_tar = tmp_path / "notes.txt"
    not_tar.write_text("ไม่ใช่ไฟล์สำรอง", encoding="utf-8")
    cases["not a tar"] = (not_tar, "ไม่ใช่ไฟล์สำรองของ tidtam")
    escaping = tmp_path / "escaping.tar"
    with tarfile.open(archive) as src, tarfile.open(escaping, "w") as out:
        for m in src.getmembers():
            f = src.extractfile(m)
            out.addfile(m, f)
        evil = tarfile.TarInfo("../../outside.txt")
        evil.size = 1
        out.addfile(evil, io.BytesIO(b"x"))
    cases["a member outside the directory"] = (escaping, "ไม่ปลอดภัย")

    for case, (path, message) in cases.items():
        out = empty_site.tidtam("restore", str(path), "--force")
        assert out.returncode != 0, case
        assert message in out.stderr, (case, out.stderr)
        assert "Traceback" not in out.stderr, case
        assert _tables(empty_site) == {}, case
        assert _files(empty_site.media) == {}, case
    assert not (tmp_path.parent / "outside.txt").exists()
