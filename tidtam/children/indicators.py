"""The register's figures as observations: QP2's dropouts found, returned and referred.

For an area office and a fiscal year, each measure of ``fixtures/children.yaml``
(``indicators``) counts the cases of the office's subtree whose dating step
(found, returned, referred) falls in the period and that are still in one of
the listed states (a child found and then closed as moved no longer counts).
The periods are the ones QP's form asks: the 12-month round (the fiscal year,
so also ESA 3.4.2's yearly ``dropouts_found``) and the 6-month round, by the
step's date. The observation carries counts only and, as its source, the
case ids and the link to the list behind the figure — never a name or an ID.
It is rewritten after every step and import (and by ``tidtam children
recompute``); an unchanged count writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.children.loader import indicator_periods, indicator_specs
from tidtam.children.models import Case, Step
from tidtam.measures import store
from tidtam.measures.importer import audit_target
from tidtam.measures.models import Measure, Observation, Period, SourceKind
from tidtam.orgs.models import OrgUnit
from tidtam.thai.dates import fiscal_year_of


def office_of(org: OrgUnit) -> OrgUnit | None:
    """The area office whose figures a case of ``org`` counts in (itself or an ancestor)."""
    if org.is_area_office:
        return org
    for unit in reversed(org.ancestors()):
        if unit.is_area_office:
            return unit
    return None


def counts(office: OrgUnit, fiscal_year: int) -> dict[tuple[str, str], list[int]]:
    """(measure code, period type) → the ids of the cases counted."""
    out: dict[tuple[str, str], list[int]] = {}
    specs = indicator_specs()
    for ptype in indicator_periods():
        period = Period.of(fiscal_year, ptype)
        for code, (step, states) in specs.items():
            ids = (Step.objects.filter(case__org__path__startswith=office.path, kind=step,
                                       on__gte=period.start, on__lte=period.end,
                                       case__state__in=states)
                   .values_list("case_id", flat=True).distinct().order_by("case_id"))
            out[(code, ptype)] = list(ids)
    return out


def recompute(office: OrgUnit, fiscal_year: int) -> int:
    """Write the office's observations for ``fiscal_year``; returns how many changed."""
    measures = {m.code: m for m in Measure.objects.filter(fiscal_year=fiscal_year,
                                                          code__in=indicator_specs())}
    if not measures:  # a year without a register of measures: nothing to feed
        return 0
    changed = 0
    for (code, ptype), ids in counts(office, fiscal_year).items():
        measure = measures.get(code)
        if measure is None:  # the year's register does not have it
            continue
        period = Period.of(fiscal_year, ptype)
        source = {"register": "children", "name_th": "ทะเบียนพาน้องกลับมาเรียน", "cases": ids,
                  "url": (f"/children/?org={office.code}&year={fiscal_year}"
                          f"&period={ptype}&measure={code}")}
        for _attempt in range(3):  # someone typed meanwhile: read the version again
            obs = store.find(office, measure, period)
            try:
                written = store.write(None, office, measure, period, str(len(ids)),
                                      obs.version if obs else 0,
                                      source_kind=SourceKind.REGISTER, source=source)
            except store.ObservationConflict:
                continue
            if written.changed or (obs is not None and obs.source != source):
                if not written.changed and obs is not None:
                    # same count, other cases: keep the source true
                    Observation.objects.filter(pk=obs.pk).update(source=source)
                record(None, Action.VALUE, written.observation,
                       target=audit_target(written.observation), org=office,
                       before=written.before or None, after=written.observation.text,
                       comment="คำนวณจากทะเบียนพาน้องกลับมาเรียน")
                changed += 1
            break
    return changed


def recompute_for(cases: Iterable[Case], days: Iterable[dt.date] = ()) -> int:
    """After steps or an import: the offices of ``cases``, the years of their steps."""
    cases = list(cases)
    years = {fiscal_year_of(d) for d in days}
    steps = Step.objects.filter(case__in=cases).values_list("on", flat=True)
    years |= {fiscal_year_of(d) for d in steps}
    offices: dict[int, OrgUnit] = {}
    for case in cases:
        office = office_of(case.org)
        if office is not None:
            offices[office.pk] = office
    return sum(recompute(o, y) for o in offices.values() for y in sorted(years))


def recompute_all() -> int:
    """Every office with cases, every year with steps (``tidtam children recompute``)."""
    return recompute_for(Case.objects.select_related("org"))
