"""tests/seed004.py against the seed itself, so a typo there cannot hide a bug."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests import seed004

SHARED = Path(os.environ.get("TIDTAM_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEED = SHARED / "seeds" / "004_b01cd5fc1c015fe2.txt"


@pytest.fixture
def lines() -> list[str]:
    if not SEED.is_file():
        pytest.skip(f"seed 004 not found at {SEED} (set TIDTAM_SHARED)")
    return SEED.read_text(encoding="utf-8").splitlines()


def test_qp_levels_and_averages_are_the_seeds(lines: list[str]) -> None:
    table = "\n".join(lines[68:130])  # L69–130: the QP table
    found = re.findall(r"(?<!\S)([1-5]) ([1-5]) (\d\.\d\d)\s", table)
    expected = [(str(r6), str(r12), avg) for r6, r12, avg, _ in seed004.QP.values() if avg]
    assert found == expected
    assert "- - - -" in table  # 6a, not applicable
    assert re.search(r"12 \S+ 3\.83", lines[129])


def test_ap_and_esa_overalls_are_the_seeds(lines: list[str]) -> None:
    assert re.search(r"5 \S+ 4\.80", lines[174])
    for line in (188, 194, 201, 206):  # AP 2, 3, 4, 11: ร้อยละ 80 → ร้อยละ 100 บรรลุ
        assert re.search(r" 80 \S+ 100 \u0e1a\u0e23\u0e23\u0e25\u0e38\s*$", lines[line])
    assert re.search(r"\(3 \S+\) 5 ", lines[333])
    assert re.search(r" 2 \S+", lines[306])  # 3.4.2 dropout consideration = 2
