"""The FY2566 inspection framework, loaded once per test (the loader is idempotent)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def framework(db: None) -> Any:
    from tidtam.frameworks.loader import load_all
    from tidtam.inspection.models import InspectionFramework

    load_all()
    return InspectionFramework.objects.get(code="rt", fiscal_year=2566)
