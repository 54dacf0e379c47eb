"""The dashboard's inline charts: the bars and points are the chart's numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from tidtam.analytics.charts import Chart
from tidtam.analytics.svgchart import nice_top, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    # Inline SVG in HTML needs no namespace; parse it as a standalone document.
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_bar_heights_are_proportional_to_the_values() -> None:
    chart = Chart("จำนวนเขตตามระดับคุณภาพ", ["ดีเยี่ยม", "ดีมาก", "ดี", "พอใช้", "ปรับปรุง"],
                  [Decimal(120), Decimal(80), Decimal(30), Decimal(10), Decimal(0)])
    root = parse(render_svg(chart))
    bars = root.findall(f"{SVG}rect[@class='bar']")
    assert [b.get("data-value") for b in bars] == ["120", "80", "30", "10", "0"]
    heights = [float(b.get("height") or 0) for b in bars]
    # axis to 200 (the next of 1, 2, 2.5, 5 × 10ⁿ): 120/200 of the plot height and so on
    assert heights[0] / heights[1] == 1.5 and heights[4] == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ดีเยี่ยม" in texts and "120" in texts and "200" in texts
    assert root.find(f"{SVG}title").text == "จำนวนเขตตามระดับคุณภาพ"  # type: ignore[union-attr]


def test_horizontal_bars_one_row_per_label_with_decimals() -> None:
    labels = [f"สำนักงานศึกษาธิการภาค {n}" for n in range(1, 19)]
    values = [Decimal("3.50") + Decimal(n) / 100 for n in range(18)]
    root = parse(render_svg(Chart("ระดับเฉลี่ย", labels, values, kind="barh")))
    bars = root.findall(f"{SVG}rect[@class='bar']")
    assert len(bars) == 18 and bars[0].get("data-value") == "3.50"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert labels[17] in texts and "3.67" in texts
    assert int(root.get("viewBox", "").split()[3]) > 18 * 26  # tall enough for every row


def test_line_points_and_escaped_labels() -> None:
    chart = Chart("แนวโน้ม <ทดสอบ> & ปี", ["2565", "2566"], [Decimal("3.25"), Decimal("4")],
                  kind="line", x_label="ปีงบประมาณ", y_label="ระดับเฉลี่ย")
    markup = render_svg(chart)
    assert "&lt;ทดสอบ&gt; &amp;" in markup and "<ทดสอบ>" not in markup
    root = parse(markup)
    points = root.findall(f"{SVG}circle[@class='point']")
    assert [p.get("data-value") for p in points] == ["3.25", "4"]
    ys = [float(p.get("cy") or 0) for p in points]
    assert ys[1] < ys[0]  # the higher level is drawn higher


def test_nice_axis_ends() -> None:
    assert [nice_top(x) for x in (0, 0.7, 3.83, 5, 120, 245, 6570003)] == [
        1.0, 1.0, 5.0, 5.0, 200.0, 250.0, 10000000.0]


def test_counts_get_whole_ticks() -> None:
    root = parse(render_svg(Chart("จำนวน", ["ดีเยี่ยม", "ดีมาก"], [Decimal(1), Decimal(2)])))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "1", "2"]
    levels = parse(render_svg(Chart("ระดับ", ["ก", "ข"], [Decimal("3.50"), Decimal("4.25")])))
    assert [t.text for t in levels.iter(f"{SVG}text") if t.get("text-anchor") == "end"] == [
        "0", "1", "2", "3", "4", "5"]


def test_long_labels_go_above_their_bars_not_off_the_left_edge() -> None:
    labels = ["ผู้เรียนทั้งหมดในสังกัด", "ผู้เรียนที่ได้รับการส่งเสริม สนับสนุนให้มีความรู้ความเข้าใจ"]
    root = parse(render_svg(Chart("ผลสัมฤทธิ์", labels, [Decimal(6845105), Decimal(6095756)],
                                  kind="barh")))
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    bars = root.findall(f"{SVG}rect[@class='bar']")
    for label, bar in zip(labels, bars, strict=True):
        text = texts[label]
        # starts at the left edge, above its bar: nothing of it outside the picture
        assert text.get("text-anchor") == "start" and float(text.get("x") or -1) == 0
        assert float(text.get("y") or 0) < float(bar.get("y") or 0)
    assert "6,845,105" in texts
    # short labels (the dashboard's regions) stay beside their bars
    short = parse(render_svg(Chart("x", ["ศธภ.1", "ศธภ.2"], [Decimal(1), Decimal(2)], kind="barh")))
    assert {t.get("text-anchor") for t in short.iter(f"{SVG}text") if t.text == "ศธภ.1"} == {"end"}


def test_bar_chart_names_its_value_axis_and_the_font_can_be_chosen() -> None:
    chart = Chart("จำนวน สพท.", ["ดีเยี่ยม (5)"], [Decimal(71)], y_label="จำนวน (เขต)")
    markup = render_svg(chart, font_family="Tidtam Sarabun, sans-serif")
    root = parse(markup)
    assert "จำนวน (เขต)" in [t.text for t in root.iter(f"{SVG}text")]
    assert root.get("font-family") == "Tidtam Sarabun, sans-serif"
