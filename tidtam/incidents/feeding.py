"""The register's figures: QP1's incidents by group and closing level, as observations.

For an office, a fiscal year and each period the register feeds (data: the
e-MES rounds QP1 asks, ``periods`` in ``fixtures/threats.yaml``) the register
counts the cases of every unit in the office's subtree that happened within
the period — and, for the closed figures, of those the ones ended now, as the
form reads the register live until a document is sent and pins it — and
writes each count to the observation store with source kind REGISTER, the
ids of the cases behind it and a link to the list that shows them. Which
measures these are, and which category option a group or a closing level
counts under, is data (``fixtures/threats.yaml``, the measures' fixture).
The offices fed are the area offices (the units that report QP); a count is
only ever written for an office, never for its schools, so a figure is never
counted twice up the tree.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import QuerySet

from tidtam.incidents.models import ENDED, FeedPeriod, FeedSetting, Incident, ThreatGroup
from tidtam.measures import store
from tidtam.measures.models import Category, Measure, Period, SourceKind
from tidtam.orgs.models import OrgUnit

# keys of FeedSetting (fixtures/threats.yaml ``measures``)
REPORTED, CLOSED = "reported", "closed"
GROUP_CATEGORY, LEVEL_CATEGORY = "group_category", "level_category"


def offices_above(unit: OrgUnit) -> list[OrgUnit]:
    """The area offices whose figures include ``unit`` (itself if it is one)."""
    chain = [*unit.ancestors(), unit]
    return [u for u in chain if u.is_area_office]


def cases(office: OrgUnit, fiscal_year: int, period: Period | None = None
          ) -> QuerySet[Incident]:
    qs = Incident.objects.filter(org__path__startswith=office.path, fiscal_year=fiscal_year)
    if period is not None:
        qs = qs.filter(happened_on__gte=period.start, happened_on__lte=period.end)
    return qs


def periods(fiscal_year: int) -> list[Period]:
    """The periods fed, one per span: 12m and the fiscal year are one period."""
    found: dict[int, Period] = {}
    # Before the fixture with periods is loaded, the year alone (what it always fed).
    for code in FeedPeriod.objects.values_list("code", flat=True) or ["year"]:
        period = Period.of(fiscal_year, code)
        found.setdefault(period.pk, period)
    return list(found.values())


def _url(office: OrgUnit, year: int, period: Period | None = None, **filters: str) -> str:
    query: dict[str, object] = {"org": office.code, "year": year}
    if period is not None and (period.start, period.end) != _year_span(year):
        query |= {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return "/incidents/?" + urlencode({**query, **filters})


def _year_span(year: int) -> tuple[object, object]:
    whole = Period.of(year, "year")
    return whole.start, whole.end


def _category(measure: Measure, options: dict[str, str]) -> str:
    """The observation's category: the options in the measure's category order."""
    return "+".join(options[c] for c in measure.categories)


def compute(office: OrgUnit, fiscal_year: int, period: Period | None = None
            ) -> dict[tuple[str, str], tuple[int, list[int]]]:
    """(figure key, category) → (count, case ids); every category option, zeros included.

    Without a period: the cases of the whole fiscal year."""
    feeds = dict(FeedSetting.objects.values_list("key", "measure_code"))
    measures = {m.code: m for m in Measure.objects.filter(fiscal_year=fiscal_year,
                                                          code__in=feeds.values())}
    groups = {g.pk: g.category for g in ThreatGroup.objects.all()}
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = list(cases(office, fiscal_year, period).values_list("pk", "group_id", "state",
                                                       "closing_level"))
    out: dict[tuple[str, str], tuple[int, list[int]]] = {}
    reported, closed = measures.get(feeds.get(REPORTED, "")), measures.get(feeds.get(CLOSED, ""))
    group_cat, level_cat = feeds.get(GROUP_CATEGORY, ""), feeds.get(LEVEL_CATEGORY, "")
    for pk, group_id, state, level in rows:
        opts = {group_cat: groups[group_id], level_cat: level}
        if reported is not None:
            found[(REPORTED, "")].append(pk)
            found[(REPORTED, _category(reported, opts))].append(pk)
        if closed is not None and state in ENDED:
            found[(CLOSED, "")].append(pk)
            found[(CLOSED, _category(closed, opts))].append(pk)
    for key, measure in ((REPORTED, reported), (CLOSED, closed)):
        if measure is None:
            continue
        for category in ["", *_all_categories(measure)]:
            ids = sorted(found.get((key, category), []))
            out[(key, category)] = (len(ids), ids)
    return out


def _all_categories(measure: Measure) -> list[str]:
    combos = [""]
    for code in measure.categories:
        cat = Category.objects.filter(fiscal_year=measure.fiscal_year, code=code).first()
        options = list(cat.options.values_list("code", flat=True)) if cat else []
        combos = [f"{c}+{o}" if c else o for c in combos for o in options]
    return [c for c in combos if c]


def recompute(office: OrgUnit, fiscal_year: int) -> int:
    """Write the office's figures for the year; returns how many observations changed."""
    feeds = dict(FeedSetting.objects.values_list("key", "measure_code"))
    measures = {m.code: m for m in Measure.objects.filter(fiscal_year=fiscal_year,
                                                          code__in=feeds.values())}
    if not measures:
        return 0  # no register of measures for that year: nothing to feed
    changed = 0
    for period in periods(fiscal_year):
        changed += _write(office, fiscal_year, period, feeds, measures)
    return changed


def _write(office: OrgUnit, fiscal_year: int, period: Period, feeds: dict[str, str],
           measures: dict[str, Measure]) -> int:
    changed = 0
    for (key, category), (count, ids) in compute(office, fiscal_year, period).items():
        measure = measures[feeds[key]]
        chosen = dict(zip(measure.categories, category.split("+"), strict=False)
                      ) if category else {}
        params = {"group": chosen.get(feeds.get(GROUP_CATEGORY, ""), ""),
                  "level": chosen.get(feeds.get(LEVEL_CATEGORY, ""), "")}
        if key == CLOSED:
            params["state"] = "ended"
        source = {"register": "incidents", "name_th": "ทะเบียนเหตุความปลอดภัย (MOE Safety Center)",
                  "cases": ids,
                  "url": _url(office, fiscal_year, period,
                              **{k: v for k, v in params.items() if v})}
        obs = store.find(office, measure, period, category)
        written = store.write(None, office, measure, period, str(count),
                              obs.version if obs else 0, category=category,
                              source_kind=SourceKind.REGISTER, source=source)
        changed += int(written.changed)
    return changed


def recompute_for(incident: Incident) -> int:
    """After a case changed: the figures of every office above it, for its year."""
    return sum(recompute(office, incident.fiscal_year) for office in offices_above(incident.org))


def recompute_all(fiscal_year: int | None = None) -> int:
    """Every office with a case (``tidtam incidents recompute``)."""
    pairs = set(Incident.objects.values_list("org_id", "fiscal_year"))
    todo: set[tuple[int, int]] = set()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={o for o, _ in pairs})}
    for org_id, year in pairs:
        if fiscal_year is None or year == fiscal_year:
            todo |= {(o.pk, year) for o in offices_above(units[org_id])}
    offices = {u.pk: u for u in OrgUnit.objects.filter(pk__in={o for o, _ in todo})}
    return sum(recompute(offices[o], y) for o, y in sorted(todo))
