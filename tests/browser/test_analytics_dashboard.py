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
    ranking = page.locator("#table-ranking table").inner_text()
    assert "สพม.ลำปาง ลำพูน" in ranking and "ศรีสะเกษ" not in ranking
    page.select_option("select[name=type]", "secondary_area")
    page.select_option("select[name=indicator]", "2")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**indicator=2**")
    ranking = page.locator("#table-ranking table").inner_text()
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


def test_drill_down_from_the_nation_to_one_office_and_its_map(
    country: Any, login: Callable[..., Any]
) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD

    page = login("evaluator", DEMO_PASSWORD)  # holds a role on OBEC: the whole nation
    page.goto(f"{page.base_url}/analytics/dashboard/?year=2566&round=12m&indicator=3")
    assert page.locator(".breadcrumbs [aria-current]").inner_text() == "ทั้งประเทศ"
    page.click("#table-regions tbody a:text-is('ศธภ.15')")
    page.wait_for_url("**scope=REO15**")
    assert "indicator=3" in page.url and "year=2566" in page.url
    assert page.locator(".breadcrumbs [aria-current]").inner_text() == "ศธภ.15"
    # The map: a province of the region is a link; one elsewhere is not.
    assert page.locator("svg.tilemap g.tile[data-province='ภูเก็ต']").count() == 1
    page.locator("svg.tilemap a.tile[data-province='ลำปาง']").click()
    page.wait_for_url("**scope=P52**")
    assert page.locator(".breadcrumbs li").all_inner_texts() == ["ทั้งประเทศ", "ศธภ.15", "ลำปาง"]
    assert "indicator=3" in page.url
    page.click("#table-offices tbody a:text-is('สพม.ลำปาง ลำพูน')")
    page.wait_for_url("**scope=SPM-52-51**")
    assert page.locator(".breadcrumbs li").all_inner_texts() == [
        "ทั้งประเทศ", "ศธภ.15", "ลำปาง", "สพม.ลำปาง ลำพูน"]
    head = page.locator("#table-years thead").inner_text()
    assert "2565 รอบ 12 เดือน" in head and "2566 รอบ 12 เดือน" in head
    # Back up the breadcrumb to the region, filters still there.
    page.click(".breadcrumbs a:text-is('ศธภ.15')")
    page.wait_for_url("**scope=REO15**")
    assert "indicator=3" in page.url


def test_phone_dashboard_does_not_scroll_sideways(
    country: Any, login: Callable[..., Any]
) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD

    page = login("evaluator", DEMO_PASSWORD, phone=True)
    for url in ("/analytics/dashboard/?year=2566&round=12m&indicator=1",
                "/analytics/dashboard/?year=2566&round=12m&scope=REO15&figure=percent",
                "/analytics/dashboard/?year=2566&round=12m&scope=SPM-52-51"):
        page.goto(f"{page.base_url}{url}")
        width, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert client == 390 and width <= client, (url, width)
        # Wide tables scroll inside their own box instead.
        box = page.locator(".table-box").first
        assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    page.goto(f"{page.base_url}/analytics/dashboard/?year=2566&round=12m&indicator=1")
    assert page.locator("svg.tilemap").bounding_box()["width"] <= 390  # type: ignore[index]
    # Printed, the filters and downloads are left out and tables are not cut at a box.
    page.emulate_media(media="print")
    assert page.locator("#filters").evaluate("f => getComputedStyle(f).display") == "none"
    assert page.locator(".table-box").first.evaluate(
        "b => getComputedStyle(b).overflowX") == "visible"
