"""Charts drawn as SVG markup for web pages, in well under a millisecond.

matplotlib takes 80–280 ms a chart, and the dashboard has many views (year ×
round × indicator × filters), so nearly every view is a first view for any
cache: under 50 users the dashboard waited on its pictures. The page draws
the same ``Chart`` here instead — text stays text (selectable, in the page's
Sarabun) — and matplotlib keeps the PNG/SVG downloads meant for documents.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from html import escape

from tidtam.analytics.charts import Chart
from tidtam.thai.numbers import fmt_decimal

WIDTH = 700
HEIGHT = 340
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 16, 56
BAR_COLOUR = "#0b5cad"
GRID_COLOUR = "#d8dee6"
TICKS = 5
LABEL_LETTERS = 26  # what fits beside a horizontal bar


def nice_top(largest: float) -> float:
    """The axis end: the smallest of 1, 2, 2.5, 5 × 10ⁿ at or above the largest value."""
    if largest <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(largest))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= largest:
            return m * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _num(v: Decimal) -> str:
    """As the downloaded charts label their bars: whole numbers bare, others to 2 places."""
    return fmt_decimal(v, 0 if v == v.to_integral_value() else 2, grouping=True)


def _whole(values: list[Decimal]) -> bool:
    return all(v == v.to_integral_value() for v in values)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}"{extra}>'
            f"{escape(text)}</text>")


def _y_axis(top: float, plot_h: float, whole: bool) -> list[str]:
    # Counts of offices get whole ticks (0, 1, 2), not 0.40, 0.80 …
    ticks = int(top) if whole and top < TICKS else TICKS
    parts = []
    for i in range(ticks + 1):
        value = top * i / ticks
        y = TOP + plot_h - plot_h * i / ticks
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(y)}" y2="{_f(y)}" '
                     f'stroke="{GRID_COLOUR}"/>')
        label = _num(Decimal(str(round(value, 2))).normalize())
        parts.append(_text(LEFT - 6, y + 4, label, "end"))
    return parts


def _bar(chart: Chart) -> tuple[list[str], int]:
    values = [float(v) for v in chart.values]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_top(max(values, default=0))
    parts = _y_axis(top, plot_h, _whole(chart.values))
    slot = plot_w / max(len(values), 1)
    for i, (label, value, shown) in enumerate(zip(chart.labels, values, chart.values,
                                                  strict=True)):
        h = plot_h * value / top
        x = LEFT + slot * i + slot * 0.2
        y = TOP + plot_h - h
        parts.append(f'<rect class="bar" x="{_f(x)}" y="{_f(y)}" width="{_f(slot * 0.6)}" '
                     f'height="{_f(h)}" fill="{BAR_COLOUR}" data-value="{shown}"/>')
        parts.append(_text(x + slot * 0.3, y - 4, _num(shown)))
        parts.append(_text(x + slot * 0.3, TOP + plot_h + 18, label))
    return parts + _axis_labels(chart, plot_w, plot_h), HEIGHT


def _axis_labels(chart: Chart, plot_w: float, plot_h: float) -> list[str]:
    """The x label under the plot, the y label turned along the left edge."""
    parts = []
    if chart.x_label:
        parts.append(_text(LEFT + plot_w / 2, HEIGHT - 8, chart.x_label))
    if chart.y_label:
        parts.append(_text(14, TOP + plot_h / 2, chart.y_label, "middle",
                           f' transform="rotate(-90 14 {_f(TOP + plot_h / 2)})"'))
    return parts


def _visible_length(text: str) -> int:
    """Letters that take room on the line: Thai vowels above/below and tone marks take none."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _barh(chart: Chart) -> tuple[list[str], int]:
    label_w = 210
    # Labels longer than the 210 units beside the bars (about 26 letters at
    # this size) go on a line of their own above each bar, at full width.
    above = max((_visible_length(label) for label in chart.labels), default=0) > LABEL_LETTERS
    row = 46 if above else 26
    bar_x = 0 if above else label_w
    values = [float(v) for v in chart.values]
    height = TOP + row * max(len(values), 1) + 24
    plot_w = WIDTH - bar_x - RIGHT - (90 if above else 40)  # room for the value after the bar
    top = nice_top(max(values, default=0))
    parts = []
    for i, (label, value, shown) in enumerate(zip(chart.labels, values, chart.values,
                                                  strict=True)):
        y = TOP + row * i
        w = plot_w * value / top
        if above:
            parts.append(_text(0, y + 14, label, "start"))
            y += 20
        else:
            parts.append(_text(label_w - 6, y + 18, label, "end"))
        parts.append(f'<rect class="bar" x="{bar_x}" y="{_f(y + 3)}" width="{_f(w)}" '
                     f'height="{26 - 6}" fill="{BAR_COLOUR}" data-value="{shown}"/>')
        parts.append(_text(bar_x + w + 4, y + 18, _num(shown), "start"))
    return parts, height


def _line(chart: Chart) -> tuple[list[str], int]:
    series = chart.series or {"": chart.values}
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_top(max((float(v) for vs in series.values() for v in vs), default=0))
    parts = _y_axis(top, plot_h, all(_whole(vs) for vs in series.values()))
    n = max(len(chart.labels), 1)
    step = plot_w / n
    xs = [LEFT + step * (i + 0.5) for i in range(n)]
    for x, label in zip(xs, chart.labels, strict=False):
        parts.append(_text(x, TOP + plot_h + 18, label))
    for name, values in series.items():
        points = [(x, TOP + plot_h - plot_h * float(v) / top)
                  for x, v in zip(xs, values, strict=False)]
        path = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR_COLOUR}" '
                     f'stroke-width="2"><title>{escape(name)}</title></polyline>')
        for (x, y), v in zip(points, values, strict=False):
            parts.append(f'<circle class="point" cx="{_f(x)}" cy="{_f(y)}" r="4" '
                         f'fill="{BAR_COLOUR}" data-value="{v}"/>')
            parts.append(_text(x, y - 8, _num(v)))
    return parts + _axis_labels(chart, plot_w, plot_h), HEIGHT


def render_svg(chart: Chart, font_family: str = "Sarabun, sans-serif") -> str:
    """The chart as inline SVG markup (for an HTML page; not a standalone file).

    ``font_family``: a PDF names its own faces here (an SVG's text does not
    inherit the page's font in WeasyPrint).
    """
    draw = {"barh": _barh, "line": _line}.get(chart.kind, _bar)
    parts, height = draw(chart)
    title = escape(chart.title)
    return (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" '
        f'class="webchart" font-family="{escape(font_family)}" font-size="15">'
        f"<title>{title}</title>{''.join(parts)}</svg>"
    )
