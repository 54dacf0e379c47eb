"""Figures far from what is expected, listed for the evaluator with the figures that say so.

Two checks, as national M&E systems make them (DHIS2's outlier analysis):
against offices of the same type — the z-score of the value among the same
measure, period and breakdown — and against the office's own history — the
value compared with what it reported for the same measure and period type in
earlier fiscal years. The thresholds are data (``fixtures/outliers.yaml``).
A flagged figure is not an error: it is a question for the evaluator.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tidtam.measures.models import Observation, PeriodType
from tidtam.orgs.models import OrgUnit
from tidtam.thai.numbers import fmt_decimal

RULES_FILE = Path(__file__).resolve().parent / "fixtures" / "outliers.yaml"


@cache
def thresholds() -> dict[str, Any]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")) or {}


@dataclass(frozen=True)
class Outlier:
    observation: Observation
    kind: str  # "peers" | "history"
    message_th: str
    figures: dict[str, str]


def _sd(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    n = len(values)
    mean = sum(values, Decimal(0)) / n
    var = sum(((v - mean) ** 2 for v in values), Decimal(0)) / n
    return mean, var.sqrt()


def outliers(org: OrgUnit, fiscal_year: int) -> list[Outlier]:
    """The office's numeric observations of the year that stand out, in register order."""
    rules = thresholds()
    mine = list(Observation.objects.filter(
        org=org, period__fiscal_year=fiscal_year, value_decimal__isnull=False,
        measure__aggregation__in=["sum", "latest"],
    ).select_related("measure", "period").order_by("measure__code", "period__start"))
    if not mine:
        return []
    found: list[Outlier] = []
    peers: dict[tuple[int, int, str], list[Decimal]] = defaultdict(list)
    for m_id, p_id, cat, value in Observation.objects.filter(
        measure_id__in={o.measure_id for o in mine}, period_id__in={o.period_id for o in mine},
        org__type=org.type, value_decimal__isnull=False,
    ).values_list("measure_id", "period_id", "category", "value_decimal"):
        if value is not None:
            peers[(m_id, p_id, cat)].append(value)
    z_limit = Decimal(str(rules["z_score"]))
    for o in mine:
        values = peers.get((o.measure_id, o.period_id, o.category), [])
        if len(values) < int(rules["min_peers"]):
            continue
        mean, sd = _sd(values)
        assert o.value_decimal is not None
        if sd and abs(o.value_decimal - mean) / sd > z_limit:
            z = (o.value_decimal - mean) / sd
            found.append(Outlier(o, "peers", (
                f"{_figure(o)} ห่างจากค่าเฉลี่ยของหน่วยงานประเภทเดียวกัน {len(values):,} แห่ง "
                f"({fmt_decimal(mean, grouping=True)}) {fmt_decimal(abs(z))} "
                f"เท่าของส่วนเบี่ยงเบนมาตรฐาน ({fmt_decimal(sd, grouping=True)})"), {
                "value": str(o.value_decimal), "mean": str(mean), "sd": str(sd),
                "z": str(z), "peers": str(len(values))}))
    found += _history(org, mine, rules)
    return found


def _figure(o: Observation) -> str:
    value = fmt_decimal(o.value_decimal, 0, grouping=True)
    return f"{o.measure.name_th} {value} {o.measure.unit}".rstrip()


def _history(org: OrgUnit, mine: list[Observation], rules: dict[str, Any]) -> list[Outlier]:
    factor = Decimal(str(rules["history_factor"]))
    types = list(PeriodType.objects.all())
    # Each observation's period in the five years before: the same span (a 12-month
    # round, a quarter) of an earlier year. A measure is registered per year, so the
    # years before are found by the measure's code.
    earlier: dict[int, set[tuple[dt.date, dt.date]]] = {}
    for o in mine:
        span = next((t for t in types if t.bounds(o.period.fiscal_year) ==
                     (o.period.start, o.period.end)), None)
        if span is not None:
            earlier[o.pk] = {span.bounds(y) for y in range(o.period.fiscal_year - 5,
                                                          o.period.fiscal_year)}
    if not earlier:
        return []
    wanted = set().union(*earlier.values())
    before: dict[tuple[str, str, dt.date, dt.date], list[tuple[int, Decimal]]] = defaultdict(list)
    for code, cat, start, end, year, value in Observation.objects.filter(
        org=org, measure__code__in={o.measure.code for o in mine if o.pk in earlier},
        period__start__gte=min(s for s, _e in wanted), period__end__lte=max(e for _s, e in wanted),
        value_decimal__isnull=False,
    ).values_list("measure__code", "category", "period__start", "period__end",
                  "period__fiscal_year", "value_decimal"):
        if (start, end) in wanted and value is not None:
            before[(code, cat, start, end)].append((year, value))
    out = []
    for o in mine:
        if o.pk not in earlier:
            continue
        rows = [row for start, end in earlier[o.pk]
                for row in before.get((o.measure.code, o.category, start, end), [])]
        if len(rows) < int(rules["min_history"]):
            continue
        high = max(v for _y, v in rows)
        low = min(v for _y, v in rows)
        assert o.value_decimal is not None
        if (high > 0 and o.value_decimal > high * factor) or (
                o.value_decimal < low / factor):
            years = ", ".join(f"{y}: {fmt_decimal(v, 0, grouping=True)}" for y, v in sorted(rows))
            out.append(Outlier(o, "history", (
                f"{_figure(o)} ต่างจากที่หน่วยงานรายงานในปีก่อน ({years}) "
                f"เกิน {fmt_decimal(factor, 0)} เท่า"),
                {"value": str(o.value_decimal), "previous": years}))
    return out
