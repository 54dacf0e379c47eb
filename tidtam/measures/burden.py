"""How much an office must fill in for a fiscal year: the reporting burden, measured.

Every place a framework asks for something is an *ask*: a binding of a
measure in one of the framework's rounds, or a narrative slot of a node in a
round. An *input* is what the office actually has to type: one per distinct
fact — a (measure, period, breakdown) for figures, a (topic, period, kind,
level) for narrative blocks. Before the observation store each ask was typed
on its own, so the old burden is the number of asks; now it is the number of
inputs, and an input asked in more than one place is *shared*.

Computed ratios are never typed and not counted. A plan's own indicators
(not adopted from a template) each count as one input of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tidtam.frameworks.models import Framework, FrameworkNode, Layout, Method
from tidtam.measures.models import Period
from tidtam.narratives.models import topic_of
from tidtam.orgs.models import OrgUnit


@dataclass
class Burden:
    org: OrgUnit
    fiscal_year: int
    #: input key → the places that ask for it ("qp 1 รอบ 6 เดือน", …)
    asked: dict[tuple[Any, ...], list[str]] = field(default_factory=lambda: defaultdict(list))
    by_framework: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: figure inputs a register of the office (incidents, children) already fills
    fed: set[tuple[Any, ...]] = field(default_factory=set)

    def ask(self, framework: str, key: tuple[Any, ...], where: str) -> None:
        self.asked[key].append(f"{framework} {where}")
        self.by_framework[framework] += 1

    @property
    def inputs(self) -> int:
        return len(self.asked)

    @property
    def shared(self) -> int:
        return sum(1 for places in self.asked.values() if len(places) > 1)

    @property
    def to_type(self) -> int:
        """The inputs somebody types: those no register feeds."""
        return self.inputs - len(self.fed)

    @property
    def before(self) -> int:
        """What the office typed when every document asked on its own: every ask."""
        return sum(self.by_framework.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "org": self.org.code, "fiscal_year": self.fiscal_year, "inputs": self.inputs,
            "by_framework": dict(self.by_framework), "shared": self.shared,
            "asks": self.before, "from_registers": len(self.fed), "to_type": self.to_type,
            "figures": sum(1 for k in self.asked if k[0] == "figure"),
            "narratives": sum(1 for k in self.asked if k[0] == "narrative"),
            "shared_inputs": [{"input": list(map(str, k)), "asked_by": places}
                              for k, places in self.asked.items() if len(places) > 1],
        }


def burden(org: OrgUnit, fiscal_year: int) -> Burden:
    from tidtam.plans.models import Plan

    out = Burden(org, fiscal_year)
    plan = Plan.objects.filter(office=org, fiscal_year=fiscal_year).first()
    indicators = plan.indicators() if plan is not None else []
    adopted = {i.template_id for i in indicators if i.template_id is not None}
    periods: dict[str, Period] = {}

    def period(code: str) -> Period:
        if code not in periods:
            periods[code] = Period.of(fiscal_year, code)
        return periods[code]

    for fw in Framework.objects.filter(fiscal_year=fiscal_year).order_by("order"):
        if fw.layout == Layout.INSPECTION:
            _inspection_asks(out, fw, org)
            continue
        nodes = [n for n in fw.nodes.order_by("position").prefetch_related("elements")
                 if n.applies(org) and n.method != Method.GROUP]
        if fw.layout == Layout.PLAN:
            nodes = [n for n in nodes if n.pk in adopted]
        for node in nodes:
            _node_asks(out, fw, node, period)
    out.fed = _fed_by_registers(out, org)
    for indicator in indicators:
        if indicator.template_id is None:
            out.ask(PLAN, ("plan_indicator", indicator.pk),
                    f"โครงการที่ {indicator.project.number} {indicator.name[:40]}")
    return out


def _fed_by_registers(out: Burden, org: OrgUnit) -> set[tuple[Any, ...]]:
    """The figure inputs whose observation for the office comes from a register."""
    from tidtam.measures.models import Observation, SourceKind

    figures = {k for k in out.asked if k[0] == "figure"}
    stored = Observation.objects.filter(
        org=org, source_kind=SourceKind.REGISTER, period_id__in={k[2] for k in figures},
        measure__code__in={k[1] for k in figures}, measure__fiscal_year=out.fiscal_year,
    ).values_list("measure__code", "period_id", "category")
    return {("figure", *row) for row in stored} & figures


def _node_asks(out: Burden, fw: Framework, node: FrameworkNode, period: Any) -> None:
    rounds = list(fw.rounds) or ["year"]
    for rnd in rounds:
        label = dict(fw.round_labels()).get(rnd, rnd)
        for e in node.elements.all():
            if e.measure.is_computed:
                continue
            if e.period and rnd != rounds[0]:
                continue  # a binding that names its period asks once, whatever the round
            p = period(e.period or rnd)
            out.ask(_code(fw), ("figure", e.measure.code, p.pk, e.category),
                    f"{node.heading} {e.name_th[:30]} ({label})")
        topic = topic_of(node) if fw.narrative_slots else None
        for slot in fw.narrative_slots:
            where = ("topic", topic.pk) if topic is not None else ("node", node.pk)
            out.ask(_code(fw), ("narrative", *where, period(rnd).pk, slot["kind"], slot["level"]),
                    f"{node.heading} {slot['label']} ({label})")


def _inspection_asks(out: Burden, fw: Framework, org: OrgUnit) -> None:
    """What the inspection form asks a unit for the compiled round: each issue it must
    answer (not the optional ones), a progress answer per question asked of a province,
    the figures those questions bind, and one block per other sub-section (and part).

    Figures are keyed like every framework's, so a dropout count QP2 asks for the
    same period is one input; texts are keyed by the issue's topic when it has one.
    """
    from tidtam.inspection.figures import ROUND, round_period
    from tidtam.inspection.models import Level

    period = round_period(fw, ROUND)
    label = f"รอบที่ {ROUND}"
    nodes = list(fw.nodes.order_by("position").prefetch_related("elements"))
    for issue in (n for n in nodes if n.depth == 1 and not n.optional):
        topic = topic_of(issue)
        where: tuple[Any, ...] = ("topic", topic.pk) if topic is not None else ("node", issue.pk)
        for q in (n for n in nodes if n.parent_id == issue.pk and Level.PROVINCE in n.levels):
            key = ("narrative", *where, period.pk, fw.sections[0]["kind"], "", q.pk)
            out.ask(fw.code, key, f"{issue.code} ข้อ {q.number} ({label})")
            for e in q.elements.all():
                if e.measure.is_computed:
                    continue
                p = round_period(fw, ROUND, e)
                out.ask(fw.code, ("figure", e.measure.code, p.pk, e.category),
                        f"{issue.code} ข้อ {q.number} {e.name_th[:30]} ({label})")
        for section in fw.sections[1:]:
            for part in section.get("parts") or [{"level": ""}]:
                out.ask(fw.code, ("narrative", *where, period.pk, section["kind"],
                                  part["level"]),
                        f"{issue.code} {section['title'][:30]} ({label})")


#: Asks of an office's action plan, its own indicators and the templates it adopted alike.
PLAN = "plan"


def _code(fw: Framework) -> str:
    return PLAN if fw.layout == Layout.PLAN else fw.code
