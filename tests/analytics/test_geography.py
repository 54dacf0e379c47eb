"""Regions and provinces in their natural order, the tile grid, and which office counts where."""

from __future__ import annotations

from typing import Any

from tidtam.analytics.aggregate import seats
from tidtam.analytics.geography import (
    chain,
    home_scope,
    in_order,
    in_scope,
    natural_key,
    placements,
    regions,
    tile_of,
    tiles,
)
from tidtam.analytics.synthesis import nation
from tidtam.orgs.models import AREA_OFFICE_TYPES, OrgType, OrgUnit


def test_natural_key_reads_numbers_as_numbers() -> None:
    names = ["ศธภ.10", "ศธภ.2", "ศธภ.1", "ศธภ.18", "สพป.ลำปาง เขต 10", "สพป.ลำปาง เขต 2"]
    assert sorted(names, key=natural_key) == [
        "ศธภ.1", "ศธภ.2", "ศธภ.10", "ศธภ.18", "สพป.ลำปาง เขต 2", "สพป.ลำปาง เขต 10"]


def test_regions_in_the_order_of_their_number(db: None) -> None:
    assert [r.display_name for r in regions()] == [f"ศธภ.{n}" for n in range(1, 19)]


def test_every_province_has_one_tile_of_its_own(db: None) -> None:
    grid = tiles()
    assert len(grid) == 77
    assert len({(t.col, t.row) for t in grid}) == 77
    assert len({t.tis for t in grid}) == 77 and len({t.abbr_th for t in grid}) == 77
    provinces = list(OrgUnit.objects.filter(type=OrgType.PROVINCE))
    assert len(provinces) == 77
    assert all(tile_of(p) is not None for p in provinces)
    # Roughly where they are: Chiang Rai at the top, Narathiwat at the bottom,
    # Ubon east of Kanchanaburi, Bangkok beside Nonthaburi.
    by_name = {t.name_th: t for t in grid}
    assert by_name["เชียงราย"].row == 0
    assert by_name["นราธิวาส"].row == max(t.row for t in grid)
    assert by_name["อุบลราชธานี"].col > by_name["กาญจนบุรี"].col
    bkk, non = by_name["กรุงเทพมหานคร"], by_name["นนทบุรี"]
    assert abs(bkk.col - non.col) + abs(bkk.row - non.row) == 1


def test_provinces_ordered_by_their_tis_code(db: None) -> None:
    region = OrgUnit.objects.get(code="REO15")
    provinces = in_order(OrgUnit.objects.filter(parent=region, type=OrgType.PROVINCE))
    assert [p.display_name for p in provinces] == ["เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"]


def test_an_office_counts_in_its_seat_province_and_region_only(country: Any) -> None:
    offices = list(OrgUnit.objects.filter(type__in=AREA_OFFICE_TYPES))
    placed = placements(seats(offices))
    spm = OrgUnit.objects.get(code="SPM-52-51")  # serves ลำปาง and ลำพูน, sits in ลำปาง
    lampang, lamphun = OrgUnit.objects.get(code="P52"), OrgUnit.objects.get(code="P51")
    region, root = OrgUnit.objects.get(code="REO15"), nation()
    assert in_scope(lampang, spm, placed) and not in_scope(lamphun, spm, placed)
    assert in_scope(region, spm, placed) and in_scope(root, spm, placed)
    assert not in_scope(OrgUnit.objects.get(code="REO14"), spm, placed)
    # Each office is in exactly one region and one province.
    for o in offices:
        assert sum(in_scope(r, o, placed) for r in regions()) == 1
    assert [u.code for u in chain(spm, root, placed)] == [root.code, "REO15", "P52", "SPM-52-51"]
    assert [u.code for u in chain(lampang, root, placed)] == [root.code, "REO15", "P52"]
    assert home_scope([spm], root, placed) == spm
    in_region = [o for o in offices if in_scope(region, o, placed)]
    assert home_scope(in_region, root, placed) == region
    assert home_scope(offices, root, placed) == root
