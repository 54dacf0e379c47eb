"""Where things are: the natural order of regions and provinces, scopes, and the tile map.

Order
    Regional education offices in the order of their number (ศธภ.1, 2, … 18,
    not the text order 1, 10, 11, … 2): names and codes are compared with
    their runs of digits as numbers. Provinces in the order of their TIS 1099
    code (the Ministry of Interior's, e.g. 10 กรุงเทพมหานคร … 96 นราธิวาส),
    read from the tile file by the province's name; a province the file does
    not know comes after them, in natural order of its name.

Scopes
    A dashboard looks at the nation, one regional office, one province or one
    area office. An office belongs to the region and the province of its
    *seat* (``aggregate.seat_province``), so an office is in exactly one row
    of every by-region and by-province table, and the page of a province
    shows exactly the offices its row counted.

Tiles
    ``fixtures/province_tiles.csv`` places each of the 77 provinces on a grid
    of squares (column from the west, row from the north) roughly where it
    lies, keeping neighbours next to each other: every province gets the same
    area, so Bangkok's neighbours stay visible beside Chiang Mai. The
    positions were laid out for tidtam from the provinces' relative
    positions; the abbreviations are the official two-letter ones.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tidtam.orgs.models import OrgType, OrgUnit

TILES_FILE = Path(__file__).resolve().parent / "fixtures" / "province_tiles.csv"
PROVINCE_PREFIX = "จังหวัด"
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """"ศธภ.10" after "ศธภ.2": digit runs compare as numbers, the rest as text."""
    return tuple((1, int(part)) if part.isdigit() else (0, part)
                 for part in _DIGITS.split(text) if part)


@dataclass(frozen=True)
class Tile:
    tis: int  # TIS 1099 province code
    name_th: str
    abbr_th: str
    col: int  # 0 = westmost
    row: int  # 0 = northmost


@cache
def tiles() -> tuple[Tile, ...]:
    with TILES_FILE.open(encoding="utf-8", newline="") as f:
        return tuple(Tile(int(r["tis"]), r["name_th"], r["abbr_th"], int(r["col"]), int(r["row"]))
                     for r in csv.DictReader(f))


def province_name(unit: OrgUnit) -> str:
    """A province unit's bare name ("จังหวัดลำปาง" → "ลำปาง"), as the tile file names it."""
    return unit.name_th.removeprefix(PROVINCE_PREFIX).strip()


def tile_of(unit: OrgUnit) -> Tile | None:
    by_name = {t.name_th: t for t in tiles()}
    return by_name.get(province_name(unit)) or by_name.get(unit.display_name)


def unit_key(unit: OrgUnit) -> tuple[object, ...]:
    """Sort key: provinces by TIS code, everything else by its name read naturally."""
    if unit.type == OrgType.PROVINCE:
        tile = tile_of(unit)
        if tile is not None:
            return (0, tile.tis)
    return (1, natural_key(unit.display_name), natural_key(unit.code))


def in_order(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    return sorted(units, key=unit_key)


def regions() -> list[OrgUnit]:
    return in_order(OrgUnit.objects.filter(type=OrgType.REGIONAL_OFFICE))


# --- scopes -------------------------------------------------------------------
SCOPE_TYPES = (OrgType.MINISTRY, OrgType.REGIONAL_OFFICE, OrgType.PROVINCE)


@dataclass
class Placement:
    """Where one office sits: its seat province and that province's region (either may be None)."""

    province: OrgUnit | None
    region: OrgUnit | None


def placements(seat: dict[int, OrgUnit]) -> dict[int, Placement]:
    """office id → its seat province and region, from ``aggregate.seats`` (one query)."""
    parents = OrgUnit.objects.in_bulk({p.parent_id for p in seat.values() if p.parent_id})
    out = {}
    for office_id, province in seat.items():
        parent = parents.get(province.parent_id) if province.parent_id else None
        region = parent if parent is not None and parent.type == OrgType.REGIONAL_OFFICE else None
        out[office_id] = Placement(province, region)
    return out


def in_scope(scope: OrgUnit, office: OrgUnit, placed: dict[int, Placement]) -> bool:
    """Whether an office counts in a scope (by its seat; the nation holds every office)."""
    if scope.type == OrgType.MINISTRY:
        return True
    if scope.type in (OrgType.PRIMARY_AREA, OrgType.SECONDARY_AREA):
        return office.pk == scope.pk
    p = placed.get(office.pk)
    if p is None:
        return False
    if scope.type == OrgType.REGIONAL_OFFICE:
        return p.region is not None and p.region.pk == scope.pk
    return p.province is not None and p.province.pk == scope.pk


def chain(scope: OrgUnit, nation: OrgUnit, placed: dict[int, Placement]) -> list[OrgUnit]:
    """The breadcrumb from the nation down to ``scope``: nation, region, province, office."""
    if scope.type == OrgType.MINISTRY:
        return [scope]
    if scope.type == OrgType.REGIONAL_OFFICE:
        return [nation, scope]
    if scope.type == OrgType.PROVINCE:
        region = scope.parent if scope.parent and scope.parent.type == OrgType.REGIONAL_OFFICE \
            else None
        return [nation, *([region] if region else []), scope]
    p = placed.get(scope.pk)
    above = [u for u in ((p.region, p.province) if p else ()) if u is not None]
    return [nation, *above, scope]


def home_scope(offices: Sequence[OrgUnit], nation: OrgUnit,
               placed: dict[int, Placement]) -> OrgUnit:
    """The narrowest scope holding all of ``offices``: where a user's dashboard opens."""
    if len(offices) == 1:
        return offices[0]
    spots = [placed.get(o.pk) for o in offices]
    for level in ("province", "region"):
        units = [getattr(p, level) if p else None for p in spots]
        first = units[0] if units else None
        if first is not None and all(u is not None and u.pk == first.pk for u in units):
            return first
    return nation
