"""The figures an inspection question asks: bindings of measures, stored once.

A question that asks for a figure binds a measure (``data:`` in the form's
fixture, as QP nodes do). A unit's contribution reads and writes the one
observation of (unit, measure, period) — the period is the contribution's
inspection round, the framework's ``rounds[round - 1]`` — so the dropouts an
office typed in QP2's 12-month round are the figures of inspection round 2,
and typing them here changes them there. A sent report prints the revisions
it pinned when it was sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.frameworks.models import DataElement, Framework
from tidtam.measures import store
from tidtam.measures.importer import audit_target
from tidtam.measures.models import (
    Observation,
    ObservationRevision,
    ObservationValue,
    Period,
    PinnedDocument,
    SourceKind,
)
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.thai.numbers import fmt_decimal

#: The inspection round units contribute to and provinces compile here (the seeds are
#: round 2 reports); the period it asks for is the framework's ``rounds[ROUND - 1]``.
ROUND = 2


def round_period(fw: Framework, round_: int, element: DataElement | None = None) -> Period:
    """The period a binding asks for in inspection round ``round_`` (its own, if it names one)."""
    if element is not None and element.period:
        return Period.of(fw.fiscal_year, element.period)
    if not 1 <= round_ <= len(fw.rounds):
        raise ValueError(f"กรอบ {fw.code} ไม่มีรอบที่ {round_}")
    return Period.of(fw.fiscal_year, fw.rounds[round_ - 1])


def bindings(fw: Framework, nodes: Iterable[Any] | None = None) -> list[DataElement]:
    """The form's figure bindings (of ``nodes``, or all), in the form's order."""
    qs = DataElement.objects.filter(node__framework=fw).select_related("node")
    if nodes is not None:
        qs = qs.filter(node__in=list(nodes))
    return list(qs.order_by("node__position", "position"))


@dataclass
class Figure:
    """One bound figure of one unit: the live observation and what the document shows."""

    element: DataElement
    unit: OrgUnit
    period: Period
    observation: Observation | None
    shown: ObservationValue | None

    @property
    def version(self) -> int:
        return self.observation.version if self.observation is not None else 0

    @property
    def text(self) -> str:
        return self.shown.text if self.shown is not None else ""

    def display(self) -> str:
        """"28 คน": whole numbers grouped, others to 2 places, with the measure's unit."""
        if self.shown is None:
            return ""
        value = self.shown.value_decimal
        if value is None:
            return self.shown.text
        places = 0 if value == value.to_integral_value() else 2
        return f"{fmt_decimal(value, places, grouping=True)} {self.element.unit}".rstrip()

    def as_json(self) -> dict[str, Any]:
        return {"measure": self.element.measure.code, "label": self.element.name_th,
                "unit": self.unit.code, "unit_name": self.unit.name_th,
                "period": self.period.code,
                "value": self.text, "display": self.display(),
                "observation": self.observation.pk if self.observation is not None else None}


def figures(fw: Framework, units: Iterable[OrgUnit], round_: int,
            elements: list[DataElement], *, document: Any = None) -> list[Figure]:
    """Each unit's figure for each binding; a pinned ``document`` shows what it pinned."""
    units = list(units)
    periods = {e.pk: round_period(fw, round_, e) for e in elements}
    keys = {(u.pk, e.pk): (u.pk, e.measure_id, periods[e.pk].pk, e.category)
            for u in units for e in elements}
    # One query for every unit of a province, not one per unit.
    found = {(o.org_id, o.measure_id, o.period_id, o.category): o
             for o in Observation.objects.filter(
                 org_id__in=[u.pk for u in units],
                 measure_id__in={e.measure_id for e in elements},
                 period_id__in={p.pk for p in periods.values()}).select_related("measure")}
    pins = store.pinned(document) if document is not None else None
    out = []
    for u in units:
        for e in elements:
            obs = found.get(keys[(u.pk, e.pk)])
            shown: ObservationValue | None = obs
            if pins is not None:
                shown = pins.get(obs.pk) if obs is not None else None
            out.append(Figure(e, u, periods[e.pk], obs, shown))
    return out


def write(user: Any, unit: OrgUnit, fw: Framework, element: DataElement, text: str,
          version: int, round_: int) -> store.Written:
    """Store what the unit typed in its contribution as the observation, audited.

    Raises ``store.ValueRefused`` (a Thai reason) or ``store.ObservationConflict``.
    """
    period = round_period(fw, round_, element)
    written = store.write(
        user, unit, element.measure, period, text, version, category=element.category,
        source_kind=SourceKind.TYPED,
        source={"framework": fw.code, "node": element.node.code, "element": element.code,
                "inspection_round": round_},
    )
    obs = written.observation
    if written.changed:
        record(user, Action.OBSERVATION, obs, target=audit_target(obs), org=unit,
               before=written.before or None, after=obs.text,
               comment=f"ในแบบรายงานการตรวจราชการ ประเด็น {element.node.code.partition('/')[0]}")
    return written


def pin(document: Any, printed: Iterable[Figure]) -> PinnedDocument:
    """The sent report prints these observations as they are now."""
    printed = [f for f in printed if f.observation is not None]
    # A region prints its provinces' pinned revisions: it pins those, not the live ones.
    shown = {f.observation.pk: f.shown for f in printed
             if f.observation is not None and isinstance(f.shown, ObservationRevision)}
    return store.pin(document, [f.observation for f in printed if f.observation is not None],
                     revisions=shown)


def report_units(report: Any) -> list[OrgUnit]:
    """The units whose figures a report prints: its province's, or its provinces' (a region)."""
    from tidtam.inspection.contributions import units_in_province

    province = report.province
    provinces = [province] if province is not None else list(
        OrgUnit.objects.filter(parent=report.org, type=OrgType.PROVINCE).order_by("code"))
    seen: dict[int, OrgUnit] = {}
    for p in provinces:
        for u in units_in_province(p).order_by("path"):
            seen.setdefault(u.pk, u)
    return list(seen.values())


def printed(report: Any, elements: list[DataElement], *, live: bool = False) -> list[Figure]:
    """The figures a report prints for ``elements``: every unit's with a value.

    While the report is a draft (or ``live``), the observations as they are;
    once sent, the revisions pinned at sending. A region's draft prints the
    revisions its provinces sent (never live values); once sent, its own pins.
    """
    if report.province is None and (live or not report.is_sent):
        return _sent_by_provinces(report, elements)
    shown = figures(report.framework, report_units(report), report.round, elements,
                    document=report if report.is_sent and not live else None)
    return [f for f in shown if f.shown is not None]


def _sent_by_provinces(report: Any, elements: list[DataElement]) -> list[Figure]:
    """A region prints what each province sent: the revisions the province pinned.

    Never the units' live figures: a unit that corrects a figure after its
    province sent changes its own page, not what the province reported up.
    A province that has not sent yet contributes nothing, as its lines do not.
    """
    from tidtam.inspection.compile import province_reports
    from tidtam.inspection.contributions import units_in_province

    out: list[Figure] = []
    seen: set[tuple[int, int]] = set()
    for sent in province_reports(report):
        if sent.province is None:
            continue
        units = list(units_in_province(sent.province).order_by("path"))
        for f in figures(report.framework, units, report.round, elements, document=sent):
            key = (f.unit.pk, f.element.pk)
            if f.shown is None or key in seen:
                continue
            seen.add(key)
            out.append(f)
    return out


def move_entry_values() -> int:
    """Figures units typed as inspection entries move to the store once their question binds.

    Before questions bound measures, a figure was typed as an entry's ``value``
    (a second copy of the fact). When the form's fixture binds the question, the
    value becomes the observation of (unit, measure, the entry's round) — or, if
    one exists with another value, a disagreement for review — and the entry
    keeps its words only. A question binding several measures takes the one
    whose label the entry names. Run by the frameworks loader; a second run
    finds nothing to move.
    """
    from tidtam.inspection.models import Entry, EntryKind

    moved = 0
    entries = (Entry.objects.filter(kind=EntryKind.FIGURE, value__isnull=False,
                                    question__elements__isnull=False)
               .distinct().select_related("framework", "unit", "question", "author"))
    for entry in entries:
        assert entry.question is not None and entry.value is not None
        element = _binding_named(entry, list(entry.question.elements.all()))
        if element is None:
            continue
        fw = entry.framework
        period = round_period(fw, entry.round, element)
        text = format(entry.value.normalize(), "f")
        source = {"inspection_entry": entry.pk, "framework": fw.code,
                  "node": element.node.code, "element": element.code}
        obs = store.find(entry.unit, element.measure, period, element.category)
        if obs is None:
            store.write(entry.author, entry.unit, element.measure, period, text, 0,
                        category=element.category, source_kind=SourceKind.MIGRATED,
                        source=source)
        elif obs.value_decimal != entry.value:
            store.record_disagreement(entry.unit, element.measure, period, text,
                                      category=element.category,
                                      source_kind=SourceKind.MIGRATED, source=source,
                                      observation=obs)
        entry.value = None
        entry.save(update_fields=["value"])
        moved += 1
    return moved


def _binding_named(entry: Any, elements: list[DataElement]) -> DataElement | None:
    if len(elements) == 1:
        return elements[0]
    said = f"{entry.title} {entry.text}"
    named = [e for e in elements if e.name_th in said or e.measure.name_th in said]
    return named[0] if len(named) == 1 else None
