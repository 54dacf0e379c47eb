"""The figures of template-bound plan indicators, read from the observation store.

A plan indicator that adopts an OBEC template (a node of the year's ``plan``
framework) binds measures: its count is the sum of the bindings with role
numerator, its denominator the binding with role denominator, for the
office's fiscal year. They are put on the indicator object (``count``,
``denominator``, ``observation_ids``) when the plan's indicators are read, and
never saved on the row — the row's columns stay empty, by constraint.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tidtam.frameworks.models import BindingRole, DataElement
from tidtam.measures import store
from tidtam.measures.models import Observation, Period

if TYPE_CHECKING:
    from tidtam.plans.models import Plan, PlanIndicator


def with_observations(plan: Plan, indicators: list[PlanIndicator]) -> list[PlanIndicator]:
    bound = [i for i in indicators if i.template_id is not None]
    if not bound:
        return indicators
    elements = list(DataElement.objects.filter(node_id__in={i.template_id for i in bound}))
    periods: dict[str, Period] = {}

    def period(element: DataElement) -> Period:
        code = element.period or "year"
        if code not in periods:
            periods[code] = Period.of(plan.fiscal_year, code)
        return periods[code]

    keys = {e.pk: (plan.office_id, e.measure_id, period(e).pk, e.category) for e in elements}
    found = store.observations(keys.values())
    for i in bound:
        counts: list[Observation | None] = []
        denominators: list[Observation | None] = []
        for e in elements:
            if e.node_id != i.template_id:
                continue
            obs = found.get(keys[e.pk])
            if e.role == BindingRole.NUMERATOR:
                counts.append(obs)
            elif e.role == BindingRole.DENOMINATOR:
                denominators.append(obs)
        i.count = _sum(counts)
        i.denominator = _sum(denominators)
        i.observation_ids = ([o.pk for o in counts if o is not None],
                             [o.pk for o in denominators if o is not None])
    return indicators


def _sum(observations: list[Observation | None]) -> int | None:
    """None until every binding has a value: a half-reported count is no count."""
    values = [o.value_decimal for o in observations if o is not None]
    if not observations or len(values) < len(observations) or None in values:
        return None
    return int(sum((v for v in values if v is not None), Decimal(0)))
