"""Benchmark (a): national aggregation of every QP indicator over all ~245 offices.

Compared with the floor: the same sums and level counts from one hand-written
SQL query (GROUP BY, UNION ALL) on the same database. Target (issue 4): under
2 s, within 3x of the floor. Run: ``.venv/bin/python bench/analytics_aggregate.py``
(a throw-away SQLite), ``--pg`` for PostgreSQL (``DATABASE_URL`` if it names a
PostgreSQL database, else a throw-away cluster on 127.0.0.1, see
``throwaway_pg.py``).

The two are timed alternately, run after run, so a machine that gets busier
half-way slows both alike; the ratio is of the medians.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable

from analytics_common import setup_country

TARGET_S = 2.0
TARGET_RATIO = 3.0

FLOOR_SQL = """
SELECT 'sum', n.code, e.code, SUM(v.value_decimal), COUNT(*)
FROM measures_observation v
JOIN frameworks_dataelement e ON e.measure_id = v.measure_id
JOIN frameworks_frameworknode n ON n.id = e.node_id
JOIN reporting_submission s ON s.org_id = v.org_id AND s.framework_id = n.framework_id
WHERE s.framework_id = %s AND s.round = %s AND v.period_id = %s
  AND s.state IN ('submitted', 'resubmitted', 'rated', 'approved')
  AND v.value_decimal IS NOT NULL AND v.category = '' AND e.category = '' AND e.period = ''
GROUP BY n.code, e.code
UNION ALL
SELECT 'level', n.code, CAST(g.level AS VARCHAR(8)), NULL, COUNT(*)
FROM evaluation_rating g JOIN frameworks_frameworknode n ON n.id = g.node_id
WHERE g.framework_id = %s AND g.round = %s AND g.level IS NOT NULL
GROUP BY n.code, g.level
"""


def medians_s(fns: list[Callable[[], object]], repeat: int = 15) -> list[float]:
    """Median seconds of each function, timed in turns (ours, floor, ours, …)."""
    for fn in fns:
        fn()  # warm caches, as a running server would have them
    runs: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            runs[i].append(time.perf_counter() - start)
    return [statistics.median(r) for r in runs]


def run() -> list[str]:
    if "--pg" in sys.argv:
        from throwaway_pg import postgres_url

        os.environ["DATABASE_URL"] = postgres_url()
    built = setup_country()
    from django.db import connection

    from tidtam.analytics.aggregate import aggregate
    from tidtam.analytics.synthesis import nation
    from tidtam.frameworks.models import Framework
    from tidtam.measures.models import Period

    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    period = Period.of(2566, "12m")
    root = nation()

    def ours() -> object:
        return aggregate(root, fw, "12m")

    def floor() -> object:
        with connection.cursor() as cur:
            cur.execute(FLOOR_SQL, [fw.pk, "12m", period.pk, fw.pk, "12m"])
            return cur.fetchall()

    agg = ours()
    assert isinstance(agg, type(aggregate(root, fw, "12m")))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # statistics after the bulk load, as autovacuum would
            cur.execute("ANALYZE")
    t_ours, t_floor = medians_s([ours, floor])
    ratio = t_ours / t_floor if t_floor else float("inf")
    engine = connection.vendor
    ok = t_ours < TARGET_S and ratio <= TARGET_RATIO
    lines = [
        f"### (a) national aggregation, {engine}",
        "",
        f"offices {len(agg.offices)}, indicators {len(agg.indicators)}"  # type: ignore[attr-defined]
        + (f", country generated in {built:.1f} s" if built else ""),
        "",
        "| what | median s | target |",
        "|---|---|---|",
        f"| aggregate() all QP indicators, 12-month round | {t_ours:.3f} | < {TARGET_S} s |",
        f"| one SQL GROUP BY (floor) | {t_floor:.3f} | |",
        f"| ratio | {ratio:.1f}x | ≤ {TARGET_RATIO}x |",
        "",
        f"within target: {'yes' if ok else '**no**'}",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
