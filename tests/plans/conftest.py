"""The FY2565 plan of สพม.พิษณุโลก อุตรดิตถ์ (seed 003), loaded from the app's fixture."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def plan(db: None) -> Any:
    from tidtam.plans.loader import load_demo_plans

    return load_demo_plans()[0].plan
