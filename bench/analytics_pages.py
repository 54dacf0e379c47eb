"""Benchmark (d): the dashboard and search on the national data, as a user waits for them.

Each page is requested through Django's test client (the whole request: URL
resolution, permissions, the aggregate, the template) by a signed-in OBEC
viewer, on the national country (``tidtam demo --scale national``) with its
search index built. Reported per page: the median wall time and the median
CPU time of this process over the runs (on SQLite the database works in this
process, so CPU includes it; on PostgreSQL the server's CPU is not counted),
and the page's size. Run: ``.venv/bin/python bench/analytics_pages.py``
(throw-away SQLite) or ``--pg`` (PostgreSQL, like ``analytics_aggregate.py``).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from analytics_common import setup_country

TARGET_MS = 300  # issue 3: no page of normal use slower than this
REPEAT = 7


def run() -> list[str]:
    if "--pg" in sys.argv:
        from throwaway_pg import postgres_url

        os.environ["DATABASE_URL"] = postgres_url()
    built = setup_country()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tidtam.accounts.models import Role, RoleAssignment
    from tidtam.orgs.models import OrgUnit
    from tidtam.search.models import SearchDocument

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    if not SearchDocument.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("search", "reindex", stdout=quiet)
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-obec")
    RoleAssignment.objects.get_or_create(user=user, role=Role.VIEWER,
                                         org=OrgUnit.objects.get(code="OBEC"))
    client = Client()
    client.force_login(user)
    base = "/analytics/dashboard/?year=2566&round=12m&indicator=1"
    pages = [
        ("dashboard, nation", base),
        ("dashboard, nation, map by percentage", base + "&figure=percent"),
        ("dashboard, region (ศธภ.14)", base + "&scope=REO14"),
        ("dashboard, province (อุบลราชธานี)", base + "&scope=P34"),
        ("dashboard, office over the years", base + "&scope=SPP-34-1"),
        ("dashboard, a table as XLSX", "/analytics/dashboard/provinces.xlsx?year=2566&round=12m"),
        ("search, one word (สถานศึกษา)", "/search/?q=สถานศึกษา"),
        ("search, two words (เครือข่าย ชุมชน)", "/search/?q=เครือข่าย+ชุมชน"),
        ("search, a phrase (\"ภาระการรายงาน\")", "/search/?q=%22ภาระการรายงาน%22"),
        ("search, page 5 of a common word", "/search/?q=สถานศึกษา&page=5"),
    ]
    lines = [f"### (d) dashboard and search on the national data, {connection.vendor}", ""]
    if built:
        lines += [f"country generated in {built:.1f} s", ""]
    lines += ["| page | median ms | CPU ms (this process) | KB | within 300 ms |",
              "|---|---|---|---|---|"]
    for name, url in pages:
        first = client.get(url)  # warm: URL configuration, templates, caches of a running server
        assert first.status_code == 200, (url, first.status_code)
        walls, cpus = [], []
        for _ in range(REPEAT):
            w, c = time.perf_counter(), time.process_time()
            resp = client.get(url)
            walls.append((time.perf_counter() - w) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        lines.append(f"| {name} | {wall:.0f} | {cpu:.0f} | {len(resp.content) / 1024:.0f} | "
                     f"{'yes' if wall < TARGET_MS else '**no**'} |")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
