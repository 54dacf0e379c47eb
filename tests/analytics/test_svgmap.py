"""The province tile map: classes, links, titles and the legend."""

from __future__ import annotations

import re
from decimal import Decimal

from tidtam.analytics.svgmap import (
    ProvinceValue,
    TileMap,
    band_classes,
    legend,
    percent_class,
    percent_classes,
    render_map,
)


def test_percent_classes_have_closed_lower_bounds() -> None:
    classes = percent_classes()
    assert [c.low for c in classes] == [0, 50, 70, 80, 90]
    assert percent_class(classes, Decimal("49.99")) == classes[0].key
    assert percent_class(classes, Decimal("50")) == classes[1].key
    assert percent_class(classes, Decimal("89.999")) == classes[3].key
    assert percent_class(classes, Decimal("100")) == classes[4].key
    assert classes[0].label == "ต่ำกว่าร้อยละ 50" and classes[-1].label == "ร้อยละ 90 ขึ้นไป"


def test_band_classes_follow_the_band_table() -> None:
    classes = band_classes([(5, "ดีเยี่ยม", Decimal("4.50"), True), (3, "ดี", Decimal("2.50"), False),
                            (1, "ปรับปรุง", None, True)])
    assert [c.key for c in classes] == ["1", "3", "5"]
    assert classes[1].label == "ดี (มากกว่า 2.50)" and classes[2].label == "ดีเยี่ยม (4.50 ขึ้นไป)"
    assert len({c.colour for c in classes}) == 3


def test_tiles_link_titles_and_legend() -> None:
    classes = percent_classes()
    m = TileMap("แผนที่ทดสอบ", classes, {
        "ลำปาง": ProvinceValue(classes[4].key, "ร้อยละ 95.00", "/go/P52", "สพท. 3 เขต"),
        "ลำพูน": ProvinceValue(classes[0].key, "ร้อยละ 10.00", "/go/P51"),
        "เชียงใหม่": ProvinceValue("", "-", "", "ไม่มี สพท. ในขอบเขตนี้"),
    })
    svg = render_map(m)
    assert svg.count('class="tile"') == 77  # every province drawn, in scope or not
    links = re.findall(r'<a href="([^"]+)" class="tile" data-province="([^"]+)"', svg)
    assert sorted(links) == [("/go/P51", "ลำพูน"), ("/go/P52", "ลำปาง")]
    assert "<title>ลำปาง: ร้อยละ 95.00 · ร้อยละ 90 ขึ้นไป (สพท. 3 เขต)</title>" in svg
    assert "<title>เชียงใหม่: ไม่มีข้อมูล (ไม่มี สพท. ในขอบเขตนี้)</title>" in svg
    assert "<title>ภูเก็ต (นอกขอบเขต)</title>" in svg
    assert classes[4].colour in svg and 'role="group"' in svg
    entries = legend(m)
    assert [e.provinces for e in entries] == [1, 0, 0, 0, 1, 1]
    assert entries[-1].label == "ไม่มีข้อมูล"
