"""The plan dashboard: spending against the quarterly plan, indicators on track or at risk."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tidtam.plans.models import Plan, PlanIndicator, QuarterProgress, percent


@dataclass
class IndicatorStatus:
    indicator: PlanIndicator
    value: Decimal | None
    quarter: int | None  # the quarter the value was reported in; None = the year's result
    on_track: bool | None

    @property
    def label(self) -> str:
        if self.on_track is None:
            return "ยังไม่มีข้อมูล"
        return "ตามเป้าหมาย" if self.on_track else "มีความเสี่ยง"


def indicator_status(indicator: PlanIndicator, reports: list[QuarterProgress]) -> IndicatorStatus:
    """Judge the latest value reported in a quarter; without one, the stored result."""
    for report in sorted(reports, key=lambda r: r.quarter, reverse=True):
        raw = report.indicator_actuals.get(str(indicator.pk))
        if raw is not None:
            value = Decimal(raw)
            target = indicator.target_value
            ok = value <= target if indicator.comparator == "<=" else value >= target
            return IndicatorStatus(indicator, value, report.quarter, ok)
    return IndicatorStatus(indicator, indicator.result(), None, indicator.achieved())


@dataclass
class Dashboard:
    plan: Plan
    spending: list[dict[str, Decimal | None]]
    indicators: list[IndicatorStatus]

    @property
    def on_track(self) -> int:
        return sum(1 for s in self.indicators if s.on_track)

    @property
    def at_risk(self) -> list[IndicatorStatus]:
        return [s for s in self.indicators if s.on_track is False]

    @property
    def no_data(self) -> int:
        return sum(1 for s in self.indicators if s.on_track is None)


def plan_dashboard(plan: Plan) -> Dashboard:
    reports: dict[int, list[QuarterProgress]] = {}
    for report in QuarterProgress.objects.filter(project__plan=plan):
        reports.setdefault(report.project_id, []).append(report)
    budget = plan.budget_total()
    spending: list[dict[str, Decimal | None]] = []
    for row in plan.spending_by_quarter():
        entry: dict[str, Decimal | None] = dict(row)
        entry["planned_pct"] = percent(row["planned"], budget)
        entry["spent_pct"] = percent(row["spent"], budget)
        spending.append(entry)
    statuses = [indicator_status(i, reports.get(i.project_id, [])) for i in plan.indicators()]
    return Dashboard(plan, spending, statuses)
