"""A throw-away PostgreSQL cluster on loopback, for benchmarks that need PostgreSQL.

``postgres_url()`` returns ``DATABASE_URL`` when it already names a PostgreSQL
database; otherwise it starts a fresh cluster (initdb + pg_ctl from Debian's
``/usr/lib/postgresql/*/bin``) in a temporary directory, listening on
127.0.0.1 only at a free port, with an empty database ``tidtam``, and stops
and removes it when the process exits. As root (this CI machine) the server
runs as the ``postgres`` user through ``runuser``, as ``.ci/run`` does: the
server refuses to run as root.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                   key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()])
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql), "
                         "and DATABASE_URL does not name a PostgreSQL database")
    return Path(found[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start_cluster() -> str:
    """Start a cluster that lives as long as this process; return its database URL."""
    pg = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="tidtam-bench-pg-"))
    data, sock = root / "data", root / "sock"
    data.mkdir()
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run(_as_server_user([str(pg / "initdb"), "-D", str(data), "-A", "trust",
                                    "-U", "postgres", "-E", "UTF8", "--no-locale"]), **quiet)
    # A benchmark cluster: durability off (the data is rebuilt on every run) would
    # flatter write latency, so the production defaults for fsync are kept.
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c max_connections=200"
    subprocess.run(_as_server_user([str(pg / "pg_ctl"), "-D", str(data), "-l",
                                    str(root / "server.log"), "-w", "-o", opts, "start"]),
                   **quiet)

    def stop() -> None:
        subprocess.run(_as_server_user([str(pg / "pg_ctl"), "-D", str(data), "-m", "fast",
                                        "stop"]), stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    subprocess.run([str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                    "tidtam"], **quiet)
    return f"postgres://postgres@127.0.0.1:{port}/tidtam"


def postgres_url() -> str:
    """``DATABASE_URL`` if it is PostgreSQL, else a fresh throw-away cluster's URL."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return start_cluster()
