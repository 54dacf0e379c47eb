"""The FY2566 inspection framework, loaded once per test (the loader is idempotent)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def framework(db: None) -> Any:
    from tidtam.inspection.loader import load_inspection_frameworks
    from tidtam.inspection.models import InspectionFramework

    load_inspection_frameworks()
    return InspectionFramework.objects.get(code="rt", year=2566)
