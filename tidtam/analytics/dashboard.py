"""Dashboards: one indicator, one year and round, seen by region, by province, by office.

Built from one ``aggregate`` over the offices the user may read, so a regional
executive sees exactly the offices serving their provinces and OBEC sees the
nation. Each table is also a chart, and each chart's data downloads as CSV or
XLSX (``table_csv`` / ``table_xlsx``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from tidtam.accounts.permissions import AnyUser, org_filter
from tidtam.analytics.aggregate import IndicatorAggregate, aggregate, offices_for, seats
from tidtam.analytics.charts import Chart
from tidtam.analytics.synthesis import level_chart, nation
from tidtam.cells import append_row, csv_row
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit
from tidtam.thai.numbers import fmt_decimal

HUNDRED = Decimal(100)


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


@dataclass
class Dashboard:
    framework: Framework
    node: FrameworkNode
    round: str
    office_type: str
    region: OrgUnit | None
    indicator: IndicatorAggregate
    tables: dict[str, Table]
    charts: dict[str, Chart]


def _pct(num: Decimal, den: Decimal) -> Decimal | None:
    return num * HUNDRED / den if den else None


def _fmt(v: Decimal | None, places: int = 2) -> str:
    return "-" if v is None else fmt_decimal(v, places, grouping=True)


def build_dashboard(
    user: AnyUser, framework: Framework, node: FrameworkNode, round: str,
    office_type: str = "", region: OrgUnit | None = None,
    readable: list[OrgUnit] | None = None,
) -> Dashboard:
    """``readable``: ``readable_offices(user)`` when the caller already has it."""
    allowed = readable_offices(user) if readable is None else readable
    if region is not None:
        in_region = {o.pk for o in offices_for(region)}
        allowed = [o for o in allowed if o.pk in in_region]
    # Only the indicator shown is aggregated (``only``): the page used to add up
    # all 13 QP indicators three times (this year and the trend) to show one.
    agg = aggregate(nation(), framework, round, office_type or None, offices=allowed,
                    only=[node.code])
    ind = agg.indicator(node.code)
    seat = seats(agg.offices)
    ratio = ind.ratios[0] if ind.ratios else None

    def group_rows(key_of: dict[int, OrgUnit]) -> list[list[str]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for o in agg.offices:
            if o.pk in key_of and o.pk in ind.expected:
                groups[key_of[o.pk].pk].append(o.pk)
        units = OrgUnit.objects.in_bulk(list(groups))
        rows = []
        for pk in sorted(groups, key=lambda k: units[k].code):
            members = groups[pk]
            levels = [ind.office_values[m] for m in members if m in ind.office_values]
            row = [units[pk].display_name, str(len(members)),
                   str(sum(1 for m in members if m in ind.submitted_offices)), str(len(levels)),
                   _fmt(sum(levels, Decimal(0)) / len(levels) if levels else None)]
            if ratio is not None:
                num = sum((ratio.numerator.by_office.get(m, Decimal(0)) for m in members),
                          Decimal(0))
                den = sum((ratio.denominator.by_office.get(m, Decimal(0)) for m in members),
                          Decimal(0))
                row += [_fmt(num, 0), _fmt(den, 0), _fmt(_pct(num, den))]
            rows.append(row)
        return rows

    columns = ["หน่วย", "สพท. ที่ต้องรายงาน", "รายงานแล้ว", "ประเมินแล้ว", "ระดับเฉลี่ย"]
    if ratio is not None:
        columns += [_short(ratio.numerator.name_th), _short(ratio.denominator.name_th), "ร้อยละ"]
    parents = OrgUnit.objects.in_bulk({p.parent_id for p in seat.values() if p.parent_id})
    region_of = {pk: parents[p.parent_id] for pk, p in seat.items() if p.parent_id in parents}
    tables = {
        "regions": Table("จำแนกตามสำนักงานศึกษาธิการภาค", columns, group_rows(region_of)),
        "provinces": Table("จำแนกตามจังหวัด (สพท. นับที่จังหวัดที่ตั้ง)", columns,
                           group_rows(seat)),
    }
    ranking = sorted(
        (o for o in agg.offices if o.pk in ind.office_values),
        key=lambda o: (-ind.office_values[o.pk], o.code),
    )
    rank_cols = ["ลำดับ", "สพท.", "ระดับ"] + (["ร้อยละ"] if ratio else [])
    rank_rows = []
    for i, o in enumerate(ranking, 1):
        row = [str(i), o.display_name, _fmt(ind.office_values[o.pk])]
        if ratio is not None:
            row.append(_fmt(_pct(ratio.numerator.by_office.get(o.pk, Decimal(0)),
                                 ratio.denominator.by_office.get(o.pk, Decimal(0)))))
        rank_rows.append(row)
    tables["ranking"] = Table("อันดับ สพท. ตามระดับคุณภาพ", rank_cols, rank_rows)

    trend = _trend(allowed, framework, node, round, office_type, ind)
    tables["trend"] = Table("แนวโน้มรายปี", ["ปีงบประมาณ", "ระดับเฉลี่ย", "ร้อยละ"],
                            [[str(y), _fmt(a), _fmt(p)] for y, a, p in trend])
    levels = level_chart(ind, agg.band_labels)
    tables["levels"] = Table(levels.title, ["ระดับคุณภาพ", "จำนวน (เขต)"],
                             [[lab, _fmt(v, 0)] for lab, v in zip(levels.labels, levels.values,
                                                                  strict=True)])
    charts = {
        "levels": levels,
        "regions": Chart("ระดับเฉลี่ยจำแนกตามสำนักงานศึกษาธิการภาค",
                         [r[0] for r in tables["regions"].rows],
                         [_dec(r[4]) for r in tables["regions"].rows], kind="barh"),
        "trend": Chart("แนวโน้มระดับเฉลี่ยรายปี", [str(y) for y, _a, _p in trend],
                       [a or Decimal(0) for _y, a, _p in trend], kind="line",
                       x_label="ปีงบประมาณ", y_label="ระดับเฉลี่ย"),
    }
    return Dashboard(framework, node, round, office_type, region, ind, tables, charts)


def _trend(
    allowed: list[OrgUnit], framework: Framework, node: FrameworkNode, round: str,
    office_type: str, current: IndicatorAggregate,
) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """The same indicator (by code) in every year of the same framework.

    ``allowed`` are the offices of the dashboard (the user's, within the region);
    ``current`` is this year's aggregate over them, reused rather than redone.
    """
    out = []
    for fw in Framework.objects.filter(code=framework.code).order_by("fiscal_year"):
        if not fw.nodes.filter(code=node.code).exists() or round not in fw.rounds:
            continue
        if fw.pk == framework.pk:
            ind = current
        else:
            agg = aggregate(nation(), fw, round, office_type or None, offices=allowed,
                            only=[node.code])
            ind = agg.indicator(node.code)
        pct = ind.ratios[0].percent if ind.ratios else None
        out.append((fw.fiscal_year, ind.average, pct))
    return out


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


def regions() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(type=OrgType.REGIONAL_OFFICE).order_by("pk"))
