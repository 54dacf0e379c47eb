"""From ratings to averages, labels and suggestions — the numbers on a sheet.

Everything is exact ``Decimal`` arithmetic; rounding happens only when a
figure is shown (and when a label is chosen, which is judged on the figure as
shown). Each result keeps the ids of the ratings it came from so any printed
number can be traced back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tidtam.evaluation.actuals import decimal_of, observation_id
from tidtam.evaluation.actuals import shown as shown_actuals
from tidtam.evaluation.models import Rating, Status
from tidtam.frameworks.models import Band, Framework, FrameworkNode, Method, OverallMethod, classify
from tidtam.measures.models import ObservationValue
from tidtam.orgs.models import OrgUnit


def mean(values: Sequence[Decimal | int]) -> Decimal | None:
    if not values:
        return None
    return sum((Decimal(v) for v in values), Decimal(0)) / len(values)


@dataclass
class Judged:
    """An average and the band it falls in."""

    average: Decimal | None = None
    level: int | None = None
    label: str | None = None

    @classmethod
    def of(cls, average: Decimal | None, bands: Sequence[Band]) -> Judged:
        if average is None:
            return cls()
        band = classify(bands, average)
        return cls(average, band.level, band.label_th)

    @classmethod
    def of_level(cls, level: int | None, bands: Sequence[Band]) -> Judged:
        """A level the evaluator set: its label comes from the same band table."""
        if level is None:
            return cls()
        return cls(Decimal(level), level, classify(bands, Decimal(level)).label_th)


@dataclass
class NodeResult:
    node: FrameworkNode
    applicable: bool
    status: str | None = None  # a Status value, or None when nothing was recorded
    rounds: dict[str, int | None] = field(default_factory=dict)
    result: Judged = field(default_factory=Judged)
    suggestion: Judged = field(default_factory=Judged)
    target: Decimal | None = None
    actual: Decimal | None = None
    actual_observation: int | None = None  # the observation the actual was read from
    achieved: bool | None = None
    children: list[NodeResult] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """The evaluator's level and the computed suggestion disagree."""
        s, r = self.suggestion.level, self.result.level
        return s is not None and r is not None and s != r

    @property
    def counts_in_overall(self) -> bool:
        return self.applicable and self.result.average is not None

    def effective_average(self) -> Decimal | None:
        """What this node contributes to its parent's suggestion."""
        if self.result.average is not None:
            return self.result.average
        if self.node.method == Method.GROUP:
            return mean([a for c in self.children if (a := c.effective_average()) is not None])
        return None

    def walk(self) -> Iterable[NodeResult]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Overall:
    result: Judged
    count: int
    suggestion: Judged = field(default_factory=Judged)
    sources: list[int] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        s, r = self.suggestion.level, self.result.level
        return s is not None and r is not None and s != r


@dataclass
class FrameworkResult:
    framework: Framework
    org: OrgUnit
    roots: list[NodeResult]
    overall: Overall

    def nodes(self) -> list[NodeResult]:
        return [n for r in self.roots for n in r.walk()]


def evaluate(org: OrgUnit, framework: Framework,
             ratings: Iterable[Rating] | None = None,
             actuals: Mapping[int, ObservationValue] | None = None, *,
             approved_only: bool = False) -> FrameworkResult:
    """Compute every node's result and the overall for one office and framework.

    ``ratings``: the ratings to score (e.g. the official ones only); default:
    all the office's stored ratings of the framework. ``actuals``: node id →
    the observation (or pinned revision) of a target node's result; default:
    read from the store (as pinned for readers when ``approved_only``).
    """
    bands = framework.bands()
    nodes = list(framework.nodes.all().order_by("position"))
    scored = list(Rating.objects.filter(org=org, framework=framework)) if ratings is None \
        else [r for r in ratings if r.framework_id == framework.pk]
    if actuals is None:
        actuals = shown_actuals(org, framework, approved_only=approved_only)
    by_node: dict[int | None, list[Rating]] = {}
    for r in scored:
        by_node.setdefault(r.node_id, []).append(r)

    results: dict[int, NodeResult] = {}
    roots: list[NodeResult] = []
    for node in nodes:
        res = _node_result(node, org, framework, by_node.get(node.pk, []), bands,
                           actuals.get(node.pk))
        results[node.pk] = res
        if node.parent_id is None:
            roots.append(res)
        else:
            results[node.parent_id].children.append(res)
    # Suggestions need the children, so they come after the tree is built.
    for res in results.values():
        if res.node.method == Method.AGGREGATE and res.applicable:
            res.suggestion = Judged.of(
                mean([a for c in res.children if (a := c.effective_average()) is not None]), bands
            )
    return FrameworkResult(framework, org, roots, _overall(framework, roots, by_node, bands))


def _node_result(
    node: FrameworkNode, org: OrgUnit, framework: Framework,
    ratings: list[Rating], bands: Sequence[Band], actual: ObservationValue | None = None,
) -> NodeResult:
    res = NodeResult(node=node, applicable=node.applies(org), sources=[r.pk for r in ratings])
    if not res.applicable:
        res.status = Status.NOT_APPLICABLE
        return res
    if node.method == Method.MONITORED:
        res.status = Status.MONITORED
        return res
    if node.method == Method.GROUP:
        return res
    by_round = {r.round: r for r in ratings}
    statuses = {r.status for r in ratings}
    if node.method == Method.LEVELS_PER_ROUND:
        res.rounds = {
            rnd: (by_round[rnd].level if rnd in by_round else None) for rnd in framework.rounds
        }
        levels = [lv for lv in res.rounds.values() if lv is not None]
        res.result = Judged.of(mean(levels), bands)
    elif node.method == Method.TARGET:
        r = next(iter(ratings), None)
        res.target = node.target_value
        if r is not None and r.target_value is not None:
            res.target = r.target_value
        # The result is the observation the office typed (or the evaluator or an
        # import corrected), not a field of the rating: one fact, stored once.
        res.actual = decimal_of(actual)
        res.actual_observation = observation_id(actual)
        rated = r is None or r.status == Status.RATED
        if res.actual is not None and rated and res.target is not None:
            res.achieved = (
                res.actual >= res.target if node.target_comparator == ">="
                else res.actual <= res.target
            )
    else:  # single level, or the evaluator's level of an aggregate
        r = next(iter(ratings), None)
        if r is not None:
            res.result = Judged.of_level(r.level, bands)
    if Status.NOT_APPLICABLE in statuses and all(
        r.status == Status.NOT_APPLICABLE for r in ratings
    ):
        res.applicable = False
        res.status = Status.NOT_APPLICABLE
    elif ratings:
        res.status = (statuses - {Status.RATED} or {Status.RATED}).pop()
    elif res.actual is not None:
        res.status = Status.RATED  # the office's typed result is all a target node needs
    return res


def _overall(
    framework: Framework, roots: list[NodeResult], by_node: dict[int | None, list[Rating]],
    bands: Sequence[Band],
) -> Overall:
    if framework.overall == OverallMethod.EVALUATOR:
        counted = [r for r in roots if r.counts_in_overall]
        own = by_node.get(None, [])
        result = Judged.of_level(own[0].level if own else None, bands)
        suggestion = Judged.of(mean([r.result.average for r in counted if r.result.average]), bands)
        return Overall(result, len(counted), suggestion, [r.pk for r in own])
    counted = [
        n for r in roots for n in r.walk()
        if n.counts_in_overall and n.node.method in (Method.LEVELS_PER_ROUND, Method.SINGLE_LEVEL)
    ]
    averages = [n.result.average for n in counted if n.result.average is not None]
    sources = [s for n in counted for s in n.sources]
    return Overall(Judged.of(mean(averages), bands), len(averages), sources=sources)
