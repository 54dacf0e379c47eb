"""A synthetic country for national aggregation, dashboards and benchmarks.

``build_country(Scale.NATIONAL)`` adds, to the demo organisations (77
provinces under 18 regional offices, 29 real area offices), generated area
offices up to 183 สพป. + 62 สพม., about 29,000 schools, a FY2565 copy of the
FY2566 frameworks, and two fiscal years of Quick Policy submissions with
figures, ratings and short narratives. Everything comes from one seeded
``random.Random``: the same seed gives the same country. Rows are written with
``bulk_create`` (one INSERT per thousand rows) so the whole country takes
well under three minutes on SQLite.

Offices that already hold submissions or ratings for a framework (the seed-004
office and the demo's synthetic sheets) are left exactly as they are.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from tidtam.analytics.aggregate import rules_for
from tidtam.evaluation.models import Rating
from tidtam.frameworks.loader import FIXTURES_DIR, LoadResult, load_framework
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.measures.models import (
    Observation,
    ObservationRevision,
    Period,
    Pin,
    PinnedDocument,
    SourceKind,
    ValueType,
)
from tidtam.narratives.models import (
    Block,
    BlockKind,
    BlockPin,
    BlockRevision,
    Level,
    topic_of,
)
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.figures import PINNED_STATES
from tidtam.reporting.models import IndicatorReport, State, Submission
from tidtam.thai.dates import fiscal_year_bounds, thai_date
from tidtam.thai.numbers import quantize

PHRASES_FILE = Path(__file__).resolve().parent / "fixtures" / "synthetic.yaml"
SOURCE_YEAR = 2566
BATCH = 1000
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Scale:
    name: str
    primary: int  # area offices in all, real ones included
    secondary: int
    schools_primary: int  # mean schools per office
    schools_secondary: int
    years: tuple[int, ...] = (2565, 2566)


SCALES = {
    # OBEC: 183 สพป. + 62 สพม. (DOMAIN.md §2); 25,739 + 2,493 schools (000 QP4).
    "national": Scale("national", 183, 62, 141, 40),
    "small": Scale("small", 27, 8, 3, 2),
}


@dataclass
class CountryResult:
    offices_created: int = 0
    schools_created: int = 0
    submissions: int = 0
    values: int = 0
    ratings: int = 0
    already: bool = False


@cache
def phrases() -> dict[str, Any]:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def _noop(stage: str, done: int, total: int) -> None:
    return None


def build_country(
    scale: Scale, seed: int = 2566, progress: Progress = _noop
) -> CountryResult:
    """Generate the country; a second run finds it there and changes nothing."""
    rng = random.Random(seed)
    result = CountryResult()
    with transaction.atomic():
        frameworks = [_framework_for(year) for year in scale.years]
        offices = _offices(scale, rng, result, progress)
        _schools(scale, offices, rng, result, progress)
        for fw in frameworks:
            _reports(fw, offices, rng, result, progress)
    result.already = result.offices_created == 0 and result.submissions == 0
    return result


# --- frameworks -----------------------------------------------------------
def _framework_for(year: int) -> Framework:
    """The QP framework of ``year``; other years are copied from the FY2566 fixture."""
    existing = Framework.objects.filter(code="qp", fiscal_year=year).first()
    if existing is not None:
        return existing
    from tidtam.measures.loader import FIXTURES_DIR as MEASURES_DIR
    from tidtam.measures.loader import load_measures

    for path in sorted((MEASURES_DIR / f"fy{SOURCE_YEAR}").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "measures" in data:
            load_measures(dict(data, fiscal_year=year), f"{path} → {year}", LoadResult())
    source = FIXTURES_DIR / f"fy{SOURCE_YEAR}"
    fw: Framework | None = None
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "nodes" in data:
            data = dict(data, fiscal_year=year)
            made = load_framework(data, f"{path} → {year}", LoadResult())
            if made.code == "qp":
                fw = made
    assert fw is not None, "the FY2566 fixtures have no QP framework"
    return fw


# --- organisations --------------------------------------------------------
def _offices(
    scale: Scale, rng: random.Random, result: CountryResult, progress: Progress
) -> list[OrgUnit]:
    obec = OrgUnit.objects.get(code="OBEC")
    provinces = list(OrgUnit.objects.filter(type=OrgType.PROVINCE).order_by("code"))
    existing = list(OrgUnit.objects.area_offices().prefetch_related("provinces"))
    codes = {o.code for o in OrgUnit.objects.all().only("code")}
    primary_in: dict[int, int] = defaultdict(int)
    secondary_covered: set[int] = set()
    for o in existing:
        for p in o.provinces.all():
            if o.type == OrgType.PRIMARY_AREA:
                primary_in[p.pk] += 1
            else:
                secondary_covered.add(p.pk)
    n_primary = sum(1 for o in existing if o.type == OrgType.PRIMARY_AREA)
    n_secondary = len(existing) - n_primary
    planned: list[tuple[str, str, str, str, list[OrgUnit]]] = []

    # สพป.: a province without one gets one first, then extra districts go round.
    need = max(0, scale.primary - n_primary)
    uncovered = [p for p in provinces if not primary_in[p.pk]]
    rng.shuffle(uncovered)
    count: dict[int, int] = defaultdict(int)
    order = uncovered[:need]
    for p in order:
        count[p.pk] += 1
    extra = need - len(order)
    pool = list(uncovered)
    while extra > 0 and pool:
        count[rng.choice(pool).pk] += 1
        extra -= 1
    for p in provinces:
        n = count.get(p.pk, 0)
        for k in range(1, n + 1):
            name = p.display_name
            if n == 1:
                code, short = f"SPP-{p.code[1:]}", f"สพป.{name}"
            else:
                code, short = f"SPP-{p.code[1:]}-{k}", f"สพป.{name} เขต {k}"
            full = short.replace("สพป.", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา")
            planned.append((code, full, short, OrgType.PRIMARY_AREA, [p]))

    # สพม.: one per uncovered province, two neighbouring provinces of a region
    # sharing one office when there are fewer offices than provinces.
    need = max(0, scale.secondary - n_secondary)
    free = [p for p in provinces if p.pk not in secondary_covered]
    pairs = max(0, min(len(free) - need, need))
    by_region: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for p in free:
        by_region[p.parent_id].append(p)
    groups: list[list[OrgUnit]] = []
    for region in sorted(by_region, key=lambda r: r or 0):
        ps = by_region[region]
        while pairs > 0 and len(ps) >= 2:
            groups.append([ps.pop(0), ps.pop(0)])
            pairs -= 1
        groups.extend([p] for p in ps)
    for group in groups[:need]:
        code = "SPM-" + "-".join(p.code[1:] for p in group)
        short = "สพม." + " ".join(p.display_name for p in group)
        full = short.replace("สพม.", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา")
        planned.append((code, full, short, OrgType.SECONDARY_AREA, group))

    fresh = [row for row in planned if row[0] not in codes]
    made = [
        OrgUnit(code=code, name_th=full, short_name_th=short, type=t, parent=obec,
                path=f"{obec.path}{code}/", depth=obec.depth + 1)
        for code, full, short, t, _ps in fresh
    ]
    OrgUnit.objects.bulk_create(made, batch_size=BATCH)
    by_code = {o.code: o for o in OrgUnit.objects.filter(code__in=[m.code for m in made])}
    through = OrgUnit.provinces.through
    through.objects.bulk_create([
        through(from_orgunit_id=by_code[code].pk, to_orgunit_id=p.pk)
        for code, _f, _s, _t, ps in fresh for p in ps
    ], batch_size=BATCH)
    result.offices_created = len(made)
    progress("offices", len(made), len(made))
    return list(OrgUnit.objects.area_offices().order_by("code"))


def _schools(
    scale: Scale, offices: list[OrgUnit], rng: random.Random, result: CountryResult,
    progress: Progress,
) -> None:
    have: dict[str, int] = defaultdict(int)
    for parent_path in OrgUnit.objects.filter(type=OrgType.SCHOOL).values_list("parent__path",
                                                                                  flat=True):
        have[parent_path] += 1
    names = school_names()
    plan = []
    for o in offices:
        mean = scale.schools_primary if o.type == OrgType.PRIMARY_AREA else scale.schools_secondary
        wanted = max(1, round(rng.gauss(mean, mean * 0.25)))
        plan.append((o, wanted - have.get(o.path, 0)))
    total = sum(max(0, n) for _o, n in plan)
    done = 0
    batch: list[OrgUnit] = []
    for o, n in plan:
        # Distinct within the office, as its schools' names are.
        picked = rng.sample(names, min(max(n, 0), len(names)))
        for k in range(1, n + 1):
            code = f"{o.code}-S{k:03d}"
            name = picked[k - 1] if k <= len(picked) else f"{names[k % len(names)]} {k}"
            batch.append(OrgUnit(code=code, name_th=name, short_name_th="", type=OrgType.SCHOOL,
                                 parent=o, path=f"{o.path}{code}/", depth=o.depth + 1))
            if len(batch) >= BATCH:
                done += _flush_schools(batch)
                progress("schools", done, total)
    done += _flush_schools(batch)
    progress("schools", done, total)
    result.schools_created = done


def _flush_schools(batch: list[OrgUnit]) -> int:
    n = len(batch)
    OrgUnit.objects.bulk_create(batch, batch_size=BATCH, ignore_conflicts=True)
    batch.clear()
    return n


@cache
def school_names() -> list[str]:
    """Every school name the generator may give, from the fixture's neutral vocabulary."""
    names: list[str] = []
    for part in phrases()["school_names"].values():
        for prefix in part["prefixes"]:
            names.extend(f"{prefix}{place}{q}" for place in part["places"]
                         for q in part["qualifiers"])
    return sorted(set(names))


# --- submissions, figures, ratings ----------------------------------------
def _reports(
    fw: Framework, offices: list[OrgUnit], rng: random.Random, result: CountryResult,
    progress: Progress,
) -> None:
    busy = set(Submission.objects.filter(framework=fw).values_list("org_id", flat=True))
    busy |= set(Rating.objects.filter(framework=fw).values_list("org_id", flat=True))
    todo = [o for o in offices if o.pk not in busy]
    if not todo:
        return
    nodes = list(fw.nodes.filter(parent__isnull=True).order_by("position")
                 .prefetch_related("elements"))
    schools: dict[int, int] = defaultdict(int)
    for parent_id in OrgUnit.objects.filter(type=OrgType.SCHOOL).values_list("parent_id",
                                                                            flat=True):
        schools[parent_id] += 1
    # A later year is a little better: the trend a dashboard should show.
    lift = Decimal(fw.fiscal_year - min(SCALES["national"].years)) * Decimal("0.3")
    now = timezone.now()
    start, _end = fiscal_year_bounds(fw.fiscal_year)
    subs: list[Submission] = []
    plans: list[tuple[OrgUnit, str, dict[str, Any]]] = []
    for o in todo:
        strength = rng.gauss(3.4, 0.6) + float(lift)
        size = _office_size(o, schools.get(o.pk, 1), rng)
        for i, rnd in enumerate(fw.rounds):
            roll = rng.random()
            state = (State.APPROVED if roll < 0.82 else State.RATED if roll < 0.9
                     else State.SUBMITTED if roll < 0.96 else State.DRAFT)
            subs.append(Submission(org=o, framework=fw, round=rnd, state=state,
                                   submitted_at=None if state == State.DRAFT else now,
                                   rated_at=now if state in (State.RATED, State.APPROVED)
                                   else None))
            plans.append((o, rnd, {"strength": strength + 0.4 * i, "size": size,
                                   "state": state, "last": i == len(fw.rounds) - 1}))
    Submission.objects.bulk_create(subs, batch_size=BATCH)
    result.submissions += len(subs)

    reports: list[IndicatorReport] = []
    for sub in subs:
        for node in nodes:
            if node.applies(sub.org):
                reports.append(IndicatorReport(submission=sub, node=node))
    IndicatorReport.objects.bulk_create(reports, batch_size=BATCH)
    plan_of = {id(s): p for s, p in zip(subs, plans, strict=True)}

    # One observation per (office, measure, round): QP1, QP3 and QP8 all bind the
    # learner count, which is generated once per office and round.
    observations: dict[tuple[int, int, int], Observation] = {}
    period_of = {rnd: Period.of(fw.fiscal_year, rnd) for rnd in fw.rounds}
    blocks: list[Block] = []
    ratings: list[Rating] = []
    ph = phrases()
    # Looked up once per build, not cached across builds: a test database is
    # emptied between tests and a row kept in a module cache would outlive it.
    rows: dict[str, dict[str, Any]] = {"kinds": {k.code: k for k in BlockKind.objects.all()},
                                      "levels": {lv.code: lv for lv in Level.objects.all()}}
    for n, rep in enumerate(reports):
        o, rnd, p = plan_of[id(rep.submission)]
        figures = _figures(rep.node, p["size"], rng, start)
        period = period_of[rnd]
        for element in rep.node.elements.all():
            key = (o.pk, element.measure_id, period.pk)
            if element.code in figures and key not in observations:
                observations[key] = _observation(o, element, period, figures[element.code])
        if p["state"] in (State.RATED, State.APPROVED):
            level = min(5, max(1, round(rng.gauss(p["strength"], 0.8))))
            ratings.append(Rating(org=o, framework=fw, node=rep.node, round=rnd, level=level))
        if p["last"]:
            blocks += _blocks(rep, o, period, rng, ph, rows)
        if n % 500 == 0:
            progress(f"QP {fw.fiscal_year}", n, len(reports))
    docs = _store_observations(list(observations.values()), subs)
    Block.objects.bulk_create(blocks, batch_size=BATCH)
    revisions = BlockRevision.objects.bulk_create([
        BlockRevision(block=b, version=1, at=now, **b.content()) for b in blocks],
        batch_size=BATCH)
    BlockPin.objects.bulk_create([
        BlockPin(document=doc, block=b, revision=r)
        for b, r in zip(blocks, revisions, strict=True)
        for doc in docs.get((b.org_id, b.period_id), [])], batch_size=BATCH)
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    progress(f"QP {fw.fiscal_year}", len(reports), len(reports))
    result.values += len(observations)
    result.ratings += len(ratings)


def _blocks(rep: IndicatorReport, o: OrgUnit, period: Period, rng: random.Random,
            ph: dict[str, list[str]], rows: dict[str, dict[str, Any]]) -> list[Block]:
    """What an office writes for an indicator: two paragraphs, suggestions, a problem, maybe
    a best practice — as blocks of the indicator's topic."""
    topic = topic_of(rep.node)

    def block(kind: str, level: str = "", **content: Any) -> Block:
        return Block(org=o, topic=topic, node=rep.node, period=period, kind=rows["kinds"][kind],
                     level=rows["levels"][level] if level else None,
                     source={"generated": "tidtam demo"}, **content)

    out = [
        block("drive", text="\n".join(rng.sample(ph["drive"], 2))),
        block("suggestion", "central", text=rng.choice(ph["suggestion_central"])),
        block("suggestion", "area", text=rng.choice(ph["suggestion_office"])),
        block("problem", rng.choice(["central", "area"]),
              text=rng.choice(ph["problem_central"] + ph["problem_office"]),
              solutions=[rng.choice(ph["solution"])]),
    ]
    if rng.random() < 0.25:
        out.append(block("best_practice", unit_name=o.display_name,
                         title=f"{rng.choice(ph['model_prefix'])} "
                               f"\"{rng.choice(ph['model_names'])}\"",
                         text=rng.choice(ph["drive"])))
    return out


def _office_size(o: OrgUnit, schools: int, rng: random.Random) -> dict[str, int]:
    per_school = rng.randint(110, 260) if o.type == OrgType.PRIMARY_AREA else rng.randint(
        600, 1400)
    return {"schools": schools, "learners": schools * per_school}


def _figures(
    node: FrameworkNode, size: dict[str, int], rng: random.Random, fy_start: dt.date
) -> dict[str, object]:
    """Consistent figures for one indicator: numerators within denominators, totals = parts."""
    rules = rules_for(node)
    elements = {e.code: e for e in node.elements.all()}
    out: dict[str, object] = {}
    for r in rules.get("ratios", []):
        den_code, num_code = r["denominator"], r["numerator"]
        if den_code not in out:
            out[den_code] = _count(elements[den_code].unit, Decimal(r.get("share", 1)), size)
        den = int(str(out[den_code]))
        out[num_code] = int(den * rng.uniform(0.78, 1.0))
        if r.get("percent") and den:
            out[r["percent"]] = quantize(Decimal(int(str(out[num_code]))) * 100 / den, 2)
    for t in rules.get("totals", []):
        parts = [rng.randint(0, max(2, size["schools"] // 8)) for _ in t["parts"]]
        out.update(zip(t["parts"], parts, strict=True))
        out[t["total"]] = sum(parts)
    for code, e in elements.items():
        if code in out:
            continue
        if e.value_type == ValueType.DATE:
            out[code] = fy_start + dt.timedelta(days=rng.randint(20, 300))
        elif e.value_type == ValueType.INTEGER:
            out[code] = rng.randint(1, max(3, size["schools"] // 10))
    return out


def _count(unit: str, share: Decimal, size: dict[str, int]) -> int:
    """A denominator: the office's schools, or a share of its learners when it counts people."""
    if unit != "คน":
        return size["schools"]
    return max(1, int(size["learners"] * share))


def _observation(org: OrgUnit, element: Any, period: Period, value: object) -> Observation:
    common = {"org": org, "measure": element.measure, "period": period,
              "source_kind": SourceKind.TYPED, "source": {"generated": "tidtam demo"}}
    if isinstance(value, dt.date):
        return Observation(**common, text=thai_date(value, short=True), value_date=value)
    return Observation(**common, text=str(value), value_decimal=Decimal(str(value)))


def _store_observations(observations: list[Observation], subs: list[Submission]
                        ) -> dict[tuple[int, int], list[PinnedDocument]]:
    """The observations with their first revision, and the sent submissions pinned to them.

    Returns the pinned documents by (office, period), for the blocks to be pinned too.
    """
    Observation.objects.bulk_create(observations, batch_size=BATCH)
    now = timezone.now()
    revisions = ObservationRevision.objects.bulk_create([
        ObservationRevision(observation=o, version=1, at=now, source_kind=o.source_kind,
                            source=o.source, **o.value_columns())
        for o in observations], batch_size=BATCH)
    by_office: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, o in enumerate(observations):
        by_office[(o.org_id, o.period_id)].append(i)
    ctype = ContentType.objects.get_for_model(Submission)
    sent = [s for s in subs if s.state in PINNED_STATES]
    docs = PinnedDocument.objects.bulk_create(
        [PinnedDocument(document_type=ctype, document_id=s.pk) for s in sent], batch_size=BATCH)
    pins = []
    by_key: dict[tuple[int, int], list[PinnedDocument]] = defaultdict(list)
    for doc, s in zip(docs, sent, strict=True):
        period = Period.of(s.framework.fiscal_year, s.round)
        by_key[(s.org_id, period.pk)].append(doc)
        for i in by_office.get((s.org_id, period.pk), []):
            pins.append(Pin(document=doc, observation=observations[i], revision=revisions[i]))
    Pin.objects.bulk_create(pins, batch_size=BATCH)
    return by_key
