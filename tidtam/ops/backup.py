"""Backups of a tidtam site: the database and the uploaded files in one archive.

An archive is a tar file holding

- ``manifest.json``: what it is (``"format": "tidtam-backup"``), when and
  from which database it was made, the applied migrations, every table's
  row count and content hash, and every file's size and SHA-256;
- ``database.sqlite3`` (a copy made with SQLite's online backup API, safe
  while the site runs) or ``database.pgdump`` (``pg_dump`` in its custom
  format, taken in the same snapshot as the manifest's table hashes);
- ``media/…``: the uploaded files (evidence, images).

Restoring checks the archive first (a file that is not a tidtam backup, or
whose contents do not match its manifest, is refused before anything is
touched), refuses a database or media directory that already holds data
unless forced, and afterwards compares every table and file with the
manifest, so a restore that "worked" but lost something says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "tidtam-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"


class BackupError(Exception):
    """Something an operator must fix; the message is Thai and says what and where."""


# --- what a database holds ------------------------------------------------------
def _quote(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def _canonical(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return "b:" + bytes(value).hex()
    if isinstance(value, datetime):
        return "t:" + value.isoformat()
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False)
    return f"{type(value).__name__}:{value}"


def table_inventory(connection: Any) -> dict[str, dict[str, Any]]:
    """Every table's row count and a SHA-256 over its rows in primary-key order."""
    result: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cur:
        tables = sorted(connection.introspection.table_names(cur))
        for table in tables:
            keys = connection.introspection.get_primary_key_columns(cur, table) or []
            order = ", ".join(_quote(connection, k) for k in keys) or "1"
            cur.execute(f"SELECT * FROM {_quote(connection, table)} ORDER BY {order}")
            digest = hashlib.sha256()
            rows = 0
            while batch := cur.fetchmany(2000):
                for row in batch:
                    digest.update("\x1f".join(_canonical(v) for v in row).encode())
                    digest.update(b"\x1e")
                    rows += 1
            result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def non_empty_tables(connection: Any) -> list[tuple[str, int]]:
    with connection.cursor() as cur:
        found = []
        for table in sorted(connection.introspection.table_names(cur)):
            cur.execute(f"SELECT COUNT(*) FROM {_quote(connection, table)}")
            n = cur.fetchone()[0]
            if n:
                found.append((table, n))
    return found


def file_inventory(root: Path) -> list[dict[str, Any]]:
    files = []
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files.append({"path": path.relative_to(root).as_posix(), "size": path.stat().st_size,
                          "sha256": _sha256_file(path)})
    return files


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _migrations(connection: Any) -> dict[str, str]:
    with connection.cursor() as cur:
        if "django_migrations" not in connection.introspection.table_names(cur):
            return {}
        cur.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        latest: dict[str, str] = {}
        for app, name in cur.fetchall():
            latest[app] = name
    return latest


# --- PostgreSQL client programs ----------------------------------------------------
def _server_major(connection: Any) -> int:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version_num")
        return int(cur.fetchone()[0]) // 10000


def pg_program(name: str, server_major: int) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version (Debian keeps each
    installed version in /usr/lib/postgresql/N/bin), or a newer one on PATH."""
    exact = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if exact.exists():
        return str(exact)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0)
    on_path = shutil.which(name)
    for prog in [*reversed([str(c) for c in candidates]), *([on_path] if on_path else [])]:
        out = subprocess.run([prog, "--version"], capture_output=True, text=True, check=False)
        found = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
        if found and int(found.group(1)) >= server_major:
            return prog
    raise BackupError(
        f"ไม่พบ {name} รุ่น {server_major} ขึ้นไป (เซิร์ฟเวอร์ PostgreSQL เป็นรุ่น {server_major}):"
        f" ติดตั้งด้วย apt-get install postgresql-client-{server_major}")


def _pg_env(connection: Any) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])  # never on the command line, which ps shows
    return args, env


# --- backup -------------------------------------------------------------------------
@dataclass
class Made:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


def default_name(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"tidtam-backup-{now.strftime('%Y%m%d-%H%M%S')}.tar"


def backup(connection: Any, media_root: Path, out: Path) -> Made:
    """Write an archive of the database behind ``connection`` and ``media_root`` to ``out``."""
    import django

    with tempfile.TemporaryDirectory(prefix="tidtam-backup-") as tmp_dir:
        tmp = Path(tmp_dir)
        if connection.vendor == "sqlite":
            db_name, tables, server = SQLITE_FILE, _sqlite_copy(connection, tmp / SQLITE_FILE), ""
        elif connection.vendor == "postgresql":
            db_name = PG_FILE
            tables, server = _pg_dump(connection, tmp / PG_FILE)
        else:
            raise BackupError(
                f"สำรองฐานข้อมูลชนิด {connection.vendor} ไม่ได้ (ใช้ได้: SQLite, PostgreSQL)")
        files = file_inventory(media_root)
        manifest = {
            "format": FORMAT, "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "django": django.get_version(),
            "database": {"vendor": connection.vendor, "file": db_name,
                         "sha256": _sha256_file(tmp / db_name), "server_version": server},
            "migrations": _migrations(connection),
            "tables": tables,
            "files": files,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(tmp / db_name, arcname=db_name)
            for f in files:
                tar.add(media_root / f["path"], arcname=f"{MEDIA}/{f['path']}")
        # Only a complete archive gets the name: a backup killed half-way
        # leaves a .partial file, never a truncated "backup".
        partial.replace(out)
    return Made(out, len(tables), sum(t["rows"] for t in tables.values()), len(files),
                out.stat().st_size)


def _sqlite_copy(connection: Any, dest: Path) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        # The online backup API copies a consistent snapshot page by page while
        # the site keeps reading and writing.
        connection.connection.backup(target)
    finally:
        target.close()
    # The manifest describes the copy, not the live file, which may have moved on.
    return _inventory_of_sqlite_file(dest)


def _inventory_of_sqlite_file(path: Path) -> dict[str, dict[str, Any]]:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                               "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
                               "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
                               "ATOMIC_REQUESTS": False, "USER": "", "PASSWORD": "",
                               "HOST": "", "PORT": "", "TEST": {}}, alias="backup-copy")
    try:
        return table_inventory(wrapper)
    finally:
        wrapper.close()


def _pg_dump(connection: Any, dest: Path) -> tuple[dict[str, dict[str, Any]], str]:
    """pg_dump and the table hashes from one snapshot: what the manifest lists is
    exactly what the dump holds, even while people keep saving."""
    from django.db import transaction

    major = _server_major(connection)
    prog = pg_program("pg_dump", major)
    args, env = _pg_env(connection)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server = cur.fetchone()
        out = subprocess.run(
            [prog, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             "--file", str(dest), *args], env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise BackupError(f"pg_dump ทำงานไม่สำเร็จ: {out.stderr.strip()}")
        tables = table_inventory(connection)
    return tables, str(server)


# --- reading an archive ---------------------------------------------------------------
@dataclass
class Archive:
    path: Path
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def read_manifest(path: Path) -> dict[str, Any]:
    read_any = False
    manifest: Any = None
    try:
        with tarfile.open(path, "r:*") as tar:
            # Read member by member (the manifest comes first), so a truncated
            # archive is recognised as ours and reported as damaged.
            for member in tar:
                read_any = True
                if member.name == MANIFEST:
                    f = tar.extractfile(member)
                    manifest = json.loads(f.read().decode("utf-8")) if f else None
                    break
    except FileNotFoundError:
        raise BackupError(f"ไม่พบไฟล์ {path}") from None
    except (tarfile.TarError, UnicodeDecodeError, json.JSONDecodeError, EOFError,
            OSError, zlib_error()) as exc:
        if read_any and manifest is None:
            raise BackupError(f"ไฟล์สำรอง {path} เสียหาย อ่านไม่จบ ({exc})") from None
        if not read_any:
            raise BackupError(
                f"{path} ไม่ใช่ไฟล์สำรองของ tidtam (ไม่ใช่ไฟล์ tar ที่มี {MANIFEST})") from None
    if manifest is None:
        raise BackupError(f"{path} ไม่ใช่ไฟล์สำรองของ tidtam (ไม่มี {MANIFEST})")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} ไม่ใช่ไฟล์สำรองของ tidtam (manifest ไม่ใช่รูปแบบ {FORMAT})")
    if manifest.get("version") != VERSION:
        raise BackupError(f"{path} เป็นไฟล์สำรองรุ่น {manifest.get('version')}"
                          f" ซึ่ง tidtam รุ่นนี้อ่านไม่ได้ (อ่านได้รุ่น {VERSION})")
    return manifest


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for m in tar.getmembers():
        # Never write outside the target: absolute paths, "..", links.
        if m.name.startswith("/") or ".." in Path(m.name).parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"ไฟล์สำรองมีรายการที่ไม่ปลอดภัย: {m.name}")
        yield m


def verify(path: Path) -> Archive:
    """Check that every member matches the manifest; nothing is written anywhere."""
    manifest = read_manifest(path)
    archive = Archive(path, manifest)
    expected = {f"{MEDIA}/{f['path']}": f["sha256"] for f in manifest.get("files", [])}
    db = manifest.get("database", {})
    expected[db.get("file", "")] = db.get("sha256", "")
    seen: dict[str, str] = {}
    try:
        with tarfile.open(path, "r:*") as tar:
            for m in _members(tar):
                if m.isfile() and m.name != MANIFEST:
                    f = tar.extractfile(m)
                    assert f is not None
                    digest = hashlib.sha256()
                    while chunk := f.read(1 << 20):
                        digest.update(chunk)
                    seen[m.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError, zlib_error()) as exc:
        raise BackupError(f"ไฟล์สำรอง {path} เสียหาย อ่านไม่จบ ({exc})") from None
    for name, sha in expected.items():
        if name not in seen:
            archive.problems.append(f"ไม่มี {name} ในไฟล์สำรอง")
        elif seen[name] != sha:
            archive.problems.append(f"{name} ไม่ตรงกับ manifest (เนื้อไฟล์เปลี่ยนหรือเสียหาย)")
    for name in sorted(set(seen) - set(expected)):
        archive.problems.append(f"{name} อยู่ในไฟล์สำรองแต่ไม่อยู่ใน manifest")
    if archive.problems:
        raise BackupError(f"ไฟล์สำรอง {path} เสียหาย: " + "; ".join(archive.problems[:10]))
    return archive


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


# --- restore -----------------------------------------------------------------------
@dataclass
class Restored:
    tables: int
    rows: int
    files: int
    created_at: str


def restore(connection: Any, media_root: Path, path: Path, *, force: bool = False) -> Restored:
    archive = verify(path)
    manifest = archive.manifest
    if connection.vendor == "sqlite":
        # A new server: the data directory may not exist yet.
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"ไฟล์สำรองนี้เป็นฐานข้อมูล {vendor} แต่ฐานข้อมูลปลายทางเป็น {connection.vendor}:"
            " กู้คืนได้เฉพาะฐานข้อมูลชนิดเดียวกัน")
    if not force:
        filled = non_empty_tables(connection)
        if filled:
            listed = ", ".join(f"{t} ({n} แถว)" for t, n in filled[:5])
            raise BackupError(
                f"ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว: {listed}"
                f"{' …' if len(filled) > 5 else ''} — การกู้คืนจะแทนที่ทั้งหมด"
                " ถ้าต้องการเช่นนั้นจริงให้สั่งซ้ำพร้อม --force")
        if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
            raise BackupError(
                f"โฟลเดอร์ไฟล์แนบ {media_root} มีไฟล์อยู่แล้ว — การกู้คืนจะแทนที่ทั้งหมด"
                " ถ้าต้องการเช่นนั้นจริงให้สั่งซ้ำพร้อม --force")
    with tempfile.TemporaryDirectory(prefix="tidtam-restore-") as tmp_dir:
        tmp = Path(tmp_dir)
        with tarfile.open(path, "r:*") as tar:
            members = list(_members(tar))
            tar.extractall(tmp, members=members, filter="data")
        if vendor == "sqlite":
            _sqlite_restore(connection, tmp / SQLITE_FILE)
        else:
            _pg_restore(connection, tmp / PG_FILE)
        _swap_media(tmp / MEDIA, media_root)
    problems = compare(connection, media_root, manifest)
    if problems:
        raise BackupError("กู้คืนแล้วแต่ข้อมูลไม่ตรงกับไฟล์สำรอง: " + "; ".join(problems[:10]))
    tables = manifest["tables"]
    return Restored(len(tables), sum(t["rows"] for t in tables.values()),
                    len(manifest["files"]), manifest["created_at"])


def compare(connection: Any, media_root: Path, manifest: dict[str, Any]) -> list[str]:
    """Differences between what is in the database and media now and the manifest."""
    problems = []
    now = table_inventory(connection)
    for table, want in manifest["tables"].items():
        got = now.get(table)
        if got is None:
            problems.append(f"ไม่มีตาราง {table}")
        elif got["rows"] != want["rows"]:
            problems.append(f"ตาราง {table} มี {got['rows']} แถว (ไฟล์สำรองมี {want['rows']})")
        elif got["sha256"] != want["sha256"]:
            problems.append(f"เนื้อหาตาราง {table} ไม่ตรงกับไฟล์สำรอง")
    for table in sorted(set(now) - set(manifest["tables"])):
        problems.append(f"ตาราง {table} ไม่มีในไฟล์สำรอง")
    files = {f["path"]: f["sha256"] for f in file_inventory(media_root)}
    for f in manifest["files"]:
        if files.get(f["path"]) != f["sha256"]:
            problems.append(f"ไฟล์ {f['path']} ไม่ตรงกับไฟล์สำรอง")
    for extra in sorted(set(files) - {f["path"] for f in manifest["files"]}):
        problems.append(f"ไฟล์ {extra} ไม่มีในไฟล์สำรอง")
    return problems


def _sqlite_restore(connection: Any, source: Path) -> None:
    connection.close()
    connection.ensure_connection()
    src = sqlite3.connect(source)
    try:
        # The backup API replaces every page of the target, whatever it held.
        src.backup(connection.connection)
    finally:
        src.close()
    with connection.cursor() as cur:
        cur.execute("PRAGMA journal_mode=WAL")


def _pg_restore(connection: Any, dump: Path) -> None:
    major = _server_major(connection)
    prog = pg_program("pg_restore", major)
    with connection.cursor() as cur:
        # Forced or empty: whatever tables are there go, so the result is the
        # backup exactly, not the backup plus tables of a newer version.
        for table in connection.introspection.table_names(cur):
            cur.execute(f"DROP TABLE IF EXISTS {_quote(connection, table)} CASCADE")
    connection.close()
    args, env = _pg_env(connection)
    out = subprocess.run([prog, "--no-owner", "--no-privileges", "--exit-on-error",
                          "--single-transaction", *args, str(dump)],
                         env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise BackupError(f"pg_restore ทำงานไม่สำเร็จ: {out.stderr.strip()}")


def _swap_media(extracted: Path, media_root: Path) -> None:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    fresh = media_root.with_name(media_root.name + ".restoring")
    if fresh.exists():
        shutil.rmtree(fresh)
    if extracted.exists():
        shutil.copytree(extracted, fresh)
    else:
        fresh.mkdir()
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    fresh.rename(media_root)
    if old.exists():
        shutil.rmtree(old)
