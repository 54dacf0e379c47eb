"""The band table: the default reproduces seed 004, and is monotone and total."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.frameworks.models import Band, classify

# Built in memory from the same numbers as bands.yaml; the DB-loaded table is
# checked against these pairs in test_loaded_table_matches_seed.
BANDS = [
    Band(level=5, label_th="ดีเยี่ยม", min_value=Decimal("4.50"), min_inclusive=True, position=0),
    Band(level=4, label_th="ดีมาก", min_value=Decimal("3.50"), min_inclusive=True, position=1),
    Band(level=3, label_th="ดี", min_value=Decimal("2.50"), min_inclusive=False, position=2),
    Band(level=2, label_th="พอใช้", min_value=Decimal("1.50"), min_inclusive=False, position=3),
    Band(level=1, label_th="ปรับปรุง", min_value=None, position=4),
]

SEED_004_PAIRS = [
    ("5.00", "ดีเยี่ยม"), ("4.80", "ดีเยี่ยม"), ("4.50", "ดีเยี่ยม"),
    ("4.00", "ดีมาก"), ("3.83", "ดีมาก"), ("3.50", "ดีมาก"), ("2.50", "พอใช้"),
]


@pytest.mark.parametrize(("average", "label"), SEED_004_PAIRS)
def test_default_bands_reproduce_every_pair_of_seed_004(average: str, label: str) -> None:
    assert classify(BANDS, Decimal(average)).label_th == label


@pytest.mark.django_db
@pytest.mark.parametrize(("average", "label"), SEED_004_PAIRS)
def test_loaded_table_matches_seed(average: str, label: str) -> None:
    from tidtam.frameworks.models import BandTable

    assert BandTable.objects.get(code="obec-5-level").classify(Decimal(average)).label_th == label


def test_edges_are_as_the_table_says() -> None:
    assert classify(BANDS, Decimal("1.50")).label_th == "ปรับปรุง"
    assert classify(BANDS, Decimal("1.51")).label_th == "พอใช้"
    assert classify(BANDS, Decimal("2.51")).label_th == "ดี"
    assert classify(BANDS, Decimal("3.49")).label_th == "ดี"
    assert classify(BANDS, Decimal("1.00")).label_th == "ปรับปรุง"


def test_label_is_judged_on_the_printed_average() -> None:
    # 3.495 prints as "3.50" (half-up), so its label must be the one 3.50 gets.
    assert classify(BANDS, Decimal("3.495")).label_th == "ดีมาก"
    assert classify(BANDS, Decimal("3.4949")).label_th == "ดี"


averages = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5.00"), places=4)


@given(averages)
def test_total_every_average_gets_one_level(value: Decimal) -> None:
    band = classify(BANDS, value)
    assert band.level in {1, 2, 3, 4, 5}


@given(averages, averages)
def test_monotone(a: Decimal, b: Decimal) -> None:
    lo, hi = sorted([a, b])
    assert classify(BANDS, lo).level <= classify(BANDS, hi).level


@given(st.integers(min_value=1, max_value=5))
def test_an_integer_level_keeps_its_own_label(level: int) -> None:
    assert classify(BANDS, Decimal(level)).level == level
