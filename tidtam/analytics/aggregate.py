"""National figures: sums, ratios, level distributions and coverage over the org tree.

Everything is computed from stored rows with exact ``Decimal`` arithmetic and
keeps the ids of the rows behind it (submissions, data values, ratings), so
any printed national figure can be traced to the offices that reported it.

Which offices a node stands for
    The area offices in the node's subtree, plus the area offices linked
    (``OrgUnit.provinces``) to a province in the node's subtree. So the nation
    (MOE), OBEC and OPS all mean every area office; a Regional Education
    Office means the offices serving its provinces; a province the offices
    serving it. An office spanning two provinces of one region counts once in
    that region (the set is distinct).

How an office spanning two provinces is attributed to one province
    In a table *by province* each office appears in exactly one row, its seat
    province, so province rows add up to the region and the nation. The seat
    is the province OBEC names first in the office's name ("สพม.ลำปาง ลำพูน"
    sits in ลำปาง); if no province name occurs in the office's name, the
    lowest province code. See ``seat_province``.

What counts
    *Submitted*: a submission of the round that has left the office
    (submitted, resubmitted, rated or approved; a draft or a returned report
    is not a report yet). Data values are summed from submitted submissions
    only. *Rated*: a rating with a level for the indicator and round.
    *Expected*: the offices the indicator applies to (6a: สพป. only).
    Without a round, each office contributes its latest submitted round's
    figures (figures are cumulative: adding the 6- and 12-month reports would
    count learners twice) and its indicator average over the rated rounds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet

from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import Band, DataElement, Framework, FrameworkNode, classify
from tidtam.measures.models import Observation, Period
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.reporting.models import State, Submission

FIGURES_FILE = Path(__file__).resolve().parent / "fixtures" / "figures.yaml"
REPORTED_STATES = (State.SUBMITTED, State.RESUBMITTED, State.RATED, State.APPROVED)
HUNDRED = Decimal(100)


@cache
def figure_rules() -> dict[str, dict[str, dict[str, Any]]]:
    """The ratio/total/headline definitions per framework code and indicator (data)."""
    data = yaml.safe_load(FIGURES_FILE.read_text(encoding="utf-8")) or {}
    return {str(fw): {str(k): v or {} for k, v in nodes.items()} for fw, nodes in data.items()}


def rules_for(node: FrameworkNode) -> dict[str, Any]:
    return figure_rules().get(node.framework.code, {}).get(node.code, {})


# --- which offices ----------------------------------------------------------
def offices_for(node: OrgUnit, office_type: str | None = None) -> list[OrgUnit]:
    """The area offices a tree node stands for (see the module docstring)."""
    return list(_offices_query(node, office_type).order_by("code"))


def _offices_query(node: OrgUnit, office_type: str | None) -> QuerySet[OrgUnit]:
    # One query, without joining the ~29,000 units to their province links: an
    # office is in the subtree, or its id is among the offices linked to a
    # province of the subtree (a subquery over the link table alone).
    through = OrgUnit.provinces.through
    linked = through.objects.filter(
        to_orgunit__path__startswith=node.path, to_orgunit__type=OrgType.PROVINCE
    ).values("from_orgunit_id")
    q = Q(path__startswith=node.path) | Q(pk__in=linked)
    qs = OrgUnit.objects.filter(q, type__in=AREA_OFFICE_TYPES, is_active=True)
    if office_type:
        qs = qs.filter(type=office_type)
    return qs


def seat_province(office: OrgUnit, provinces: Sequence[OrgUnit]) -> OrgUnit | None:
    """The one province an office is attributed to in a by-province table."""
    if not provinces:
        return None

    def key(p: OrgUnit) -> tuple[int, str]:
        at = office.name_th.find(p.display_name)
        return (at if at >= 0 else len(office.name_th) + 1, p.code)

    return min(provinces, key=key)


def seats(offices: Iterable[OrgUnit]) -> dict[int, OrgUnit]:
    """office id → its seat province, in two queries."""
    offices = list(offices)
    through = OrgUnit.provinces.through
    links = through.objects.filter(from_orgunit_id__in=[o.pk for o in offices])
    by_office: dict[int, list[int]] = defaultdict(list)
    for from_id, to_id in links.values_list("from_orgunit_id", "to_orgunit_id"):
        by_office[from_id].append(to_id)
    provinces = OrgUnit.objects.in_bulk({p for ps in by_office.values() for p in ps})
    out = {}
    for o in offices:
        seat = seat_province(o, [provinces[p] for p in by_office.get(o.pk, [])])
        if seat is not None:
            out[o.pk] = seat
    return out


# --- results ------------------------------------------------------------------
@dataclass
class ElementSum:
    """One data element summed over the offices that reported it."""

    code: str
    name_th: str
    unit: str
    total: Decimal = Decimal(0)
    offices: int = 0
    value_ids: list[int] = field(default_factory=list)
    by_office: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class Ratio:
    """Σ numerator / Σ denominator, as a percentage, computed after summing."""

    numerator: ElementSum
    denominator: ElementSum

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator.total:
            return None
        return self.numerator.total * HUNDRED / self.denominator.total


@dataclass
class IndicatorAggregate:
    node: FrameworkNode
    round: str | None
    expected: list[int] = field(default_factory=list)  # office ids
    submitted: list[int] = field(default_factory=list)  # submission ids
    submitted_offices: list[int] = field(default_factory=list)
    rated_offices: list[int] = field(default_factory=list)
    rating_ids: list[int] = field(default_factory=list)
    sums: dict[str, ElementSum] = field(default_factory=dict)
    ratios: list[Ratio] = field(default_factory=list)
    levels: dict[int, int] = field(default_factory=dict)  # level → offices
    labels: dict[str, int] = field(default_factory=dict)  # label → offices
    office_values: dict[int, Decimal] = field(default_factory=dict)  # office → level/average

    @property
    def average(self) -> Decimal | None:
        """Mean of the offices' levels (or averages), exact."""
        vals = list(self.office_values.values())
        if not vals:
            return None
        return sum(vals, Decimal(0)) / len(vals)

    @property
    def coverage_submitted(self) -> Decimal | None:
        if not self.expected:
            return None
        return Decimal(len(self.submitted_offices)) * HUNDRED / len(self.expected)

    @property
    def coverage_rated(self) -> Decimal | None:
        if not self.expected:
            return None
        return Decimal(len(self.rated_offices)) * HUNDRED / len(self.expected)


@dataclass
class FrameworkAggregate:
    framework: Framework
    scope: OrgUnit
    round: str | None
    office_type: str | None
    offices: list[OrgUnit]
    indicators: list[IndicatorAggregate]
    band_labels: list[tuple[int, str]]  # (level, label) from the top

    def indicator(self, code: str) -> IndicatorAggregate:
        return next(i for i in self.indicators if i.node.code == code)


def aggregate(
    scope: OrgUnit, framework: Framework, round: str | None = None,
    office_type: str | None = None, offices: Sequence[OrgUnit] | None = None,
    only: Collection[str] | None = None, ratios_only: bool = False,
) -> FrameworkAggregate:
    """Every rated indicator of ``framework`` over the offices ``scope`` stands for.

    ``offices`` narrows the set further (a dashboard's permission scope); it
    is intersected with the scope, never widened. ``only`` (indicator codes)
    computes just those indicators, each exactly as it would be among all of
    them (a dashboard shows one). ``ratios_only`` sums only the figures the
    indicators' ratios are taken from (``sums`` holds no others): a dashboard
    prints no other sum, and reading the rest is half the observations.
    """
    qs = _offices_query(scope, office_type)
    if offices is not None:  # intersected in the database: an index lookup, not a scan
        qs = qs.filter(pk__in=[o.pk for o in offices])
    chosen = list(qs.order_by("code"))
    by_id = {o.pk: o for o in chosen}
    bands = framework.bands()
    nodes = [n for n in framework.nodes.order_by("position").prefetch_related("elements")
             if n.is_rated and (only is None or n.code in only)]
    rounds = [round] if round else list(framework.rounds)

    subs = list(
        Submission.objects.filter(
            framework=framework, round__in=rounds, org_id__in=by_id, state__in=REPORTED_STATES
        ).values_list("pk", "org_id", "round")
    )
    # The submission each office contributes figures from: its latest reported round.
    order = {r: i for i, r in enumerate(framework.rounds)}
    latest: dict[int, tuple[int, str]] = {}
    for pk, org_id, rnd in subs:
        if org_id not in latest or order.get(rnd, 0) > order.get(latest[org_id][1], 0):
            latest[org_id] = (pk, rnd)

    applies_of = _applicability(nodes, chosen)
    result = [_indicator(node, round, applies_of[node.pk], subs, bands, ratios_only)
              for node in nodes]
    # Each office contributes the observations of its latest reported round's period (or
    # the period a binding names): (measure id, period id) → the sums that read it.
    periods: dict[str, Period] = {}

    def period_of(code: str) -> Period:
        if code not in periods:
            periods[code] = Period.of(framework.fiscal_year, code)
        return periods[code]

    targets: dict[tuple[int, int], list[tuple[ElementSum, frozenset[int]]]] = defaultdict(list)
    wanted_rounds = {rnd for _pk, rnd in latest.values()}
    for node, agg in zip(nodes, result, strict=True):
        for e in node.elements.all():
            if e.code not in agg.sums or e.category:
                continue
            for rnd in wanted_rounds:
                period = period_of(e.period or rnd)
                offices_here = frozenset(org_id for org_id, (_pk, r) in latest.items()
                                         if r == rnd and org_id in applies_of[node.pk])
                targets[(e.measure_id, period.pk)].append((agg.sums[e.code], offices_here))
    values = Observation.objects.filter(
        org_id__in=list(latest), measure_id__in={m for m, _p in targets},
        period_id__in={p for _m, p in targets}, category="", value_decimal__isnull=False,
    )
    _add_values(values, targets)

    ratings = Rating.objects.filter(
        framework=framework, org_id__in=by_id, round__in=rounds, level__isnull=False,
        node__isnull=False,
    )
    if only is not None:
        ratings = ratings.filter(node_id__in=[n.pk for n in nodes])
    _add_ratings(ratings.values_list("pk", "org_id", "node_id", "level"),
                 {n.pk: (agg, applies_of[n.pk]) for n, agg in zip(nodes, result, strict=True)},
                 bands)
    return FrameworkAggregate(
        framework, scope, round, office_type, chosen, result,
        [(b.level, b.label_th) for b in bands],
    )


def _applicability(nodes: Sequence[FrameworkNode], offices: Sequence[OrgUnit]
                   ) -> dict[int, frozenset[int]]:
    """node id → the ids of the offices it applies to.

    ``FrameworkNode.applies`` judges an office by its type, so it is asked once
    per type present rather than once per office and indicator (≈3,000 calls
    at national scale, a third of the time this function used to take).
    """
    by_type: dict[str, list[OrgUnit]] = defaultdict(list)
    for o in offices:
        by_type[o.type].append(o)
    out = {}
    for node in nodes:
        out[node.pk] = frozenset(o.pk for members in by_type.values()
                                 if node.applies(members[0]) for o in members)
    return out


def _indicator(
    node: FrameworkNode, round: str | None, applies: frozenset[int],
    subs: list[tuple[int, int, str]], bands: Sequence[Band], ratios_only: bool = False,
) -> IndicatorAggregate:
    """The indicator's aggregate before its data values and ratings are added."""
    agg = IndicatorAggregate(node=node, round=round)
    agg.expected = sorted(applies)
    agg.submitted = sorted(pk for pk, org_id, _r in subs if org_id in applies)
    agg.submitted_offices = sorted({org_id for _pk, org_id, _r in subs if org_id in applies})
    for e in node.elements.all():
        if e.value_type in ("integer", "decimal", "money"):
            agg.sums[e.code] = ElementSum(e.code, e.name_th, e.unit)
    for r in rules_for(node).get("ratios", []):
        num, den = agg.sums.get(r["numerator"]), agg.sums.get(r["denominator"])
        if num is not None and den is not None:
            agg.ratios.append(Ratio(num, den))
    if ratios_only:
        read = {s.code for r in agg.ratios for s in (r.numerator, r.denominator)}
        agg.sums = {code: s for code, s in agg.sums.items() if code in read}
    for level, label in ((b.level, b.label_th) for b in bands):
        agg.levels.setdefault(level, 0)
        agg.labels.setdefault(label, 0)
    return agg


def _add_values(
    values: QuerySet[Observation],
    targets: dict[tuple[int, int], list[tuple[ElementSum, frozenset[int]]]],
) -> None:
    """Add each observation to the sums of the bindings that read it, keeping its id and office.

    The rows are read with a plain cursor and only the value column goes
    through Django's converters for ``Observation.value_decimal`` (on SQLite:
    float → Decimal at 15 significant digits, quantized to the field's
    places), so every value is the Decimal the ORM would give. The ORM's
    generic per-row converter loop over ~9,000 national rows was the largest
    single cost of a national aggregate on SQLite.
    """
    db = connections[values.db]
    col = Observation._meta.get_field("value_decimal").get_col(Observation._meta.db_table)
    converters = [*db.ops.get_db_converters(col), *col.get_db_converters(db)]
    query = values.values_list("pk", "org_id", "measure_id", "period_id", "value_decimal").query
    try:
        sql, params = query.get_compiler(connection=db).as_sql()
    except EmptyResultSet:  # no office reported: nothing to add
        return
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Equal raw values convert to the same Decimal (SQLite returns an int or a
    # float; an int and a float of equal value are both exact), and national
    # figures repeat a lot (~3,000 distinct values in ~9,000 rows): convert once.
    converted: dict[Any, Decimal] = {}
    for pk, org_id, measure_id, period_id, raw in rows:
        readers = targets.get((measure_id, period_id))
        if not readers:
            continue
        if not converters:
            value = raw
        elif raw in converted:
            value = converted[raw]
        else:
            value = raw
            for convert in converters:
                value = convert(value, col, db)
            converted[raw] = value
        for s, offices in readers:
            if org_id not in offices:
                continue
            s.total += value
            s.offices += 1
            s.value_ids.append(pk)
            s.by_office[org_id] = value


def _add_ratings(
    ratings: Iterable[tuple[int, int, int | None, int | None]],
    aggs: dict[int, tuple[IndicatorAggregate, frozenset[int]]], bands: Sequence[Band],
) -> None:
    """Levels per office (their mean over the rounds) and the offices per level and label."""
    per_office: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, org_id, node_id, level in ratings:
        if node_id is None or level is None or node_id not in aggs:
            continue
        agg, applies = aggs[node_id]
        if org_id in applies:
            per_office[node_id][org_id].append(level)
            agg.rating_ids.append(pk)
    # The same levels give the same mean and band: classify each distinct set once.
    seen: dict[tuple[int, ...], tuple[Decimal, Band]] = {}
    for node_id, (agg, _applies) in aggs.items():
        agg.rating_ids.sort()
        offices = per_office.get(node_id, {})
        agg.rated_offices = sorted(offices)
        for org_id, levels in offices.items():
            key = tuple(levels)
            if key not in seen:
                mean = sum((Decimal(v) for v in levels), Decimal(0)) / len(levels)
                seen[key] = (mean, classify(bands, mean))
            value, band = seen[key]
            agg.office_values[org_id] = value
            agg.levels[band.level] = agg.levels.get(band.level, 0) + 1
            agg.labels[band.label_th] = agg.labels.get(band.label_th, 0) + 1


# --- one indicator over the years ------------------------------------------------
@dataclass
class YearFigure:
    """One indicator in one fiscal year: what ``aggregate`` would give for it, and no more.

    ``average`` and ``percent`` equal ``aggregate(...).indicator(code).average`` and
    ``.ratios[0].percent`` over the same scope, round, office type and offices.
    """

    framework: Framework
    node: FrameworkNode
    expected: int
    reported: int
    rated: int
    average: Decimal | None
    percent: Decimal | None


def indicator_by_year(
    code: str, frameworks: Sequence[Framework], scope: OrgUnit, round: str | None = None,
    office_type: str | None = None, offices: Sequence[OrgUnit] | None = None, *,
    chosen: Sequence[OrgUnit] | None = None,
) -> list[YearFigure]:
    """The indicator ``code`` in each of ``frameworks`` (a trend), in four queries in all.

    A dashboard's trend needs one average and one percentage per year; running
    ``aggregate`` once per year would also read every data value and rating
    behind them, with their ids. A framework without the indicator (or, given
    a round, without that round) is left out. ``chosen``: the offices an
    ``aggregate`` of the same scope, type and offices already chose (its
    ``offices``), so that they are not looked up again.
    """
    if chosen is None:
        qs = _offices_query(scope, office_type)
        if offices is not None:
            qs = qs.filter(pk__in=[o.pk for o in offices])
        chosen = list(qs)
    ids = {o.pk for o in chosen}
    nodes = {n.framework_id: n for n in FrameworkNode.objects.filter(
        framework__in=frameworks, code=code).select_related("framework")
        .prefetch_related("elements") if n.is_rated}
    years = [(fw, nodes[fw.pk]) for fw in frameworks
             if fw.pk in nodes and (round is None or round in fw.rounds)]
    rounds_of = {fw.pk: [round] if round else list(fw.rounds) for fw, _n in years}
    round_order = {fw.pk: list(fw.rounds) for fw, _n in years}
    framework_of = {n.pk: fw.pk for fw, n in years}
    all_rounds = {r for rs in rounds_of.values() for r in rs}
    applies = {node.pk: _applicability([node], chosen)[node.pk] for _fw, node in years}

    latest: dict[tuple[int, int], tuple[int, int]] = {}  # (framework, office) → (order, sub)
    reported: dict[int, set[int]] = defaultdict(set)
    for pk, fw_id, org_id, rnd in Submission.objects.filter(
        framework__in=[fw for fw, _n in years], round__in=all_rounds, org_id__in=ids,
        state__in=REPORTED_STATES,
    ).values_list("pk", "framework_id", "org_id", "round"):
        if rnd not in rounds_of[fw_id] or org_id not in applies[nodes[fw_id].pk]:
            continue
        reported[fw_id].add(org_id)
        order = round_order[fw_id].index(rnd)  # figures are cumulative: the latest round's
        if (fw_id, org_id) not in latest or order > latest[(fw_id, org_id)][0]:
            latest[(fw_id, org_id)] = (order, pk)

    # node id → (numerator binding, denominator binding)
    pairs: dict[int, tuple[DataElement, DataElement]] = {}
    for _fw, node in years:
        numeric = {e.code: e for e in node.elements.all()
                   if e.value_type in ("integer", "decimal", "money") and not e.category}
        for r in rules_for(node).get("ratios", []):
            if r["numerator"] in numeric and r["denominator"] in numeric:
                pairs[node.pk] = (numeric[r["numerator"]], numeric[r["denominator"]])
                break
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)  # (node, element) → Σ
    # Each office's observations of its latest reported round, read by the pair's bindings.
    year_of = {fw.pk: fw.fiscal_year for fw, _n in years}
    readers: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
    asked = {(fw_id, org_id, e, (year_of[fw_id], e.period or round_order[fw_id][order]))
             for (fw_id, org_id), (order, _sub) in latest.items()
             for e in pairs.get(nodes[fw_id].pk, ())}
    periods = Period.many(key for *_rest, key in asked)
    for fw_id, org_id, e, key in asked:
        readers[(org_id, e.measure_id, periods[key].pk)].append((nodes[fw_id].pk, e.pk))
    if readers:
        for org_id, measure_id, period_id, value in Observation.objects.filter(
            org_id__in={k[0] for k in readers}, measure_id__in={k[1] for k in readers},
            period_id__in={k[2] for k in readers}, category="", value_decimal__isnull=False,
        ).values_list("org_id", "measure_id", "period_id", "value_decimal"):
            for node_id, element_id in readers.get((org_id, measure_id, period_id), []):
                sums[(node_id, element_id)] += value  # type: ignore[operator]  # not null

    levels: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for node_id, org_id, rnd, level in Rating.objects.filter(
        node_id__in=[n.pk for _fw, n in years], round__in=all_rounds, org_id__in=ids,
        level__isnull=False,
    ).values_list("node_id", "org_id", "round", "level"):
        if rnd in rounds_of[framework_of[node_id]] and org_id in applies[node_id]:
            levels[node_id][org_id].append(level)  # type: ignore[arg-type]  # not null

    out = []
    for fw, node in years:
        means = [sum((Decimal(v) for v in lv), Decimal(0)) / len(lv)
                 for lv in levels[node.pk].values()]
        percent = None
        if node.pk in pairs:
            num, den = (sums[(node.pk, e.pk)] for e in pairs[node.pk])
            percent = num * HUNDRED / den if den else None
        out.append(YearFigure(
            fw, node, len(applies[node.pk]), len(reported[fw.pk]), len(means),
            sum(means, Decimal(0)) / len(means) if means else None, percent,
        ))
    return out
