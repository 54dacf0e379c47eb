"""The result of a target-compared indicator: one observation, never a rating field.

An Action Plan node compared with a target binds a measure for its result
(``data: - {code: actual, measure: …, period: year}``). The office types it
in its form, the evaluator may correct it on the rating screen, an e-MES
result sheet may bring it: all three read and write that one observation of
the store (office, measure, the binding's period of the framework's year).
Scoring reads it from there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tidtam.frameworks.models import DataElement, Framework, FrameworkNode, Method
from tidtam.measures import store
from tidtam.measures.models import Observation, ObservationValue, Period, SourceKind
from tidtam.orgs.models import OrgUnit

#: the binding code a target node's result uses (ap.yaml: ``code: actual``)
ACTUAL = "actual"


def binding(node: FrameworkNode) -> DataElement | None:
    """The binding that holds ``node``'s result, if it has one."""
    elements = list(node.elements.all())
    return next((e for e in elements if e.code == ACTUAL), None)


def period_of(framework: Framework, element: DataElement) -> Period:
    # A target is judged on the whole fiscal year unless the binding names another period.
    return Period.of(framework.fiscal_year, element.period or "year")


def bindings(framework: Framework) -> dict[int, DataElement]:
    """node id → its result binding, for every target node of ``framework``."""
    return {e.node_id: e for e in DataElement.objects.filter(
        node__framework=framework, node__method=Method.TARGET, code=ACTUAL)}


def observations_of(org: OrgUnit, framework: Framework) -> dict[int, Observation]:
    """node id → the observation of its result, for every target node that has one."""
    found = bindings(framework)
    if not found:
        return {}
    periods = Period.many({(framework.fiscal_year, e.period or "year") for e in found.values()})
    keys = {nid: (org.pk, e.measure_id, periods[(framework.fiscal_year, e.period or "year")].pk,
                  e.category) for nid, e in found.items()}
    obs = store.observations(keys.values())
    return {nid: obs[k] for nid, k in keys.items() if k in obs}


def shown(org: OrgUnit, framework: Framework, *, approved_only: bool = False
          ) -> dict[int, ObservationValue]:
    """node id → the value a result sheet prints.

    Readers see what the office's submission pinned when it was sent or
    approved (an evaluator's later correction shows once it is approved and
    the submission pins again); evaluators see the live value. A value the
    pin does not hold shows live only if it arrived decided (imported or
    migrated); one typed since the report was sent waits for the approval.
    """
    live: dict[int, ObservationValue] = dict(observations_of(org, framework))
    if not approved_only or not live:
        return live
    from tidtam.reporting.models import Submission

    for sub in Submission.objects.filter(org=org, framework=framework).order_by("-pk"):
        pins = store.pinned(sub)
        if pins is None:
            continue
        for nid, obs in list(live.items()):
            rev = pins.get(obs.pk)
            if rev is not None:
                live[nid] = rev
            elif obs.source_kind not in (SourceKind.IMPORTED, SourceKind.MIGRATED):
                del live[nid]
        break
    return live


def observation_id(value: ObservationValue | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, Observation):
        return int(value.pk) if value.pk is not None else None  # unsaved: a preview
    return int(value.observation_id)  # type: ignore[attr-defined]


def decimal_of(value: ObservationValue | None) -> Decimal | None:
    return value.value_decimal if value is not None else None


def write(user: Any, org: OrgUnit, node: FrameworkNode, value: Decimal, *,
          source_kind: str = SourceKind.TYPED, source: dict[str, Any] | None = None
          ) -> store.Written:
    """Store ``value`` as the node's result (over whatever is stored, at its version)."""
    element = binding(node)
    if element is None:
        raise store.ValueRefused(f"{node.heading} ไม่มีรายการผลการดำเนินงานให้บันทึก")
    period = period_of(node.framework, element)
    current = store.find(org, element.measure, period, element.category)
    return store.write(user, org, element.measure, period, text_of(value),
                       current.version if current is not None else 0,
                       category=element.category, source_kind=source_kind, source=source)


def text_of(value: Decimal) -> str:
    # As an office would type it: no trailing zeros of the 4-place column.
    return format(value.normalize(), "f")
