"""Shared set-up of the analytics benchmarks: a database holding the synthetic country."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_country() -> float:
    """Django set up on ``DATABASE_URL`` (default: a throw-away SQLite), demo and
    national country loaded; returns the seconds the country took (0 if it was there)."""
    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.mkdtemp(prefix="tidtam-bench-analytics-")
        os.environ.setdefault("TIDTAM_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django
    from production import collect_static, configure

    configure()
    django.setup()
    collect_static()  # the pages' templates ask for hashed static names, as in production
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("init", "--demo", verbosity=0, stdout=quiet)
    from tidtam.analytics.national import SCALES, build_country

    start = time.perf_counter()
    result = build_country(SCALES["national"])
    return 0.0 if result.already else time.perf_counter() - start


# --- the floor: the figures of ``aggregate()`` from one hand-written query ----------
def floor_query(scope_path: str, framework_id: int, round: str, office_type: str | None,
                ) -> tuple[str, list[object]]:
    """One SQL statement (standard: SQLite and PostgreSQL) giving what ``aggregate()`` gives
    for a scope, a framework and one round, as ``(kind, node, key, total, count)`` rows.

    The same filters as ``aggregate``: the active area offices of the scope (its
    subtree, or linked to a province of it), of one type if given; rated
    indicators only; each indicator over the offices it applies to; offices
    whose report of the round left the office; the observations of that round's
    period that the indicator's numeric bindings read. Sums are exact: each
    value is scaled to an integer by the field's decimal places and summed as
    an integer (SQLite would sum floats), then scaled back in Python.
    Percentages are not summed: the ratios are taken from the sums afterwards.
    """
    from tidtam.frameworks.models import APPLIES_TO_ORG_TYPES, Framework, FrameworkNode, Method
    from tidtam.measures.models import Observation, Period
    from tidtam.orgs.models import AREA_OFFICE_TYPES

    places = Observation._meta.get_field("value_decimal").decimal_places  # type: ignore[union-attr]
    period = Period.of(Framework.objects.get(pk=framework_id).fiscal_year, round)
    rated = sorted(m.value for m in Method if FrameworkNode(method=m).is_rated)
    numeric = ("integer", "decimal", "money")
    types = sorted(AREA_OFFICE_TYPES) if not office_type else [office_type]
    applies = " OR ".join(
        f"(n.applies_to = '{a}' AND o.type IN ({', '.join(repr(str(t)) for t in sorted(ts))}))"
        for a, ts in APPLIES_TO_ORG_TYPES.items())

    def marks(values: list[str] | tuple[str, ...]) -> str:
        return ", ".join(["%s"] * len(values))

    sql = f"""
WITH offices AS (
  SELECT o.id, o.type FROM orgs_orgunit o
  WHERE o.type IN ({marks(types)}) AND o.is_active = %s
    AND (o.path LIKE %s OR o.id IN (
      SELECT l.from_orgunit_id FROM orgs_orgunit_provinces l
      JOIN orgs_orgunit p ON p.id = l.to_orgunit_id
      WHERE p.path LIKE %s AND p.type = 'province'))
), nodes AS (
  SELECT n.id, n.code, n.applies_to FROM frameworks_frameworknode n
  WHERE n.framework_id = %s AND n.method IN ({marks(rated)})
), reported AS (
  SELECT s.id, s.org_id FROM reporting_submission s
  WHERE s.framework_id = %s AND s.round = %s
    AND s.state IN ('submitted', 'resubmitted', 'rated', 'approved')
)
SELECT 'sum', n.code, e.code,
       SUM(CAST(ROUND(v.value_decimal * {10 ** places}) AS BIGINT)), COUNT(*)
FROM measures_observation v
JOIN reported s ON s.org_id = v.org_id
JOIN offices o ON o.id = s.org_id
JOIN frameworks_dataelement e ON e.measure_id = v.measure_id
JOIN nodes n ON n.id = e.node_id
JOIN measures_measure m ON m.id = e.measure_id
WHERE v.value_decimal IS NOT NULL AND v.period_id = %s AND v.category = ''
  AND e.category = '' AND e.period = '' AND m.value_type IN ({marks(numeric)}) AND ({applies})
GROUP BY n.code, e.code
UNION ALL
SELECT 'level', n.code, CAST(g.level AS VARCHAR(8)), NULL, COUNT(*)
FROM evaluation_rating g
JOIN offices o ON o.id = g.org_id
JOIN nodes n ON n.id = g.node_id
WHERE g.framework_id = %s AND g.round = %s AND g.level IS NOT NULL AND ({applies})
GROUP BY n.code, g.level
UNION ALL
SELECT 'expected', n.code, '', NULL, COUNT(*)
FROM nodes n CROSS JOIN offices o WHERE ({applies}) GROUP BY n.code
UNION ALL
SELECT 'reported', n.code, '', NULL, COUNT(DISTINCT s.org_id)
FROM reported s JOIN offices o ON o.id = s.org_id CROSS JOIN nodes n
WHERE ({applies}) GROUP BY n.code
"""
    params: list[object] = [*types, True, scope_path + "%", scope_path + "%", framework_id,
                            *rated, framework_id, round, period.pk, *numeric, framework_id,
                            round]
    return sql, params


def floor_figures(rows: list[tuple[object, ...]], bands: list[object]) -> dict[str, object]:
    """The floor's rows as figures comparable with ``aggregate_figures``."""
    from decimal import Decimal

    from tidtam.frameworks.models import classify
    from tidtam.measures.models import Observation

    places = Observation._meta.get_field("value_decimal").decimal_places  # type: ignore[union-attr]
    out: dict[str, dict[str, object]] = {}
    for kind, node, key, total, count in rows:
        f = out.setdefault(str(node), {"sums": {}, "levels": {}, "expected": 0, "reported": 0})
        if kind == "sum":
            f["sums"][str(key)] = (Decimal(int(total)).scaleb(-places), int(count))  # type: ignore[index, call-overload]
        elif kind == "level":  # one round: an office's mean is its level; its band from the table
            band = classify(bands, Decimal(int(str(key)))).level  # type: ignore[arg-type]
            levels = f["levels"]
            levels[band] = levels.get(band, 0) + int(count)  # type: ignore[union-attr, index, attr-defined]
        else:
            f[str(kind)] = int(count)  # type: ignore[call-overload]
    return out  # type: ignore[return-value]


def aggregate_figures(agg: object) -> dict[str, object]:
    """The same figures read from an ``aggregate()`` result."""
    out = {}
    for ind in agg.indicators:  # type: ignore[attr-defined]
        out[ind.node.code] = {
            "sums": {c: (s.total, s.offices) for c, s in ind.sums.items() if s.offices},
            "levels": {lv: n for lv, n in ind.levels.items() if n},
            "expected": len(ind.expected), "reported": len(ind.submitted_offices),
        }
    return out


def check_agree(agg: object, floor: dict[str, object]) -> int:
    """Assert the floor and ``aggregate()`` give the same figures; the number compared."""
    ours = aggregate_figures(agg)
    compared = 0
    for code, f in ours.items():
        g = floor.get(code, {"sums": {}, "levels": {}, "expected": 0, "reported": 0})
        assert f == g, (code, f, g)
        ind = next(i for i in agg.indicators if i.node.code == code)  # type: ignore[attr-defined]
        for r in ind.ratios:  # the ratio of the floor's sums, taken after summing
            num = g["sums"].get(r.numerator.code, (0, 0))[0]  # type: ignore[index, union-attr]
            den = g["sums"].get(r.denominator.code, (0, 0))[0]  # type: ignore[index, union-attr]
            assert r.percent == (num * 100 / den if den else None), (code, r.numerator.code)
            compared += 1
        compared += len(f["sums"]) + len(f["levels"]) + 2  # type: ignore[arg-type]
    assert set(floor) <= set(ours), set(floor) - set(ours)
    return compared
