"""The matplotlib pictures (DOCX, downloads): value axes in the document's own numbers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tidtam.analytics import charts
from tidtam.analytics.charts import Chart

NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d{2})?")  # "6,000,000", "0.25"; never "1e6"


def _ticks(chart: Chart) -> tuple[list[str], str]:
    from matplotlib import pyplot as plt

    with plt.rc_context({"font.family": charts._font()}):
        fig, ax = plt.subplots()
    try:
        charts._draw(ax, chart)
        fig.canvas.draw()
        axis = ax.xaxis if chart.kind == "barh" else ax.yaxis
        return [t.get_text() for t in axis.get_ticklabels()], axis.get_offset_text().get_text()
    finally:
        plt.close(fig)


@pytest.mark.parametrize("kind", ["barh", "bar", "line"])
def test_millions_read_as_millions_not_1e6(kind: str) -> None:
    chart = Chart("ผลสัมฤทธิ์", ["ผู้เรียนทั้งหมด", "ได้รับการส่งเสริม"],
                  [Decimal(6845105), Decimal(6095756)], kind=kind)
    labels, offset = _ticks(chart)
    assert offset == ""  # no "1e6" under the axis
    assert labels and all(NUMBER.fullmatch(label) for label in labels), labels
    assert any("," in label for label in labels)


def test_counts_of_offices_get_whole_ticks() -> None:
    labels, _offset = _ticks(Chart("จำนวน สพท.", ["ดีเยี่ยม", "ดีมาก"], [Decimal(2), Decimal(3)]))
    assert labels and all("." not in label for label in labels), labels


def test_fractions_keep_two_places() -> None:
    labels, _offset = _ticks(Chart("สัดส่วน", ["ก", "ข"], [Decimal("0.25"), Decimal("0.5")]))
    assert labels and all(NUMBER.fullmatch(label) for label in labels), labels
    assert "0.10" in labels or "0.20" in labels, labels
