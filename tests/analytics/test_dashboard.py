"""Dashboards are scoped by permission and their downloads carry the aggregates."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import Client

from tests.conftest import make_user
from tidtam.analytics.aggregate import aggregate, offices_for
from tidtam.analytics.dashboard import readable_offices
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
    assert sum(int(r[3]) for r in data) == len(ind.rated_offices)  # type: ignore[arg-type]
    ratio = ind.ratios[0]
    assert sum(Decimal(str(r[5])) for r in data) == ratio.numerator.total

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
