"""Checks across frameworks: one office, one year, two frameworks that disagree.

The crosswalk (``tidtam/frameworks/fixtures/fy*/crosswalk.yaml``) says which
nodes of different frameworks ask about one topic. When the same office is
rated far apart on two of them in the same year — 5.00 on QP2 (พาน้องกลับมา
เรียน) and 2 on ESA 3.4.2 (dropout rate), seed 004 L74 and L307 — the
evaluator should look again: one of the two ratings, or the figures behind
them, is likely wrong. Links the seeds do not state (inferred) are not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tidtam.evaluation.scoring import FrameworkResult, evaluate
from tidtam.frameworks.models import Crosswalk, Framework, FrameworkNode, Topic
from tidtam.orgs.models import OrgUnit
from tidtam.thai.numbers import fmt_decimal


@dataclass(frozen=True)
class Rated:
    node: FrameworkNode
    value: Decimal  # the indicator's average, or the level the evaluator set
    sources: tuple[int, ...]

    @property
    def where(self) -> str:
        return f"{self.node.framework.abbr or self.node.framework.code} {self.node.heading}"


@dataclass(frozen=True)
class LevelGap:
    topic: Topic
    high: Rated
    low: Rated
    gap: Decimal

    @property
    def message_th(self) -> str:
        return (
            f"ประเด็น “{self.topic.name_th}”: ได้ระดับ {fmt_decimal(self.high.value)} ใน "
            f"{self.high.where} แต่ได้ระดับ {fmt_decimal(self.low.value)} ใน {self.low.where} "
            f"(ต่างกัน {fmt_decimal(self.gap)} ระดับ) ควรตรวจสอบผลการประเมินหรือข้อมูลที่ใช้ประเมิน"
        )


def level_gaps(org: OrgUnit, fiscal_year: int) -> list[LevelGap]:
    """Every topic on which ``org`` was rated at least the crosswalk's gap apart."""
    cw = Crosswalk.objects.filter(fiscal_year=fiscal_year).first()
    if cw is None or cw.flag_level_gap is None:
        return []
    results: dict[int, FrameworkResult] = {}

    def result_of(framework: Framework) -> FrameworkResult:
        if framework.pk not in results:
            results[framework.pk] = evaluate(org, framework)
        return results[framework.pk]

    found = []
    for topic in cw.topics.prefetch_related("links__node__framework"):
        rated = []
        for link in topic.links.all():
            if link.inferred or not link.node.applies(org):
                continue
            res = next((n for n in result_of(link.node.framework).nodes()
                        if n.node.pk == link.node.pk), None)
            if res is not None and res.applicable and res.result.average is not None:
                rated.append(Rated(link.node, res.result.average, tuple(res.sources)))
        if len(rated) < 2:
            continue
        high = max(rated, key=lambda r: r.value)
        low = min(rated, key=lambda r: r.value)
        if high.value - low.value >= cw.flag_level_gap:
            found.append(LevelGap(topic, high, low, high.value - low.value))
    return found
