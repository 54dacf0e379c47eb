"""The benchmark floor (one hand-written query) computes exactly the figures of aggregate()."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from analytics_common import (  # type: ignore[import-not-found]
    check_agree,
    floor_figures,
    floor_query,
)

from tidtam.analytics.aggregate import aggregate
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgUnit


def _floor(scope: OrgUnit, fw: Framework, rnd: str, office_type: str | None) -> dict[str, Any]:
    sql, params = floor_query(scope.path, fw.pk, rnd, office_type)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    return floor_figures(rows, list(fw.band_table.bands.all()))  # type: ignore[no-any-return]


@pytest.fixture
def country(db: None) -> Any:
    from tidtam.analytics.national import SCALES, build_country

    return build_country(SCALES["small"], seed=7)


def test_floor_agrees_with_aggregate_on_every_scope(country: Any) -> None:
    compared = 0
    for code, year, rnd, office_type in (("MOE", 2566, "12m", None), ("MOE", 2565, "6m", None),
                                         ("REO15", 2566, "12m", None), ("P34", 2565, "12m", None),
                                         ("MOE", 2566, "12m", "primary_area"),
                                         ("OBEC", 2566, "6m", "secondary_area")):
        fw = Framework.objects.get(code="qp", fiscal_year=year)
        scope = OrgUnit.objects.get(code=code)
        compared += check_agree(aggregate(scope, fw, rnd, office_type),
                                _floor(scope, fw, rnd, office_type))
    assert compared > 300


def test_the_check_catches_a_figure_that_differs(country: Any) -> None:
    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    root = OrgUnit.objects.get(code="MOE")
    floor = _floor(root, fw, "12m", None)
    code = next(iter(floor["1"]["sums"]))
    total, n = floor["1"]["sums"][code]
    floor["1"]["sums"][code] = (total + 1, n)
    with pytest.raises(AssertionError):
        check_agree(aggregate(root, fw, "12m"), floor)
    # The floor of another round, or without the type filter, is not the same either.
    with pytest.raises(AssertionError):
        check_agree(aggregate(root, fw, "12m", "primary_area"), _floor(root, fw, "12m", None))
    with pytest.raises(AssertionError):
        check_agree(aggregate(root, fw, "12m"), _floor(root, fw, "6m", None))
