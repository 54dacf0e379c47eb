"""In Chromium: a regional executive filters the dashboard and downloads a chart's data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def country(browser: Any) -> Any:
    from tidtam.analytics.national import SCALES, build_country

    return build_country(SCALES["small"], seed=11)


def test_regional_viewer_filters_and_downloads(
    country: Any, login: Callable[..., Any], tmp_path: Any
) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD

    page = login("reo15", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/analytics/dashboard/")
    assert page.locator("h1").inner_text() == "แดชบอร์ดผลการดำเนินงาน"
    ranking = page.locator("#table-ranking + p + table").inner_text()
    assert "สพม.ลำปาง ลำพูน" in ranking and "ศรีสะเกษ" not in ranking
    page.select_option("select[name=type]", "secondary_area")
    page.select_option("select[name=indicator]", "2")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**indicator=2**")
    ranking = page.locator("#table-ranking + p + table").inner_text()
    assert "สพป." not in ranking and "สพม.ลำปาง ลำพูน" in ranking
    assert page.locator("#chart-levels svg").count() == 1
    with page.expect_download() as info:
        page.locator("#chart-levels figcaption a", has_text="CSV").click()
    path = tmp_path / "levels.csv"
    info.value.save_as(path)
    rows = path.read_text(encoding="utf-8-sig").strip().splitlines()
    assert rows[0] == "ระดับคุณภาพ,จำนวน (เขต)" and len(rows) == 6


def test_synthesis_is_not_found_for_a_regional_viewer(
    country: Any, login: Callable[..., Any]
) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD

    page = login("reo15", DEMO_PASSWORD)
    resp = page.goto(f"{page.base_url}/analytics/synthesis/")
    assert resp.status == 404
    admin = login("demo", DEMO_PASSWORD)
    # The whole national synthesis draws ~26 charts: give it more than a page's usual time.
    admin.goto(f"{admin.base_url}/analytics/synthesis/?year=2566&round=12m", timeout=90000)
    assert admin.locator("section.indicator").count() >= 12
    assert admin.locator("figure.chart").count() >= 24
