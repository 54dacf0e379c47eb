"""The seed documents (../shared/seeds), read as the tests need them.

CI has them; elsewhere a test that needs a missing seed is skipped with the
path it looked for (and under TIDTAM_CI=1 that skip fails the run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TIDTAM_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"

SEED_000 = "000_63dbd0405985a268.txt"
SEED_002 = "002_8f5a725fa0aac62a.txt"
SEED_004 = "004_b01cd5fc1c015fe2.txt"


def seed_path(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed file {path} is missing (set TIDTAM_SHARED to the shared directory)")
    return path


def seed_text(name: str) -> str:
    return seed_path(name).read_text(encoding="utf-8")


def seed_line(name: str, number: int) -> str:
    """Line ``number`` as an editor shows it (the first line is 1)."""
    return seed_text(name).split("\n")[number - 1]
