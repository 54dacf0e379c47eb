"""Per-request cost of the entry form, its autosaves and the dashboard: queries and CPU.

Load on a shared machine moves wall-clock percentiles (``analytics_load.py``)
by a factor of ten; the number of SQL statements a request sends and the CPU
time this process spends on it do not move with it. Each request goes
through Django's test client (URL resolution, middleware, permissions, the
view, the template) as the demo's users: the reporter of สพม.ลำปาง ลำพูน on
every indicator page of the QP report's biggest indicator and saving one of
its figures and one narrative, and an OBEC viewer on the dashboard.

Run: ``.venv/bin/python bench/entry_requests.py`` (a throw-away SQLite demo;
``TIDTAM_DATA_DIR`` to reuse one; ``DATABASE_URL`` for PostgreSQL, where the
server's CPU is not counted). ``--profile NAME`` prints cProfile's top
functions for one request (``entry``, ``value``, ``narrative``, ``dashboard``),
``--queries NAME`` its SQL.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
REPEAT = 9


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("TIDTAM_DATA_DIR", tempfile.mkdtemp(prefix="tidtam-bench-entry-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django
    from production import collect_static, configure

    configure()
    django.setup()
    collect_static()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    with open(os.devnull, "w") as quiet:
        call_command("init", "--demo", verbosity=0, stdout=quiet)


def requests() -> dict[str, Callable[[], Any]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from tidtam.accounts.models import Role, RoleAssignment
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import State, Submission

    sub = (Submission.objects.filter(org__code="SPM-52-51", framework__code="qp")
           .order_by("-framework__fiscal_year", "-round").first())
    if sub is None:  # the demo has the office's figures but no report yet: QP, 12 months
        sub = Submission.objects.create(
            org=OrgUnit.objects.get(code="SPM-52-51"), round="12m",
            framework=Framework.objects.filter(code="qp").order_by("-fiscal_year")[0])
    if sub.state != State.DRAFT:  # a throw-away database: the form must be editable
        Submission.objects.filter(pk=sub.pk).update(state=State.DRAFT)
    node = max((n for n in sub.framework.nodes.prefetch_related("elements")
                if n.applies(sub.org)),
               key=lambda n: sum(1 for e in n.elements.all() if e.value_type == "integer"))
    element = next(e for e in node.elements.all() if e.value_type == "integer")
    users = get_user_model()
    rep, _ = users.objects.get_or_create(username="bench-entry-rep")
    RoleAssignment.objects.get_or_create(user=rep, role=Role.REPORTER, org=sub.org)
    viewer, _ = users.objects.get_or_create(username="bench-entry-obec")
    RoleAssignment.objects.get_or_create(user=viewer, role=Role.VIEWER,
                                         org=OrgUnit.objects.get(code="OBEC"))
    reporter, executive = Client(), Client()
    reporter.force_login(rep)
    executive.force_login(viewer)
    htmx = {"HTTP_HX_REQUEST": "true"}
    entry = reverse("reporting:indicator", args=[sub.pk, node.code])
    value_url = reverse("reporting:value", args=[sub.pk, node.code, element.pk])
    narrative_url = reverse("reporting:narrative", args=[sub.pk, node.code, "drive"])
    state = {"n": 0, "value": 0, "narrative": 0}

    def check(response: Any) -> Any:
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    def version_of(response: Any) -> int:
        text = response.content.decode()
        return int(text.split('value="')[1].split('"')[0])

    def value() -> Any:
        state["n"] += 1
        r = check(reporter.post(value_url, {"text": str(100 + state["n"]),
                                            "version": state["value"]}, **htmx))
        state["value"] = version_of(r)
        return r

    def narrative() -> Any:
        state["n"] += 1
        r = check(reporter.post(narrative_url, {"text": f"ขับเคลื่อนนโยบาย {state['n']}",
                                                "version": state["narrative"]}, **htmx))
        state["narrative"] = version_of(r)
        return r

    # The versions the form was loaded with.
    from tidtam.reporting import figures, narratives

    state["value"] = figures.figures(sub, [node])[element.pk].version
    first = next((s.first for s in narratives.slots(sub, node) if s.code == "drive"), None)
    state["narrative"] = first.version if first else 0
    print(f"entry page: {entry} ({node.code}, {node.elements.count()} fields)")
    return {
        "entry": lambda: check(reporter.get(entry)),
        "value": value,
        "narrative": narrative,
        "dashboard": lambda: check(executive.get(reverse("analytics:dashboard"))),
    }


def measure(name: str, call: Callable[[], Any]) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm: template loading, caches
    cpu, wall, queries = [], [], []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            c0, w0 = time.process_time(), time.perf_counter()
            call()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        queries.append(len(ctx.captured_queries))
    return (f"| {name} | {max(queries)} | {statistics.median(cpu) * 1000:.0f} "
            f"| {statistics.median(wall) * 1000:.0f} |")


def main() -> None:
    setup()
    calls = requests()
    if "--queries" in sys.argv:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        name = sys.argv[sys.argv.index("--queries") + 1]
        calls[name]()
        with CaptureQueriesContext(connection) as ctx:
            calls[name]()
        for q in ctx.captured_queries:
            print(q["sql"][:300])
        return
    if "--profile" in sys.argv:
        name = sys.argv[sys.argv.index("--profile") + 1]
        calls[name]()
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            calls[name]()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        return
    from django.db import connection

    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
    print("| request | queries | CPU ms (median) | wall ms (median) |")
    print("|---|---|---|---|")
    for name, call in calls.items():
        print(measure(name, call))


if __name__ == "__main__":
    main()
