"""A map of Thailand's 77 provinces as inline SVG: one square tile per province.

Each tile is coloured by the class its figure falls in (the framework's bands
for a level, the classes of ``fixtures/map.yaml`` for a percentage), carries
the province's abbreviation, a ``<title>`` with its name and figure (what a
screen reader and a mouse pointer get), and links to that province's page
when there is one. Provinces outside the scope are drawn pale and unlinked,
so the region stays in its place in the country. The legend (``legend``,
printed as HTML beside the map so it stays readable on a phone) lists every
class with how many provinces of the scope are in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import yaml

from tidtam.analytics.geography import Tile, tiles

MAP_FILE = Path(__file__).resolve().parent / "fixtures" / "map.yaml"
TILE = 44
GAP = 3
MARGIN = 4


@cache
def map_style() -> dict[str, Any]:
    return yaml.safe_load(MAP_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MapClass:
    key: str  # what a ``ProvinceValue`` names its class by
    label: str
    colour: str
    ink: str  # text colour readable on ``colour``
    low: Decimal | None = None  # percentage classes: values ≥ low (below the next class's)


@dataclass
class ProvinceValue:
    klass: str  # a ``MapClass.key``; "" when there is no figure (no office, nothing reported)
    text: str  # the figure as printed, e.g. "3.85" or "92.10 %"
    href: str = ""  # "" when the province has no page to open
    note: str = ""  # e.g. "สพท. 3 เขต"


@dataclass
class TileMap:
    title: str
    classes: list[MapClass]  # from the lowest
    values: dict[str, ProvinceValue] = field(default_factory=dict)  # province name → value


def _colours(n: int) -> list[tuple[str, str]]:
    """n colours spread over the palette, lightest first, each with its ink."""
    style = map_style()
    palette, inks = style["palette"], style["ink"]
    picks = [round(i * (len(palette) - 1) / max(n - 1, 1)) for i in range(n)]
    return [(palette[i], inks[i]) for i in picks]


def percent_classes() -> list[MapClass]:
    bounds = [Decimal(str(b)) for b in map_style()["percent_classes"]]
    out = []
    for i, (low, (colour, ink)) in enumerate(zip(bounds, _colours(len(bounds)), strict=True)):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        label = (f"ร้อยละ {low} ขึ้นไป" if high is None
                 else f"ต่ำกว่าร้อยละ {high}" if i == 0 else f"ร้อยละ {low} – ต่ำกว่า {high}")
        out.append(MapClass(str(i), label, colour, ink, low))
    return out


def percent_class(classes: Sequence[MapClass], value: Decimal) -> str:
    chosen = classes[0]
    for c in classes:
        if c.low is not None and value >= c.low:
            chosen = c
    return chosen.key


def band_classes(bands: Sequence[tuple[int, str, Decimal | None, bool]]) -> list[MapClass]:
    """Classes for an average level: the framework's bands (level, label, min, inclusive)."""
    ordered = sorted(bands, key=lambda b: b[0])
    out = []
    for (level, label, low, inclusive), (colour, ink) in zip(ordered, _colours(len(ordered)),
                                                              strict=True):
        rule = "" if low is None else f" ({low} ขึ้นไป)" if inclusive else f" (มากกว่า {low})"
        out.append(MapClass(str(level), f"{label}{rule}", colour, ink))
    return out


def render_map(m: TileMap) -> str:
    """The map as one inline ``<svg>`` (its legend: ``legend``)."""
    style = map_style()
    grid = tiles()
    cols = max(t.col for t in grid) + 1
    rows = max(t.row for t in grid) + 1
    width = MARGIN * 2 + cols * (TILE + GAP)
    height = MARGIN * 2 + rows * (TILE + GAP)
    parts = [_tile(t, m, style) for t in grid]
    title = escape(m.title)
    return (
        f'<svg viewBox="0 0 {width} {height}" class="tilemap" role="group" '
        f'aria-label="{title}" font-family="Sarabun, sans-serif" font-size="14">'
        f"<title>{title}</title>{''.join(parts)}</svg>"
    )


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    provinces: int


def legend(m: TileMap) -> list[LegendEntry]:
    """Every class from the highest, then "no figure", each with its number of provinces."""
    style = map_style()
    counts = {c.key: 0 for c in m.classes}
    known = set(counts)
    no_data = 0
    for pv in m.values.values():
        if pv.klass in known:
            counts[pv.klass] += 1
        else:
            no_data += 1
    out = [LegendEntry(c.label, c.colour, counts[c.key]) for c in reversed(m.classes)]
    out.append(LegendEntry(style["no_data_label"], style["no_data"], no_data))
    return out


def _tile(t: Tile, m: TileMap, style: dict[str, Any]) -> str:
    x = MARGIN + t.col * (TILE + GAP)
    y = MARGIN + t.row * (TILE + GAP)
    pv = m.values.get(t.name_th)
    by_key = {c.key: c for c in m.classes}
    if pv is None:  # outside the scope
        fill, ink, label = style["outside"], style["outside_ink"], f"{t.name_th} (นอกขอบเขต)"
    elif pv.klass not in by_key:
        fill, ink = style["no_data"], style["no_data_ink"]
        label = f"{t.name_th}: {style['no_data_label']}" + (f" ({pv.note})" if pv.note else "")
    else:
        c = by_key[pv.klass]
        fill, ink = c.colour, c.ink
        label = f"{t.name_th}: {pv.text} · {c.label}" + (f" ({pv.note})" if pv.note else "")
    body = (
        f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}" '
        f'stroke="#ffffff" stroke-width="1"/>'
        f'<text x="{x + TILE / 2:g}" y="{y + TILE / 2 + 5:g}" text-anchor="middle" '
        f'fill="{ink}">{escape(t.abbr_th)}</text>'
    )
    inner = f"<title>{escape(label)}</title>{body}"
    if pv is not None and pv.href:
        return (f'<a href="{escape(pv.href)}" class="tile" data-province="{escape(t.name_th)}" '
                f'aria-label="{escape(label)}">{inner}</a>')
    return f'<g class="tile" data-province="{escape(t.name_th)}">{inner}</g>'
