"""Charts for the synthesis and the dashboards: data first, pictures second.

A ``Chart`` is the numbers (labels and values); ``render`` draws it with
matplotlib as SVG or PNG. Documents keep the ``Chart`` next to the picture so
the numbers can be checked (and printed as a table under the chart) without
reading pixels.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import fontpkg_sarabun  # type: ignore[import-untyped]
import matplotlib

matplotlib.use("Agg")  # no display on servers and workers

from matplotlib import font_manager
from matplotlib import pyplot as plt

FORMATS = ("svg", "png")
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@dataclass
class Chart:
    title: str
    labels: list[str]
    values: list[Decimal]
    kind: str = "bar"  # bar | barh | line
    x_label: str = ""
    y_label: str = ""
    series: dict[str, list[Decimal]] = field(default_factory=dict)  # line charts: name → values

    def as_data(self) -> dict[str, Any]:
        d = asdict(self)
        d["values"] = [str(v) for v in self.values]
        d["series"] = {k: [str(v) for v in vs] for k, vs in self.series.items()}
        return d


@cache
def _font() -> str:
    """Register Sarabun with matplotlib once; Thai labels need a Thai face."""
    from pathlib import Path

    files = Path(fontpkg_sarabun.__file__).resolve().parent / "files"
    for name in ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf"):
        font_manager.fontManager.addfont(str(files / name))
    return "Sarabun"


def render(chart: Chart, fmt: str = "svg") -> bytes:
    """The chart as SVG or PNG; the same numbers are drawn once per process."""
    if fmt not in FORMATS:
        raise ValueError(f"ไม่รู้จักรูปแบบภาพ '{fmt}' (ใช้ได้: {', '.join(FORMATS)})")
    import json

    return _render(json.dumps(chart.as_data(), ensure_ascii=False, sort_keys=True), fmt)


@lru_cache(maxsize=512)
def _render(key: str, fmt: str) -> bytes:
    import json

    d = json.loads(key)
    chart = Chart(d["title"], d["labels"], [Decimal(v) for v in d["values"]], d["kind"],
                  d["x_label"], d["y_label"],
                  {k: [Decimal(v) for v in vs] for k, vs in d["series"].items()})
    family = _font()
    with plt.rc_context({"font.family": family, "font.size": 11, "svg.fonttype": "path",
                         "svg.hashsalt": "tidtam"}):
        fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
        try:
            _draw(ax, chart)
            ax.set_title(chart.title, fontsize=12)
            fig.tight_layout()
            out = io.BytesIO()
            # Fixed metadata: the same chart gives the same bytes (cacheable, diffable).
            meta = {"Date": None} if fmt == "svg" else {"Software": None}
            fig.savefig(out, format=fmt, metadata=meta)
            return out.getvalue()
        finally:
            plt.close(fig)


def _draw(ax: Any, chart: Chart) -> None:
    values = [float(v) for v in chart.values]
    if chart.kind == "line":
        for name, series in (chart.series or {"": chart.values}).items():
            ax.plot(chart.labels, [float(v) for v in series], marker="o", label=name or None)
        if chart.series:
            ax.legend()
    elif chart.kind == "barh":
        bars = ax.barh(chart.labels, values, color="#0b5cad")
        ax.invert_yaxis()
        ax.bar_label(bars, labels=[_num(v) for v in chart.values], padding=2)
    else:
        bars = ax.bar(chart.labels, values, color="#0b5cad")
        ax.bar_label(bars, labels=[_num(v) for v in chart.values], padding=2)
        ax.margins(y=0.15)
    # The value axis in the document's own numbers: "6,000,000", never an
    # offset or a scientific "1e6" under the axis; counts get whole ticks.
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis = ax.xaxis if chart.kind == "barh" else ax.yaxis
    shown = [*chart.values, *(v for vs in chart.series.values() for v in vs)]
    whole = all(v == v.to_integral_value() for v in shown)
    axis.set_major_locator(MaxNLocator(nbins=4 if chart.kind == "barh" else 5, integer=whole,
                                       steps=[1, 2, 2.5, 5, 10]))
    if chart.kind == "barh":
        ax.margins(x=0.18)  # room for the value printed after the longest bar
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: _tick(x)))
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)
    ax.spines[["top", "right"]].set_visible(False)


def _tick(x: float) -> str:
    """An axis tick (a position on the page, not a figure: float is fine here)."""
    value = Decimal(str(round(x, 2)))
    return _num(value.quantize(Decimal(1)) if value == value.to_integral_value() else value)


def _num(v: Decimal) -> str:
    from tidtam.thai.numbers import fmt_decimal

    return fmt_decimal(v, 0 if v == v.to_integral_value() else 2, grouping=True)
