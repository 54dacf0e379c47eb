"""Benchmark (c): the data-entry page and the dashboard under 50 concurrent users.

On PostgreSQL (``DATABASE_URL`` if it names one, else a throw-away cluster on
127.0.0.1 that is removed afterwards), with the demo and the national country
loaded, this script creates signed-in accounts for the simulated people
(reporters of area offices that still have a draft, OBEC and regional
viewers), serves tidtam with gunicorn (``--workers`` processes, DEBUG off,
persistent database connections: as production would), and runs locust
headless against it on loopback, bounded in users and time. It writes p50,
p95, p99, request count and failures per page to ``bench/results-load.md``
and prints them. Target (issue 4): p95 under 300 ms, no errors.

Run: ``.venv/bin/python bench/analytics_load.py [--users 50 --spawn-rate 10
--run-time 60 --workers 3 --think 5,15]``; ``--scenario deadline`` is the
deadline day (one reporter per area office, 245, all starting at once and
saving every 2–5 s for 300 s; ``--run-time 60`` for a trial run), reported
in ``bench/results-deadline.md`` (needs ``pip install -e '.[bench]'``:
locust and gunicorn). Everything listens on 127.0.0.1 only. It writes to the
database it is given (country, accounts, autosaves into drafts): give it only
a database made for benchmarking.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from throwaway_pg import postgres_url

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TARGET_P95_MS = 300
PASSWORD = "load-test-" + secrets.token_hex(8)  # fresh per run, for throw-away accounts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(reporters: int, executives: int, one_per_office: bool = False) -> dict[str, Any]:
    """Country loaded, accounts made; returns what the locust users need.

    ``one_per_office``: each reporter belongs to a different area office (the
    deadline day: every office saving its own report at once). An office
    whose FY2566 reports are all past draft gets its latest one back to draft
    — this is a benchmark's throw-away database."""
    from analytics_common import setup_country

    built = setup_country()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.urls import reverse

    from tidtam.accounts.models import RoleAssignment
    from tidtam.analytics.synthesis import nation
    from tidtam.analytics.views import FRAMEWORK
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgType, OrgUnit
    from tidtam.reporting.models import State, Submission

    users = get_user_model()

    def account(username: str, role: str, org: OrgUnit) -> None:
        user, _ = users.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, org=org)

    # Each reporter edits a different (draft, indicator) pair: two people
    # typing into one narrative would get a real 409, which is not load.
    pairs = []
    if one_per_office:
        from tidtam.orgs.models import AREA_OFFICE_TYPES
        from tidtam.reporting.figures import unpin

        for office in OrgUnit.objects.filter(type__in=AREA_OFFICE_TYPES).order_by("code"):
            subs = Submission.objects.filter(org=office, framework__code=FRAMEWORK).order_by(
                "-framework__fiscal_year", "-round")
            if not subs.filter(state=State.DRAFT).exists() and subs.exists():
                Submission.objects.filter(pk=subs[0].pk).update(state=State.DRAFT)
                # As returning it for revision does: a draft prints live figures and
                # blocks, not what it pinned when sent (else every new block is a 409).
                unpin(subs[0])
    drafts = Submission.objects.filter(framework__code=FRAMEWORK, state=State.DRAFT).select_related(
        "org", "framework").order_by("-framework__fiscal_year", "org__code", "round")
    offices_taken: set[int] = set()
    for depth in range(20):
        for sub in drafts:
            if one_per_office and (sub.org_id in offices_taken or depth):
                continue
            nodes = [n for n in sub.framework.nodes.order_by("position").prefetch_related(
                "elements") if n.is_rated and n.applies(sub.org)
                and any(e.value_type == "integer" for e in n.elements.all())]
            if depth < len(nodes):
                pairs.append((sub, nodes[depth]))
                offices_taken.add(sub.org_id)
        if len(pairs) >= reporters:
            break
    if len(pairs) < reporters:
        raise SystemExit(f"only {len(pairs)} draft indicator reports for {reporters} reporters")
    rep_accounts = []
    for i, (sub, node) in enumerate(pairs[:reporters]):
        username = f"load-rep-{i:02d}"
        account(username, "reporter", sub.org)
        element = next(e for e in node.elements.all() if e.value_type == "integer")
        rep_accounts.append({
            "username": username, "password": PASSWORD,
            "url": reverse("reporting:indicator", args=[sub.pk, node.code]),
            "narrative_url": reverse("reporting:narrative", args=[sub.pk, node.code, "drive"]),
            "narrative_id": "v-narrative-drive",
            "value_url": reverse("reporting:value", args=[sub.pk, node.code, element.pk]),
            "value_id": f"v-value-{element.pk}",
        })
    # Executives: OBEC's (the whole country) and regional offices' viewers.
    exec_orgs = [OrgUnit.objects.get(code="OBEC"), nation()]
    exec_orgs += list(OrgUnit.objects.filter(type=OrgType.REGIONAL_OFFICE).order_by("code"))
    exec_accounts = []
    for i in range(executives):
        username = f"load-exec-{i:02d}"
        account(username, "viewer", exec_orgs[i % len(exec_orgs)])
        exec_accounts.append({"username": username, "password": PASSWORD,
                              "org": exec_orgs[i % len(exec_orgs)].code})
    fws = list(Framework.objects.filter(code=FRAMEWORK).order_by("fiscal_year"))
    indicators = sorted({n.code for fw in fws for n in fw.nodes.all() if n.is_rated})
    # Fresh statistics after the bulk load, as autovacuum would make within a minute.
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    connection.close()
    words = ["สำนักงานเขตพื้นที่การศึกษา", "ขับเคลื่อน", "นโยบาย", "นักเรียน", "ครู",
             "โรงเรียน", "ติดตาม", "ประเมินผล", "พัฒนา", "คุณภาพ", "ลดความเหลื่อมล้ำ"]
    return {"reporters": rep_accounts, "executives": exec_accounts,
            "years": [fw.fiscal_year for fw in fws], "rounds": list(fws[-1].rounds),
            "indicators": indicators, "words": words, "built_s": built}


def serve(workers: int, port: int, env: dict[str, str], threads: int = 1,
          access_log: Path | None = None) -> subprocess.Popen[bytes]:
    """gunicorn with ``workers`` processes on loopback; returns once it answers.

    ``access_log`` gets one line per request with the time a worker spent on
    it (``server_times``), apart from the time it waited for a free worker.
    """
    logging = ["--access-logfile", str(access_log),
               "--access-logformat", "%(m)s %(U)s %(D)s"] if access_log else []
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "tidtam.wsgi:application", "--workers", str(workers),
         "--threads", str(threads), *logging,
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"],
        env=env, cwd=BENCH.parent,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def sign_in_all(port: int, accounts: dict[str, Any], workers: int = 1) -> list[float]:
    """Sign every account in through the login form, with its password, before the load.

    A password check is PBKDF2 with Django's 1,000,000 iterations (about half
    a second of CPU here) and happens once per person per day; 50 of them at
    the same second would measure the login storm, not the pages. The
    session cookies are handed to the locust users; the login times are
    reported on their own.
    """
    import http.cookiejar
    import re

    def sign_in(acc: dict[str, Any]) -> float:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{port}"
        page = opener.open(f"{base}/login/", timeout=120).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode({
            "username": acc["username"], "password": acc["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }).encode()
        req = urllib.request.Request(f"{base}/login/", data=data,
                                     headers={"Referer": f"{base}/login/"})
        start = time.perf_counter()
        final = opener.open(req, timeout=120)
        took = (time.perf_counter() - start) * 1000
        cookies = {c.name: c.value for c in jar}
        if "sessionid" not in cookies or final.geturl().endswith("/login/"):
            raise SystemExit(f"{acc['username']} could not sign in")
        acc["cookies"] = cookies
        return took

    # As many at a time as the server has workers: 245 one by one would take
    # minutes of PBKDF2 before the run starts.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        times = list(pool.map(sign_in, [*accounts["reporters"], *accounts["executives"]]))
    return times


def warm_up(port: int, accounts: dict[str, Any], workers: int) -> None:
    """A few requests of each kind, several at once, so every worker has imported
    Django's views, compiled the templates and loaded matplotlib and the Thai
    font before the measurement, as a server that has been up a while has.
    The dashboard views the run asks for are not drawn in advance: their charts
    are drawn on first use inside the run, per worker."""
    from concurrent.futures import ThreadPoolExecutor

    def get(acc: dict[str, Any], path: str) -> None:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in acc["cookies"].items())})
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()

    jobs = []
    for i in range(workers * 3):
        rep = accounts["reporters"][i % len(accounts["reporters"])]
        jobs.append((rep, rep["url"]))
        if accounts["executives"]:
            jobs.append((accounts["executives"][i % len(accounts["executives"])],
                         "/analytics/dashboard/"))
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda job: get(*job), jobs))


def run_locust(port: int, users: int, spawn_rate: int, run_time: int, reporters: int,
               think: str, accounts_file: Path, out: Path, arrival: float) -> Path:
    prefix = out / "load"
    env = {**os.environ, "TIDTAM_LOAD_ACCOUNTS": str(accounts_file),
           "TIDTAM_LOAD_REPORTERS": str(reporters),
           "TIDTAM_LOAD_EXECUTIVES": str(users - reporters), "TIDTAM_LOAD_THINK": think,
           "TIDTAM_LOAD_ARRIVAL": str(arrival)}
    subprocess.run(
        [str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
         "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{run_time}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "10", "--loglevel", "WARNING"],
        env=env, check=False,
    )
    return Path(f"{prefix}_stats.csv")


def _page(method: str, path: str) -> str | None:
    """The locustfile's name for a request the access log shows."""
    if method == "POST" and "/value/" in path:
        return "autosave figure (htmx POST)"
    if method == "POST" and "/narrative/" in path:
        return "autosave narrative (htmx POST)"
    if method == "GET" and path.startswith("/analytics/dashboard/"):
        return "dashboard (GET)"
    if method == "GET" and path.startswith("/submissions/") and "/i/" in path:
        return "entry page (GET)"
    return None


def server_times(access_log: Path, offset: int) -> dict[str, list[float]]:
    """page → ms a worker spent on each of its requests, from ``offset`` of the log on."""
    out: dict[str, list[float]] = {}
    with access_log.open(encoding="utf-8") as log:
        log.seek(offset)
        for line in log:
            parts = line.split()
            name = _page(parts[0], parts[1]) if len(parts) == 3 else None
            if name is not None:
                out.setdefault(name, []).append(int(parts[2]) / 1000)
                out.setdefault("Aggregated", []).append(int(parts[2]) / 1000)
    return out


def _p95(values: list[float]) -> str:
    if not values:
        return "–"
    ranked = sorted(values)
    return f"{ranked[max(0, -(-len(ranked) * 95 // 100) - 1)]:.0f}"


def report(stats: Path, args: argparse.Namespace, workers: int, built_s: float,
           logins: list[float], served: dict[str, list[float]]) -> list[str]:
    rows = list(csv.DictReader(stats.open(encoding="utf-8")))
    title = ("deadline day: every area office saving at once" if args.scenario == "deadline"
             else f"(c) {args.users} concurrent users")
    lines = [
        f"### {title}, PostgreSQL, gunicorn {workers} workers × {args.threads} threads",
        "",
        f"locust headless on 127.0.0.1: {args.users} users ({args.reporters} reporters, "
        f"{args.users - args.reporters} executives), spawn rate {args.spawn_rate}/s, "
        f"{args.run_time} s, think time {args.think.replace(',', '–')} s per user"
        + (f"; each user's first page at a random moment of the {args.arrival:g} s after it"
           " is spawned" if args.arrival else "; every user's first page at the same moment")
        + (f"; country generated in {built_s:.0f} s" if built_s else ""),
        "",
        "Times are as locust saw them (waiting for a free worker included); *server p95*"
        " is the time a gunicorn worker spent on the request (its access log).",
        "",
        "| page | requests | req/s | failures | p50 ms | p95 ms | p99 ms | max ms | server p95 ms"
        " | within target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    all_ok = True
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "**all requests**"
        fails = int(r["Failure Count"])
        p95 = float(r["95%"])
        measured = not r["Name"].startswith("login")
        ok = fails == 0 and (p95 < TARGET_P95_MS or not measured)
        all_ok &= ok or r["Name"] == "Aggregated"
        lines.append(f"| {name} | {r['Request Count']} | {float(r['Requests/s']):.1f} | {fails} | "
                     f"{r['50%']} | {r['95%']} | "
                     f"{r['99%']} | {float(r['Max Response Time']):.0f} | "
                     f"{_p95(served.get(r['Name'], []))} | "
                     f"{('yes' if ok else '**no**') if measured else '(not a target)'} |")
    logins.sort()
    lines += ["", f"within target (p95 < {TARGET_P95_MS} ms, no failures): "
              + ("yes" if all_ok else "**no**"), "",
              f"Signing in (before the load, as many at a time as there are workers, "
              f"{len(logins)} accounts, password "
              f"checked with PBKDF2): median {logins[len(logins) // 2]:.0f} ms, "
              f"max {logins[-1]:.0f} ms."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["browse", "deadline"], default="browse",
                        help="browse: 50 people on entry pages and the dashboard; deadline: "
                             "one reporter per area office (245), all saving at once")
    parser.add_argument("--users", type=int)
    parser.add_argument("--reporters", type=int)
    parser.add_argument("--spawn-rate", type=int)
    parser.add_argument("--run-time", type=int, help="seconds (deadline: 300; shorter for a "
                                                     "trial run)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--think",
                        help="min,max seconds each simulated person waits between actions")
    parser.add_argument("--arrival", type=float,
                        help="seconds over which each user's first page is spread after it is"
                             " spawned (default 1; deadline: 0, everyone at once)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    deadline = args.scenario == "deadline"
    defaults: dict[str, Any] = (
        {"users": 245, "reporters": 245, "spawn_rate": 245, "run_time": 300, "think": "2,5",
         "arrival": 0.0, "out": BENCH / "results-deadline.md"} if deadline else
        {"users": 50, "reporters": 40, "spawn_rate": 10, "run_time": 60, "think": "5,15",
         "arrival": 1.0, "out": BENCH / "results-load.md"})
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    # SIGTERM (a CI timeout) still stops the throw-away cluster via atexit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    os.environ["DATABASE_URL"] = postgres_url()
    tmp = Path(tempfile.mkdtemp(prefix="tidtam-bench-load-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # accounts file, locust CSVs
    os.environ.setdefault("TIDTAM_DATA_DIR", str(tmp))
    (Path(os.environ["TIDTAM_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
    accounts = prepare(args.reporters, args.users - args.reporters, one_per_office=deadline)
    from production import collect_static

    collect_static()
    accounts_file = tmp / "accounts.json"
    accounts_file.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")

    port = _free_port()
    # Production settings (bench/production.py: DEBUG off, a fresh key, HTTPS
    # off on loopback), persistent connections as deploy/tidtam.env has them.
    env = {**os.environ, "TIDTAM_SECRET_KEY": secrets.token_urlsafe(40),
           "TIDTAM_ALLOWED_HOSTS": "127.0.0.1", "TIDTAM_CONN_MAX_AGE": "60"}
    access_log = tmp / "access.log"
    server = serve(args.workers, port, env, args.threads, access_log)
    try:
        logins = sign_in_all(port, accounts, args.workers)
        accounts_file.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
        warm_up(port, accounts, args.workers)
        offset = access_log.stat().st_size if access_log.exists() else 0
        stats = run_locust(port, args.users, args.spawn_rate, args.run_time, args.reporters,
                           args.think, accounts_file, tmp, args.arrival)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers still busy with queued requests
            server.kill()
            server.wait()
    lines = report(stats, args, args.workers, accounts["built_s"], logins,
                   server_times(access_log, offset))
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
