"""Where a fact is printed: every binding, in every framework of the year, that reads it.

A binding reads an observation when it binds the observation's measure and
breakdown, applies to the office's type, and asks for the observation's
period in one of its framework's rounds (or names that period). That is the
``used_by`` list of ``tidtam values show`` and of the documents' JSON, and
the ground for the reporting-burden count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from tidtam.frameworks.models import DataElement, Framework
from tidtam.measures.models import Measure, Observation, Period
from tidtam.orgs.models import OrgUnit


def periods_asked(element: DataElement, framework: Framework) -> set[tuple[int, Any, Any]]:
    """The (fiscal year, start, end) spans a binding asks for over its framework's rounds."""
    codes = [element.period] if element.period else list(framework.rounds)
    spans = set()
    for code in codes:
        p = Period.of(framework.fiscal_year, code)
        spans.add((p.fiscal_year, p.start, p.end))
    return spans


def bindings_of(measures: Iterable[Measure]) -> dict[int, list[DataElement]]:
    """measure id → the bindings of it, with node and framework, in framework order."""
    out: dict[int, list[DataElement]] = defaultdict(list)
    for e in (DataElement.objects.filter(measure__in=list(measures))
              .select_related("node__framework")
              .order_by("node__framework__order", "node__position", "position")):
        out[e.measure_id].append(e)
    return out


def describe(element: DataElement) -> dict[str, Any]:
    fw = element.node.framework
    return {
        "kind": "framework_node",
        "framework": fw.code, "framework_name": fw.full_name, "fiscal_year": fw.fiscal_year,
        "node": element.node.code, "heading": element.node.heading,
        "binding": element.code, "label": element.name_th, "role": element.role,
    }


def used_by(observations: Iterable[Observation]) -> dict[int, list[dict[str, Any]]]:
    """observation id → every place that prints it."""
    observations = list(observations)
    by_measure = bindings_of({o.measure for o in observations})
    spans: dict[int, set[tuple[int, Any, Any]]] = {}
    out: dict[int, list[dict[str, Any]]] = {}
    for o in observations:
        places = []
        for e in by_measure.get(o.measure_id, []):
            if e.category != o.category or not e.node.applies(o.org):
                continue
            if e.pk not in spans:
                spans[e.pk] = periods_asked(e, e.node.framework)
            if (o.period.fiscal_year, o.period.start, o.period.end) in spans[e.pk]:
                places.append(describe(e))
        out[o.pk] = places
    return out


def observations_of(org: OrgUnit, fiscal_year: int) -> list[Observation]:
    return list(Observation.objects.filter(org=org, period__fiscal_year=fiscal_year)
                .select_related("measure", "period", "org")
                .order_by("measure__code", "period__start", "-period__end", "category"))


def as_json(o: Observation, places: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": o.pk, "org": o.org.code, "measure": o.measure.code,
        "measure_name": o.measure.name_th, "period": o.period.code,
        "periods": o.period.codes(), "category": o.category,
        "value": _value(o), "text": o.text, "unit": o.measure.unit,
        "source": {"kind": o.source_kind, **o.source}, "version": o.version,
        "used_by": places,
    }


def _value(o: Observation) -> Any:
    parsed = o.parsed
    if parsed is None:
        return None
    if isinstance(parsed, list):
        return parsed
    if isinstance(parsed, Decimal):  # stored with four places: 42753.0000 is 42753
        return format(parsed.normalize(), "f")
    return str(parsed)
