"""A small generated country (the national generator at a test scale)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def country(db: None) -> Any:
    from tidtam.analytics.national import SCALES, build_country

    return build_country(SCALES["small"], seed=7)
