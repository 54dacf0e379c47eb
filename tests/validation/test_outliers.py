"""A figure far from offices of the same type, or from the office's own past, is listed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tidtam.measures.models import Measure, Observation, Period
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.validation.outliers import outliers

pytestmark = pytest.mark.django_db


def _obs(org: OrgUnit, code: str, year: int, value: int, period: str = "12m") -> Observation:
    measure = Measure.objects.get(fiscal_year=year, code=code)
    return Observation.objects.create(org=org, measure=measure, period=Period.of(year, period),
                                      text=str(value), value_decimal=Decimal(value),
                                      source_kind="typed")


def test_a_value_far_from_its_peers_is_listed_with_the_figures(spm: OrgUnit) -> None:
    obec = OrgUnit.objects.get(code="OBEC")
    for i in range(10):
        peer = OrgUnit.objects.create(code=f"SPM-T{i}", name_th=f"สพม.ทดสอบ {i}",
                                      type=OrgType.SECONDARY_AREA, parent=obec)
        _obs(peer, "dropouts_found", 2566, 20 + i)
    _obs(spm, "dropouts_found", 2566, 5_000)
    (flagged,) = [o for o in outliers(spm, 2566) if o.kind == "peers"]
    assert flagged.observation.measure.code == "dropouts_found"
    assert Decimal(flagged.figures["z"]) > 3 and flagged.figures["peers"] == "11"
    assert "5,000" in flagged.message_th and "ส่วนเบี่ยงเบนมาตรฐาน" in flagged.message_th
    # A primary office's figure is not compared with secondary offices.
    primary = OrgUnit.objects.get(code="SPP-52-1")
    _obs(primary, "dropouts_found", 2566, 5_000)
    assert not [o for o in outliers(primary, 2566) if o.kind == "peers"]


def test_a_value_far_from_the_offices_own_history_is_listed(spm: OrgUnit) -> None:
    import yaml

    from tidtam.fixtures import LoadResult
    from tidtam.measures.loader import FIXTURES_DIR, load_measures

    data = yaml.safe_load((FIXTURES_DIR / "fy2566" / "measures.yaml").read_text("utf-8"))
    load_measures(dict(data, fiscal_year=2565), "test", LoadResult())
    _obs(spm, "learners_total", 2565, 42_753)
    _obs(spm, "learners_total", 2566, 41_965)
    assert not outliers(spm, 2566)
    Observation.objects.filter(org=spm, period__fiscal_year=2566).update(
        value_decimal=Decimal(427_530), text="427530")  # a zero too many
    (flagged,) = outliers(spm, 2566)
    assert flagged.kind == "history" and "2565: 42,753" in flagged.message_th
