"""Dashboards are scoped by permission and their downloads carry the aggregates."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import Client

from tests.conftest import make_user
from tidtam.analytics.aggregate import aggregate, offices_for, seats
from tidtam.analytics.dashboard import readable_offices
from tidtam.analytics.geography import placements
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgUnit


def _client(username: str, role: str, org: str) -> Client:
    c = Client()
    c.force_login(make_user(username, role, org))
    return c


def test_regional_viewer_sees_the_offices_of_its_provinces_only(country: Any) -> None:
    user = make_user("reo15x", "viewer", "REO15")
    mine = {o.code for o in readable_offices(user)}
    assert mine == {o.code for o in offices_for(OrgUnit.objects.get(code="REO15"))}
    assert "SPM-52-51" in mine and "SPP-33-1" not in mine
    c = Client()
    c.force_login(user)
    page = c.get("/analytics/dashboard/?year=2566&round=12m&indicator=1").content.decode()
    assert "สพป.ศรีสะเกษ เขต 1" not in page
    assert "สพม.ลำปาง ลำพูน" in page
    # It opens on the region, and another region is not found.
    assert '<span aria-current="page">ศธภ.15</span>' in page
    assert c.get("/analytics/dashboard/?scope=REO14").status_code == 404
    assert c.get("/analytics/dashboard/?scope=P33").status_code == 404
    assert c.get("/analytics/dashboard/?scope=SPP-33-1").status_code == 404
    # The nation holds only what it may read, and says so.
    nation = c.get("/analytics/dashboard/?scope=MOE").content.decode()
    assert "แสดงเฉพาะ สพท. ที่ท่านมีสิทธิ์ดู" in nation and "ศธภ.14" not in nation


def test_no_role_no_dashboard_and_bad_filters_are_404(country: Any) -> None:
    from django.contrib.auth import get_user_model

    c = Client()
    c.force_login(get_user_model().objects.create_user("nobody", password="x-long-password"))
    assert c.get("/analytics/dashboard/").status_code == 404
    boss = _client("boss", "viewer", "OBEC")
    assert boss.get("/analytics/dashboard/?indicator=nope").status_code == 404
    assert boss.get("/analytics/dashboard/?type=school").status_code == 404
    assert boss.get("/analytics/dashboard/?round=3m").status_code == 404
    assert boss.get("/analytics/dashboard/levels.exe").status_code == 404
    assert boss.get("/analytics/dashboard/?scope=OBEC").status_code == 404  # not a scope
    assert boss.get("/analytics/dashboard/?scope=nope").status_code == 404
    assert boss.get("/analytics/dashboard/?figure=colour").status_code == 404


def test_level_csv_and_xlsx_match_the_aggregate(country: Any) -> None:
    boss = _client("boss2", "viewer", "OBEC")
    q = "?year=2566&round=12m&indicator=1&type=primary_area"
    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    ind = aggregate(OrgUnit.objects.get(code="MOE"), fw, "12m", "primary_area").indicator("1")
    csv_text = boss.get(f"/analytics/dashboard/levels.csv{q}").content.decode("utf-8-sig")
    rows = [line.split(",") for line in csv_text.strip().splitlines()[1:]]
    assert [int(n) for _label, n in rows] == [ind.levels[lv] for lv in (5, 4, 3, 2, 1)]
    assert sum(int(n) for _label, n in rows) == len(ind.rated_offices)

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(boss.get(f"/analytics/dashboard/regions.xlsx{q}").content))
    ws = wb.active
    assert ws is not None
    data = list(ws.iter_rows(min_row=3, values_only=True))
    assert sum(int(r[1]) for r in data) == len(ind.expected)  # type: ignore[arg-type]
    # Rated among the reported, and rated without a report, add up to the rated offices.
    assert sum(int(r[3]) + int(r[4]) for r in data) == len(ind.rated_offices)  # type: ignore[arg-type]
    ratio = ind.ratios[0]
    assert sum(Decimal(str(r[6])) for r in data) == ratio.numerator.total

    png = boss.get(f"/analytics/dashboard/trend.png{q}")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    svg = boss.get(f"/analytics/dashboard/levels.svg{q}")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_trend_covers_both_generated_years(country: Any) -> None:
    boss = _client("boss3", "viewer", "OBEC")
    text = boss.get("/analytics/dashboard/trend.csv?year=2566&round=12m&indicator=3").content
    lines = text.decode("utf-8-sig").strip().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["2565", "2566"]
    for line in lines[1:]:
        year = int(line.split(",")[0])
        fw = Framework.objects.get(code="qp", fiscal_year=year)
        ind = aggregate(OrgUnit.objects.get(code="MOE"), fw, "12m").indicator("3")
        from tidtam.thai.numbers import fmt_decimal

        assert line.split(",")[1] == fmt_decimal(ind.average)


def test_table_downloads_keep_formula_like_names_as_text() -> None:
    from openpyxl import load_workbook

    from tidtam.analytics.dashboard import Table, table_csv, table_xlsx

    table = Table("หน่วยงาน", ["หน่วยงาน", "ค่าเฉลี่ย"],
                  [['=HYPERLINK("http://example.invalid","สพป.")', "-0.50"], ["-", "3.50"]])
    text = table_csv(table).decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://example.invalid"",""สพป."")",-0.50'
    ws = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert ws is not None
    name, value = ws[3]
    assert (name.data_type, name.value) == ("s", table.rows[0][0])
    assert (value.data_type, value.value) == ("n", -0.5)


def _table(page: str, name: str) -> list[tuple[str, list[str]]]:
    """(link, cells) of each body row of a dashboard table, read from the HTML."""
    import html
    import re

    section = page.split(f'id="table-{name}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        link = re.search(r'<a href="([^"]+)"', tr)
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c))
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
        rows.append((html.unescape(link.group(1)) if link else "", cells))
    return rows


def test_drill_down_from_the_nation_to_an_office_keeps_the_filters(country: Any) -> None:
    from urllib.parse import parse_qs, urlsplit

    boss = _client("boss4", "viewer", "OBEC")
    q = "?year=2566&round=12m&indicator=2&type=primary_area"
    page = boss.get(f"/analytics/dashboard/{q}").content.decode()
    regions = _table(page, "regions")
    names = [cells[0] for _l, cells in regions]
    numbers = [int(n.split(".")[1]) for n in names]
    assert numbers == sorted(numbers) and min(numbers) < 10 < max(numbers)  # 9 before 10

    link = next(link for link, cells in regions if cells[0] == "ศธภ.15")
    params = parse_qs(urlsplit(link).query)
    assert params == {"year": ["2566"], "round": ["12m"], "indicator": ["2"],
                      "type": ["primary_area"], "scope": ["REO15"]}
    region_row = next(cells for _l, cells in regions if cells[0] == "ศธภ.15")
    region = boss.get(link).content.decode()
    provinces = _table(region, "provinces")
    order = ["เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"]  # by TIS 1099 code: 50, 51, 52, 58
    names = [cells[0] for _l, cells in provinces]
    assert names == [n for n in order if n in names] and "ลำปาง" in names
    # The region's province rows add up to the region's row on the nation's page.
    for i in (1, 2, 3, 4):
        assert sum(int(cells[i]) for _l, cells in provinces) == int(region_row[i])
    assert "ศธภ.15" in region and 'href="/analytics/dashboard/?year=2566' in region

    link, province_row = next((lk, c) for lk, c in provinces if c[0] == "ลำปาง")
    province = boss.get(link).content.decode()
    offices = _table(province, "offices")
    assert len(offices) == int(province_row[1])
    assert sum(int(c[2]) for _l, c in offices) == int(province_row[2])
    crumbs = province.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "ทั้งประเทศ" in crumbs and "ศธภ.15" in crumbs and "ลำปาง" in crumbs

    link = offices[0][0]
    assert parse_qs(urlsplit(link).query)["scope"][0].startswith("SPP-52")
    office = boss.get(link).content.decode()
    assert "ผลการประเมินรายปี" in office
    crumbs = office.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert crumbs.count("<li>") == 4 and "scope=P52" in crumbs


def test_counts_cannot_disagree_rated_is_within_reported(country: Any) -> None:
    boss = _client("boss5", "viewer", "OBEC")
    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    ind = aggregate(OrgUnit.objects.get(code="MOE"), fw, "12m").indicator("1")
    unreported = set(ind.rated_offices) - set(ind.submitted_offices)
    assert unreported, "the demo holds ratings imported without a report"
    page = boss.get("/analytics/dashboard/?year=2566&round=12m&indicator=1").content.decode()
    for name, first in (("regions", 1), ("provinces", 2)):  # provinces: the region column
        rows = [[int(c) for c in cells[first:first + 4]] for _l, cells in _table(page, name)]
        for expected, reported, rated, _apart in rows:
            assert rated <= reported <= expected
        sums = [sum(col) for col in zip(*rows, strict=True)]
        assert sums == [len(ind.expected), len(ind.submitted_offices),
                        len(set(ind.rated_offices) & set(ind.submitted_offices)), len(unreported)]
    assert f"ประเมินโดยไม่มีรายงานในระบบ {len(unreported)}" in page
    # Every table has as many headings as cells in a row.
    for name in ("overview", "regions", "provinces", "ranking", "trend", "levels"):
        section = page.split(f'id="table-{name}"', 1)[1].split("</section>", 1)[0]
        headings = section.split("</thead>", 1)[0].count("<th scope=\"col\">")
        assert {len(cells) for _l, cells in _table(page, name)} == {headings}, name


def test_overview_shows_every_indicator_of_the_scope(country: Any) -> None:
    boss = _client("boss6", "viewer", "OBEC")
    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    agg = aggregate(OrgUnit.objects.get(code="REO15"), fw, "6m")
    page = boss.get("/analytics/dashboard/?year=2566&round=6m&scope=REO15").content.decode()
    rows = _table(page, "overview")
    assert len(rows) == len(agg.indicators) == 13
    placed = placements(seats(agg.offices))
    mine = {o.pk for o in agg.offices if placed[o.pk].region
            and placed[o.pk].region.code == "REO15"}  # type: ignore[union-attr]
    for (link, cells), ind in zip(rows, agg.indicators, strict=True):
        assert f"indicator={ind.node.code}" in link and "scope=REO15" in link
        assert int(cells[1]) == len(mine & set(ind.expected))
        assert sum(int(c) for c in cells[7:]) == int(cells[3]) + int(cells[4])


def test_office_page_compares_years(country: Any) -> None:
    from tidtam.thai.numbers import fmt_decimal

    spm = OrgUnit.objects.get(code="SPP-52-1")
    boss = _client("boss7", "viewer", "OBEC")
    page = boss.get("/analytics/dashboard/?year=2566&round=12m&scope=SPP-52-1").content.decode()
    rows = _table(page, "years")
    head = page.split('id="table-years"', 1)[1].split("</thead>", 1)[0]
    assert "2565 รอบ 6 เดือน" in head and "2566 รอบ 12 เดือน" in head
    fw = Framework.objects.get(code="qp", fiscal_year=2565)
    agg = aggregate(spm, fw, "12m")
    first = agg.indicators[0]
    level = first.office_values.get(spm.pk)
    assert rows[0][1][2] == ("-" if level is None else fmt_decimal(level, 0))
    reporter = _client("rep521", "reporter", "SPP-52-1")
    own = reporter.get("/analytics/dashboard/")
    assert own.status_code == 200 and "ผลการประเมินรายปี" in own.content.decode()
    assert reporter.get("/analytics/dashboard/?scope=SPP-52-2").status_code == 404
    assert reporter.get("/analytics/dashboard/?scope=REO15").status_code == 200


def test_map_colours_provinces_and_links_them(country: Any) -> None:
    import re

    boss = _client("boss8", "viewer", "OBEC")
    page = boss.get("/analytics/dashboard/?year=2566&round=12m&indicator=1&figure=reported"
                    ).content.decode()
    svg = page.split('<svg viewBox', 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="tile"') == 77
    links = dict((p, h) for h, p in re.findall(
        r'<a href="([^"]+)" class="tile" data-province="([^"]+)"', svg))
    assert "scope=P52" in links["ลำปาง"] and "figure=reported" in links["ลำปาง"]
    region = boss.get("/analytics/dashboard/?year=2566&round=12m&indicator=1&scope=REO15"
                      ).content.decode()
    svg = region.split('<svg viewBox', 1)[1].split("</svg>", 1)[0]
    linked = set(re.findall(r'<a href="[^"]+" class="tile" data-province="([^"]+)"', svg))
    assert linked <= {"เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"} and "ลำปาง" in linked
    assert "ภูเก็ต (นอกขอบเขต)" in svg


def test_the_dashboard_sends_as_many_queries_for_the_whole_country_as_for_the_demo(
    db: None,
) -> None:
    """A page that queried per office or per indicator would grow with the country:
    a country of 16 area offices against one of 35, both with two years."""
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tidtam.analytics.national import SCALES, Scale, build_country

    c = _client("obec-q", "viewer", "OBEC")
    pages = ["/analytics/dashboard/?year=2566&round=12m&indicator=2",
             "/analytics/dashboard/?year=2566&indicator=1&type=secondary_area",
             "/analytics/dashboard/?year=2566&round=12m&indicator=2&scope=REO15",
             "/analytics/dashboard/?year=2566&round=12m&indicator=2&scope=P52"]

    def statements(url: str) -> list[str]:
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200, url
        return [q["sql"].split(" WHERE ")[0] for q in ctx.captured_queries]

    build_country(Scale("tiny", 12, 4, 2, 1), seed=7)
    few = {url: statements(url) for url in pages}
    build_country(SCALES["small"], seed=7)  # the same country, grown
    assert OrgUnit.objects.area_offices().count() == 35
    for url in pages:
        country = statements(url)
        grown = list((Counter(country) - Counter(few[url])).elements())
        assert len(country) == len(few[url]), (url, grown)
        assert len(country) <= 40, (url, len(country))


def test_a_table_prints_every_cell_escaped_and_links_its_row_header() -> None:
    from tidtam.analytics.dashboard import Table

    t = Table("t", ["หน่วย", "ค่า"], [["<b>สพม.</b>", "1 & 2"], ["ไม่มีลิงก์", "3"]],
              links=['/analytics/dashboard/?a=1&scope="x"'])
    assert t.body_html() == (
        '<tr><th scope="row"><a href="/analytics/dashboard/?a=1&amp;scope=&quot;x&quot;">'
        "&lt;b&gt;สพม.&lt;/b&gt;</a></th><td>1 &amp; 2</td></tr>"
        '<tr><th scope="row">ไม่มีลิงก์</th><td>3</td></tr>')
