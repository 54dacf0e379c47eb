"""The national synthesis of a framework (seed 000's shape), as one content model.

Per indicator: the national figures (sums and ratios after summing), a
chart of those figures and a chart of how many offices reached each level,
coverage, then the texts editors picked — how offices drove the work, best
practices, problems and suggestions split between สพฐ. and สพท. — each with
the office named. Renderers (web page, PDF, DOCX) only lay this out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tidtam.analytics.aggregate import FrameworkAggregate, IndicatorAggregate, aggregate, rules_for
from tidtam.analytics.charts import Chart
from tidtam.analytics.models import Section, SynthesisPick
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.thai.numbers import fmt_decimal

SOURCE_NOTE = "หมายเหตุ: ข้อมูลจากการรายงานในระบบ tidtam"
SECTION_GROUPS = (
    ("การขับเคลื่อนการดำเนินงานของ สพท.", [(Section.DRIVE, "")]),
    ("ตัวอย่างวิธีการปฏิบัติที่เป็นเลิศ/นวัตกรรม", [(Section.BEST_PRACTICE, "")]),
    ("ปัญหา อุปสรรค", [(Section.PROBLEM_CENTRAL, "สพฐ."), (Section.PROBLEM_OFFICE, "สพท.")]),
    ("ข้อเสนอแนะ", [(Section.SUGGESTION_CENTRAL, "สพฐ."), (Section.SUGGESTION_OFFICE, "สพท.")]),
)


@dataclass
class Figure:
    name: str
    unit: str
    value: str
    offices: int


@dataclass
class IndicatorSynthesis:
    code: str
    heading: str
    title: str
    figures: list[Figure]
    ratios: list[str]
    coverage: str
    charts: list[Chart]
    groups: list[dict[str, Any]] = field(default_factory=list)
    aggregate: IndicatorAggregate | None = None


@dataclass
class Synthesis:
    framework: Framework
    round: str
    title: str
    subtitle: str
    offices: int
    indicators: list[IndicatorSynthesis]
    aggregate: FrameworkAggregate


def nation() -> OrgUnit:
    return OrgUnit.objects.filter(parent__isnull=True, type=OrgType.MINISTRY).order_by("pk")[0]


def build_synthesis(framework: Framework, round: str, scope: OrgUnit | None = None) -> Synthesis:
    agg = aggregate(scope or nation(), framework, round)
    picks: dict[int, dict[str, list[SynthesisPick]]] = defaultdict(lambda: defaultdict(list))
    for p in SynthesisPick.objects.filter(node__framework=framework).select_related("org"):
        picks[p.node_id][p.section].append(p)
    indicators = [_indicator(ind, picks[ind.node.pk], agg) for ind in agg.indicators]
    return Synthesis(
        framework=framework, round=round,
        title=f"ผลการสังเคราะห์การดำเนินงานตาม{framework.name_th}",
        subtitle=f"ปีงบประมาณ พ.ศ. {framework.fiscal_year} "
                 f"{dict(framework.round_labels()).get(round, round)} "
                 f"(สำนักงานเขตพื้นที่การศึกษา {len(agg.offices):,} เขต)",
        offices=len(agg.offices), indicators=indicators, aggregate=agg,
    )


def level_chart(ind: IndicatorAggregate, bands: list[tuple[int, str]]) -> Chart:
    """How many offices reached each level (000's distribution charts)."""
    return Chart(
        title="จำนวน สพท. จำแนกตามระดับคุณภาพ",
        labels=[f"{label} ({level})" for level, label in bands],
        values=[_dec(ind.levels.get(level, 0)) for level, _label in bands],
        y_label="จำนวน (เขต)",
    )


def figures_chart(ind: IndicatorAggregate) -> Chart | None:
    codes = headline_codes(ind)
    if not codes:
        return None
    return Chart(
        title="ผลสัมฤทธิ์การดำเนินงานของ สพท.",
        labels=[_short(ind.sums[c].name_th) for c in codes],
        values=[ind.sums[c].total for c in codes],
        kind="barh",
    )


def headline_codes(ind: IndicatorAggregate) -> list[str]:
    wanted = rules_for(ind.node).get("headline") or list(ind.sums)
    return [c for c in wanted if c in ind.sums]


def _indicator(
    ind: IndicatorAggregate, picks: dict[str, list[SynthesisPick]], agg: FrameworkAggregate
) -> IndicatorSynthesis:
    node = ind.node
    figures = [
        Figure(ind.sums[c].name_th, ind.sums[c].unit,
               fmt_decimal(ind.sums[c].total, 0, grouping=True), ind.sums[c].offices)
        for c in headline_codes(ind)
    ]
    ratios = [
        f"{r.numerator.name_th} {fmt_decimal(r.numerator.total, 0, grouping=True)} "
        f"จาก {fmt_decimal(r.denominator.total, 0, grouping=True)} {r.denominator.unit} "
        f"คิดเป็นร้อยละ {fmt_decimal(r.percent)}"
        for r in ind.ratios if r.percent is not None
    ]
    coverage = (
        f"รายงานแล้ว {len(ind.submitted_offices):,} จาก {len(ind.expected):,} เขต"
        f" · ประเมินแล้ว {len(ind.rated_offices):,} เขต"
        + (f" · ระดับเฉลี่ย {fmt_decimal(ind.average)}" if ind.average is not None else "")
    )
    charts = [c for c in (figures_chart(ind), level_chart(ind, agg.band_labels)) if c]
    groups = []
    for title, parts in SECTION_GROUPS:
        groups.append({"title": title, "parts": [
            {"label": label, "items": [
                {"office": p.org.display_name, "text": p.text} for p in picks.get(section, [])
            ]} for section, label in parts
        ]})
    return IndicatorSynthesis(
        code=node.code, heading=node.heading, title=node.display_title, figures=figures,
        ratios=ratios, coverage=coverage, charts=charts, groups=groups, aggregate=ind,
    )


def _short(name: str, limit: int = 48) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _dec(n: int) -> Any:
    from decimal import Decimal

    return Decimal(n)
