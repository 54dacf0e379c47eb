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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Q

from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import Band, Framework, FrameworkNode, classify
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.reporting.models import DataValue, State, Submission

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
    provinces = OrgUnit.objects.filter(path__startswith=node.path, type=OrgType.PROVINCE)
    q = Q(path__startswith=node.path) | Q(provinces__in=provinces)
    qs = OrgUnit.objects.filter(q, type__in=AREA_OFFICE_TYPES, is_active=True)
    if office_type:
        qs = qs.filter(type=office_type)
    ids = set(qs.values_list("pk", flat=True))
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("code"))


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
) -> FrameworkAggregate:
    """Every rated indicator of ``framework`` over the offices ``scope`` stands for.

    ``offices`` narrows the set further (a dashboard's permission scope); it
    is intersected with the scope, never widened.
    """
    chosen = offices_for(scope, office_type)
    if offices is not None:
        allowed = {o.pk for o in offices}
        chosen = [o for o in chosen if o.pk in allowed]
    by_id = {o.pk: o for o in chosen}
    bands = list(framework.band_table.bands.all())
    nodes = [n for n in framework.nodes.order_by("position").prefetch_related("elements")
             if n.is_rated]
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
    used_subs = {pk: org_id for org_id, (pk, _r) in latest.items()}

    values = DataValue.objects.filter(
        report__submission_id__in=list(used_subs), value_decimal__isnull=False
    ).values_list("pk", "report__submission_id", "report__node_id", "element_id",
                  "value_decimal")
    by_node_values: dict[int, list[tuple[int, int, int, Decimal]]] = defaultdict(list)
    for pk, sub_id, node_id, element_id, value in values:
        if value is not None:
            by_node_values[node_id].append((pk, used_subs[sub_id], element_id, value))

    ratings = Rating.objects.filter(
        framework=framework, org_id__in=by_id, round__in=rounds, level__isnull=False,
        node__isnull=False,
    ).values_list("pk", "org_id", "node_id", "level")
    by_node_ratings: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for pk, org_id, node_id, level in ratings:
        if node_id is not None and level is not None:
            by_node_ratings[node_id].append((pk, org_id, level))

    result = []
    for node in nodes:
        result.append(_indicator(
            node, round, chosen, subs, by_node_values.get(node.pk, []),
            by_node_ratings.get(node.pk, []), bands,
        ))
    return FrameworkAggregate(
        framework, scope, round, office_type, chosen, result,
        [(b.level, b.label_th) for b in bands],
    )


def _indicator(
    node: FrameworkNode, round: str | None, offices: list[OrgUnit],
    subs: list[tuple[int, int, str]], values: list[tuple[int, int, int, Decimal]],
    ratings: list[tuple[int, int, int]], bands: Sequence[Band],
) -> IndicatorAggregate:
    agg = IndicatorAggregate(node=node, round=round)
    applies = {o.pk for o in offices if node.applies(o)}
    agg.expected = sorted(applies)
    agg.submitted = sorted(pk for pk, org_id, _r in subs if org_id in applies)
    agg.submitted_offices = sorted({org_id for _pk, org_id, _r in subs if org_id in applies})

    elements = {e.pk: e for e in node.elements.all()}
    for e in elements.values():
        if e.value_type in ("integer", "decimal", "money"):
            agg.sums[e.code] = ElementSum(e.code, e.name_th, e.unit)
    for pk, org_id, element_id, value in values:
        found = elements.get(element_id)
        if found is None or found.code not in agg.sums or org_id not in applies:
            continue
        s = agg.sums[found.code]
        s.total += value
        s.offices += 1
        s.value_ids.append(pk)
        s.by_office[org_id] = value
    for r in rules_for(node).get("ratios", []):
        num, den = agg.sums.get(r["numerator"]), agg.sums.get(r["denominator"])
        if num is not None and den is not None:
            agg.ratios.append(Ratio(num, den))

    per_office: dict[int, list[int]] = defaultdict(list)
    for pk, org_id, level in ratings:
        if org_id in applies:
            per_office[org_id].append(level)
            agg.rating_ids.append(pk)
    agg.rating_ids.sort()
    agg.rated_offices = sorted(per_office)
    for level, label in ((b.level, b.label_th) for b in bands):
        agg.levels.setdefault(level, 0)
        agg.labels.setdefault(label, 0)
    for org_id, levels in per_office.items():
        value = sum((Decimal(v) for v in levels), Decimal(0)) / len(levels)
        band = classify(bands, value)
        agg.office_values[org_id] = value
        agg.levels[band.level] = agg.levels.get(band.level, 0) + 1
        agg.labels[band.label_th] = agg.labels.get(band.label_th, 0) + 1
    return agg
