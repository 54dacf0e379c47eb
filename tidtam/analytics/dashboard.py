"""Dashboards: one year and round, for the nation, a region, a province or an office.

A page looks at one *scope* and drills down: the nation by regional office,
a region by province, a province by office, an office over the years. Every
figure on a page comes from one ``aggregate`` over the offices of the scope
the user may read (``readable_offices``), so the rows of a table add up to
the page's totals and a row's numbers are the numbers of the page it links
to (offices are placed by their seat province, ``geography``). The page
shows every indicator of the scope at once (the overview) and one chosen
indicator in depth: by unit, on the map, by level, ranked, and over the
years (``indicator_by_year``: one figure per year, not a second aggregate).

Counts agree by construction: *rated* is counted among the offices that
reported, and an office rated without a report in tidtam (ratings imported
from a file, or a report sent back after it was rated) is counted apart, in
its own column, and still in the average and the levels.

Each table is also a chart, and each downloads as CSV or XLSX (``table_csv`` /
``table_xlsx``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tidtam.accounts.permissions import AnyUser, org_filter
from tidtam.analytics.aggregate import (
    FrameworkAggregate,
    IndicatorAggregate,
    aggregate,
    indicator_by_year,
    seats,
)
from tidtam.analytics.charts import Chart
from tidtam.analytics.geography import (
    Placement,
    chain,
    home_scope,
    in_order,
    in_scope,
    natural_key,
    placements,
    province_name,
    unit_key,
)
from tidtam.analytics.svgmap import (
    LegendEntry,
    ProvinceValue,
    TileMap,
    band_classes,
    legend,
    percent_class,
    percent_classes,
    render_map,
)
from tidtam.analytics.synthesis import level_chart, nation
from tidtam.cells import append_row, csv_row
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.frameworks.models import classify as band_of
from tidtam.measures.models import period_type_names
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.reporting.models import Submission
from tidtam.thai.numbers import fmt_decimal

HUNDRED = Decimal(100)
NO_REGION = "ไม่ระบุสำนักงานศึกษาธิการภาค"
NO_PROVINCE = "ไม่ระบุจังหวัด"
# What the map can be coloured by: (key, label). "percent" only for an indicator with a ratio.
FIGURES = (("level", "ระดับเฉลี่ย"), ("percent", "ร้อยละผลการดำเนินงาน"),
           ("reported", "ร้อยละการรายงาน"))


def readable_offices(user: AnyUser) -> list[OrgUnit]:
    """Area offices the user holds a role over, directly or through one of their provinces."""
    # The province links are looked up in their own table (a subquery) rather
    # than joined to every unit: one query, no scan of ~29,000 joined rows.
    through = OrgUnit.provinces.through
    linked = through.objects.filter(org_filter(user, field="to_orgunit__")).values(
        "from_orgunit_id")
    q = org_filter(user) | Q(pk__in=linked)
    return list(OrgUnit.objects.filter(q, type__in=AREA_OFFICE_TYPES).order_by("code"))


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # per row: where its first cell leads, or ""
    note: str = ""

    def linked_rows(self) -> list[tuple[str, list[str]]]:
        """(link, row) pairs for a template; rows without a link get ""."""
        links = self.links + [""] * (len(self.rows) - len(self.links))
        return list(zip(links, self.rows, strict=False))

    def body_html(self) -> SafeString:
        """The rows as HTML, every cell escaped; the first one a row header, linked if it has
        a link. The nation's page prints some 400 rows of up to nine cells: through the
        template language's loops they took a third of the page's time."""
        out = []
        for href, row in self.linked_rows():
            head = format_html('<a href="{}">{}</a>', href, row[0]) if href else escape(row[0])
            cells = "".join(f"<td>{escape(v)}</td>" for v in row[1:])
            out.append(f'<tr><th scope="row">{head}</th>{cells}</tr>')
        return mark_safe("".join(out))  # built from escaped parts only


@dataclass
class Counts:
    """Offices of one row: the sets behind them are disjoint where the names say so."""

    expected: int
    reported: int
    rated: int  # rated among the reported (⊆ reported)
    rated_unreported: int  # rated with no report in tidtam: counted apart, never in ``rated``
    average: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def rated_all(self) -> int:
        return self.rated + self.rated_unreported

    @property
    def percent(self) -> Decimal | None:
        if self.denominator is None or not self.denominator:
            return None
        assert self.numerator is not None
        return self.numerator * HUNDRED / self.denominator

    @property
    def reported_percent(self) -> Decimal | None:
        return Decimal(self.reported) * HUNDRED / self.expected if self.expected else None


def counts(ind: IndicatorAggregate, members: Sequence[int]) -> Counts:
    """One row's figures, from the page's aggregate (never a query of its own)."""
    expected = set(ind.expected)
    mine = [m for m in members if m in expected]
    reported = set(ind.submitted_offices)
    rated = set(ind.rated_offices)
    levels = [ind.office_values[m] for m in mine if m in ind.office_values]
    num = den = None
    if ind.ratios:
        r = ind.ratios[0]
        num = sum((r.numerator.by_office.get(m, Decimal(0)) for m in mine), Decimal(0))
        den = sum((r.denominator.by_office.get(m, Decimal(0)) for m in mine), Decimal(0))
    return Counts(
        expected=len(mine),
        reported=sum(1 for m in mine if m in reported),
        rated=sum(1 for m in mine if m in rated and m in reported),
        rated_unreported=sum(1 for m in mine if m in rated and m not in reported),
        average=sum(levels, Decimal(0)) / len(levels) if levels else None,
        numerator=num, denominator=den,
    )


@dataclass
class Dashboard:
    framework: Framework
    node: FrameworkNode
    round: str
    office_type: str
    scope: OrgUnit
    figure: str
    crumbs: list[OrgUnit]
    indicator: IndicatorAggregate
    totals: Counts
    shown: int  # offices on the page
    in_scope: int  # offices the scope holds (more than shown when the user reads only some)
    tables: dict[str, Table]
    charts: dict[str, Chart]
    drill: str  # the name of the table that drills down
    map_svg: str = ""
    map_title: str = ""
    map_legend: list[LegendEntry] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    regions: list[OrgUnit] = field(default_factory=list)  # the regions the user can open


def scope_name(unit: OrgUnit) -> str:
    return "ทั้งประเทศ" if unit.type == OrgType.MINISTRY else unit.display_name


def _pct(num: Decimal, den: Decimal) -> Decimal | None:
    return num * HUNDRED / den if den else None


def _fmt(v: Decimal | None, places: int = 2) -> str:
    return "-" if v is None else fmt_decimal(v, places, grouping=True)


def _count_columns(ind: IndicatorAggregate) -> list[str]:
    cols = ["สพท. ที่ต้องรายงาน", "รายงานแล้ว", "ประเมินแล้ว",
            "ประเมินโดยไม่มีรายงานในระบบ", "ระดับเฉลี่ย"]
    if ind.ratios:
        r = ind.ratios[0]
        cols += [_short(r.numerator.name_th), _short(r.denominator.name_th), "ร้อยละ"]
    return cols


def _count_cells(c: Counts, ind: IndicatorAggregate) -> list[str]:
    row = [str(c.expected), str(c.reported), str(c.rated), str(c.rated_unreported),
           _fmt(c.average)]
    if ind.ratios:
        row += [_fmt(c.numerator, 0), _fmt(c.denominator, 0), _fmt(c.percent)]
    return row


RATED_NOTE = ("“ประเมินแล้ว” นับเฉพาะ สพท. ที่รายงานแล้ว จึงไม่เกินจำนวนที่รายงาน; "
              "“ประเมินโดยไม่มีรายงานในระบบ” คือ สพท. ที่มีผลการประเมินแต่ไม่มีรายงานที่ส่งแล้ว"
              "ในระบบ (เช่น ผลที่นำเข้าจากไฟล์ หรือรายงานที่ถูกส่งกลับแก้ไขหลังประเมิน) "
              "ระดับเฉลี่ยและจำนวนตามระดับคุณภาพนับรวมทั้งสองกลุ่ม")


def build_dashboard(
    user: AnyUser, framework: Framework, node: FrameworkNode, round: str,
    office_type: str = "", scope: OrgUnit | None = None,
    readable: list[OrgUnit] | None = None, figure: str = "level",
    link: Callable[[OrgUnit], str] | None = None,
    indicator_link: Callable[[str], str] | None = None,
) -> Dashboard | None:
    """The page of ``scope`` (default: the user's own); None when the user reads none of it.

    ``readable``: ``readable_offices(user)`` when the caller already has it;
    ``link`` / ``indicator_link``: the address of another scope's page and of
    another indicator's (the view keeps the other filters in them).
    """
    allowed = readable_offices(user) if readable is None else readable
    root = nation()
    # Seats are the same for everyone: placed once for all the offices, for the
    # user's and for the size of the scope.
    everyone = list(OrgUnit.objects.filter(type__in=AREA_OFFICE_TYPES, is_active=True))
    placed = placements(seats({o.pk: o for o in [*everyone, *allowed]}.values()))
    scope = scope or home_scope(allowed, root, placed)
    members = [o for o in allowed if in_scope(scope, o, placed)]
    if not members:
        return None
    href = link or (lambda unit: "")
    # Every indicator of the scope in one aggregate: the overview and the chosen one agree.
    agg = aggregate(root, framework, round, office_type or None, offices=members,
                    ratios_only=True)
    ind = agg.indicator(node.code)
    ids = [o.pk for o in agg.offices]
    totals = counts(ind, ids)
    if figure == "percent" and not ind.ratios:
        figure = "level"

    tables: dict[str, Table] = {"overview": _overview(agg, ids, scope)}
    if indicator_link is not None:
        tables["overview"].links = [indicator_link(c) for c in tables["overview"].links]
    else:
        tables["overview"].links = []
    cols = ["หน่วย", *_count_columns(ind)]
    groups, drill = _groups(scope, agg.offices, placed)
    title = {"regions": "จำแนกตามสำนักงานศึกษาธิการภาค",
             "provinces": "จำแนกตามจังหวัด (สพท. นับที่จังหวัดที่ตั้ง)",
             "offices": "จำแนกตาม สพท."}[drill]
    tables[drill] = _group_table(title, cols, groups, ind, href)
    if drill == "regions":  # the nation also gets all 77 provinces, region by region
        by_province, _ = _groups_by_province(agg.offices, placed)
        t = _group_table("จำแนกตามจังหวัด (สพท. นับที่จังหวัดที่ตั้ง)", cols, by_province, ind,
                         href)
        # Which region each province row belongs to, beside its name.
        t.columns.insert(1, "สำนักงานศึกษาธิการภาค")
        for (unit, _label, ids), row in zip(by_province, t.rows, strict=True):
            p = placed.get(ids[0]) if ids else None
            row.insert(1, p.region.display_name if unit and p and p.region else "-")
        tables["provinces"] = t
    tables["ranking"] = _ranking(agg, ind, href)

    years = list(Framework.objects.filter(code=framework.code).order_by("fiscal_year"))
    trend = indicator_by_year(node.code, years, root, round, office_type or None,
                              chosen=agg.offices)
    tables["trend"] = Table("แนวโน้มรายปี", ["ปีงบประมาณ", "ระดับเฉลี่ย", "ร้อยละ"],
                            [[str(y.framework.fiscal_year), _fmt(y.average), _fmt(y.percent)]
                             for y in trend])
    levels = level_chart(ind, agg.band_labels)
    tables["levels"] = Table(levels.title, ["ระดับคุณภาพ", "จำนวน (เขต)"],
                             [[lab, _fmt(v, 0)] for lab, v in zip(levels.labels, levels.values,
                                                                  strict=True)])
    group_rows = tables[drill].rows
    charts = {
        "levels": levels,
        drill: Chart(f"ระดับเฉลี่ย{title}", [r[0] for r in group_rows],
                     [_dec(r[5]) for r in group_rows], kind="barh"),
        "trend": Chart("แนวโน้มระดับเฉลี่ยรายปี", [str(y.framework.fiscal_year) for y in trend],
                       [y.average or Decimal(0) for y in trend], kind="line",
                       x_label="ปีงบประมาณ", y_label="ระดับเฉลี่ย"),
    }
    figures = [f for f in FIGURES if f[0] != "percent" or ind.ratios]
    regions = in_order({p.region.pk: p.region for p in placed.values() if p.region}.values())
    d = Dashboard(framework, node, round, office_type, scope, figure,
                  chain(scope, root, placed), ind, totals, len(agg.offices),
                  _scope_size(scope, office_type, everyone, placed), tables, charts, drill,
                  figures=figures, regions=regions)
    tm = _tile_map(d, agg, placed, href)
    d.map_svg, d.map_title, d.map_legend = render_map(tm), tm.title, legend(tm)
    return d


def _scope_size(scope: OrgUnit, office_type: str, everyone: Sequence[OrgUnit],
                placed: dict[int, Placement]) -> int:
    """How many offices the scope holds for anyone (the page says when it shows fewer)."""
    return sum(1 for o in everyone if (not office_type or o.type == office_type)
               and in_scope(scope, o, placed))


Group = tuple[OrgUnit | None, str, list[int]]  # (unit or None, label, office ids)


def _groups(scope: OrgUnit, offices: Sequence[OrgUnit], placed: dict[int, Placement]
            ) -> tuple[list[Group], str]:
    if scope.type == OrgType.MINISTRY:
        by: dict[int | None, list[int]] = defaultdict(list)
        units: dict[int, OrgUnit] = {}
        for o in offices:
            region = placed[o.pk].region if o.pk in placed else None
            by[region.pk if region else None].append(o.pk)
            if region:
                units[region.pk] = region
        out: list[Group] = [(u, u.display_name, by[u.pk]) for u in in_order(units.values())]
        if None in by:
            out.append((None, NO_REGION, by[None]))
        return out, "regions"
    if scope.type == OrgType.REGIONAL_OFFICE:
        return _groups_by_province(offices, placed)
    # A province: one row per office.
    return [(o, o.display_name, [o.pk]) for o in _offices_in_order(offices)], "offices"


def _offices_in_order(offices: Sequence[OrgUnit]) -> list[OrgUnit]:
    """สพป. before สพม., each in the natural order of its name (เขต 2 before เขต 10)."""
    return sorted(offices, key=lambda o: (o.type != OrgType.PRIMARY_AREA, *_natural(o)))


def _natural(o: OrgUnit) -> tuple[object, ...]:
    return (natural_key(o.display_name), natural_key(o.code))


def _groups_by_province(offices: Sequence[OrgUnit], placed: dict[int, Placement]
                        ) -> tuple[list[Group], str]:
    by: dict[int | None, list[int]] = defaultdict(list)
    units: dict[int, OrgUnit] = {}
    region_of: dict[int, OrgUnit | None] = {}
    for o in offices:
        p = placed.get(o.pk)
        province = p.province if p else None
        by[province.pk if province else None].append(o.pk)
        if province:
            units[province.pk] = province
            region_of[province.pk] = p.region if p else None
    regions = in_order({r.pk: r for r in region_of.values() if r}.values())
    rank = {r.pk: i for i, r in enumerate(regions)}

    def key(u: OrgUnit) -> tuple[object, ...]:
        r = region_of.get(u.pk)
        return (rank.get(r.pk, len(rank)) if r else len(rank), unit_key(u))

    out: list[Group] = [(u, u.display_name, by[u.pk]) for u in sorted(units.values(), key=key)]
    if None in by:
        out.append((None, NO_PROVINCE, by[None]))
    return out, "provinces"


def _group_table(title: str, cols: list[str], groups: list[Group], ind: IndicatorAggregate,
                 href: Callable[[OrgUnit], str]) -> Table:
    t = Table(title, list(cols), note=RATED_NOTE)  # a copy: a caller may add a column
    for unit, label, ids in groups:
        t.rows.append([label, *_count_cells(counts(ind, ids), ind)])
        t.links.append(href(unit) if unit is not None else "")
    return t


def _overview(agg: FrameworkAggregate, ids: list[int], scope: OrgUnit) -> Table:
    """Every rated indicator of the framework for the scope, one row each."""
    bands = agg.band_labels
    cols = ["ตัวชี้วัด", "สพท. ที่ต้องรายงาน", "รายงานแล้ว", "ประเมินแล้ว",
            "ประเมินโดยไม่มีรายงานในระบบ", "ระดับเฉลี่ย", "ร้อยละ",
            *[f"{label} ({level})" for level, label in bands]]
    t = Table(f"ภาพรวมทุกตัวชี้วัด: {scope_name(scope)}", cols, note=RATED_NOTE)
    for ind in agg.indicators:
        c = counts(ind, ids)
        pct = c.percent if ind.ratios else None
        t.rows.append([f"{ind.node.heading} {ind.node.title_th}".strip(), str(c.expected),
                       str(c.reported), str(c.rated), str(c.rated_unreported),
                       _fmt(c.average), _fmt(pct),
                       *[str(ind.levels.get(level, 0)) for level, _l in bands]])
        t.links.append(ind.node.code)  # the view turns a code into the indicator's address
    return t


def _ranking(agg: FrameworkAggregate, ind: IndicatorAggregate,
             href: Callable[[OrgUnit], str]) -> Table:
    ratio = ind.ratios[0] if ind.ratios else None
    ranking = sorted(
        (o for o in agg.offices if o.pk in ind.office_values),
        key=lambda o: (-ind.office_values[o.pk], _natural(o)),
    )
    cols = ["ลำดับ", "สพท.", "ระดับ"] + (["ร้อยละ"] if ratio else [])
    t = Table("อันดับ สพท. ตามระดับคุณภาพ", cols)
    for i, o in enumerate(ranking, 1):
        row = [str(i), o.display_name, _fmt(ind.office_values[o.pk])]
        if ratio is not None:
            row.append(_fmt(_pct(ratio.numerator.by_office.get(o.pk, Decimal(0)),
                                 ratio.denominator.by_office.get(o.pk, Decimal(0)))))
        t.rows.append(row)
        t.links.append(href(o))
    return t


def _tile_map(d: Dashboard, agg: FrameworkAggregate, placed: dict[int, Placement],
              href: Callable[[OrgUnit], str]) -> TileMap:
    """Each province of the scope coloured by the chosen figure over its seated offices."""
    ind = d.indicator
    label = dict(FIGURES)[d.figure]
    bands = agg.framework.bands()
    if d.figure == "level":
        classes = band_classes([(b.level, b.label_th, b.min_value, b.min_inclusive)
                                for b in bands])
    else:
        classes = percent_classes()
    tm = TileMap(f"แผนที่{label}รายจังหวัด {d.node.heading}", classes)
    by_province: dict[int, list[int]] = defaultdict(list)
    for o in agg.offices:
        p = placed.get(o.pk)
        if p and p.province:
            by_province[p.province.pk].append(o.pk)
    provinces = OrgUnit.objects.filter(type=OrgType.PROVINCE).select_related("parent")
    scope = d.scope
    for unit in provinces:
        if scope.type == OrgType.REGIONAL_OFFICE and unit.parent_id != scope.pk:
            continue
        if scope.type == OrgType.PROVINCE and unit.pk != scope.pk:
            continue
        if scope.type in AREA_OFFICE_TYPES:
            p = placed.get(scope.pk)
            if not p or not p.province or p.province.pk != unit.pk:
                continue
        ids = by_province.get(unit.pk, [])
        c = counts(ind, ids)
        note = f"สพท. {c.expected} เขต" if c.expected else "ไม่มี สพท. ในขอบเขตนี้"
        klass, text = "", "-"
        if d.figure == "level" and c.average is not None:
            klass, text = str(band_of(bands, c.average).level), _fmt(c.average)
        elif d.figure == "percent" and c.percent is not None:
            klass, text = percent_class(classes, c.percent), f"ร้อยละ {_fmt(c.percent)}"
        elif d.figure == "reported" and c.reported_percent is not None:
            klass = percent_class(classes, c.reported_percent)
            text = f"รายงานแล้วร้อยละ {_fmt(c.reported_percent)}"
        tm.values[province_name(unit)] = ProvinceValue(
            klass, text, href(unit) if ids else "", note)
    return tm


# --- an office over the years -------------------------------------------------------
@dataclass
class OfficePage:
    office: OrgUnit
    crumbs: list[OrgUnit]
    years: list[Framework]
    table: Table
    states: Table


def build_office_page(office: OrgUnit, framework: Framework, round: str,
                      readable: list[OrgUnit]) -> OfficePage | None:
    """One office's levels and figures, every indicator, every year and round side by side."""
    if office.pk not in {o.pk for o in readable}:
        return None
    root = nation()
    placed = placements(seats([office]))
    years = list(Framework.objects.filter(code=framework.code).order_by("fiscal_year"))
    round_names = period_type_names()
    columns = ["ตัวชี้วัด"]
    per: dict[tuple[int, str], FrameworkAggregate] = {}
    for fw in years:
        for rnd in fw.rounds:
            per[(fw.pk, rnd)] = aggregate(office, fw, rnd, offices=[office])
            columns.append(f"{fw.fiscal_year} {round_names.get(rnd, rnd)}")
    chosen = [fw for fw in years if round in fw.rounds]
    columns += [f"ร้อยละ {fw.fiscal_year}" for fw in chosen]
    if len(chosen) > 1:
        columns.append(f"ระดับที่เปลี่ยน {round_names.get(round, round)} "
                       f"({chosen[-2].fiscal_year} → {chosen[-1].fiscal_year})")
    codes: list[tuple[str, str]] = []  # (code, heading + title) in the latest year's order
    for fw in reversed(years):
        for n in fw.nodes.order_by("position"):
            if n.is_rated and n.code not in {c for c, _t in codes} and n.applies(office):
                codes.append((n.code, f"{n.heading} {n.title_th}".strip()))
    table = Table(f"ผลการประเมินรายปี: {office.display_name}", columns)
    for code, title in codes:
        row = [title]
        for fw in years:
            for rnd in fw.rounds:
                ind = _find(per[(fw.pk, rnd)], code)
                row.append(_level(ind.office_values.get(office.pk)) if ind else "-")
        levels = []
        for fw in chosen:
            ind = _find(per[(fw.pk, round)], code)
            row.append(_fmt(ind.ratios[0].percent) if ind and ind.ratios else "-")
            levels.append(ind.office_values.get(office.pk) if ind else None)
        if len(chosen) > 1:
            before, after = levels[-2], levels[-1]
            row.append(_change(before, after))
        table.rows.append(row)
    states = Table("สถานะรายงาน", ["ปีงบประมาณ", *[round_names.get(r, r) for r in
                                                   framework.rounds]])
    subs = {(s.framework_id, s.round): s for s in Submission.objects.filter(
        org=office, framework__in=years)}
    for fw in years:
        states.rows.append([str(fw.fiscal_year), *[
            subs[(fw.pk, r)].get_state_display() if (fw.pk, r) in subs else "ยังไม่มีรายงาน"
            for r in framework.rounds]])
    return OfficePage(office, chain(office, root, placed), years, table, states)


def _find(agg: FrameworkAggregate, code: str) -> IndicatorAggregate | None:
    return next((i for i in agg.indicators if i.node.code == code), None)


def _level(v: Decimal | None) -> str:
    """An office's level as the sheet prints it: 4, or 4.50 for a mean over rounds."""
    if v is None:
        return "-"
    return fmt_decimal(v, 0) if v == v.to_integral_value() else fmt_decimal(v, 2)


def _change(before: Decimal | None, after: Decimal | None) -> str:
    if before is None or after is None:
        return "-"
    diff = after - before
    if not diff:
        return "คงเดิม"
    return ("เพิ่มขึ้น " if diff > 0 else "ลดลง ") + _level(abs(diff))


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text not in ("", "-") else Decimal(0)


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(csv_row(table.columns))
    w.writerows(csv_row(row) for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens Thai CSV correctly


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "ข้อมูล"
    append_row(ws, [table.title])
    append_row(ws, table.columns)
    for row in table.rows:
        append_row(ws, [_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(v: str) -> object:
    """Numbers as numbers (exact, via Decimal's string), text as text."""
    try:
        d = Decimal(v.replace(",", ""))
    except ArithmeticError:
        return v
    return int(d) if d == d.to_integral_value() and "." not in v else float(d)
