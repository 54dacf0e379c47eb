"""Load the shipped validation rules once, on top of the session's frameworks and demo data.

The root conftest loads what ``tidtam init --demo`` loads; the rules are
loaded here so these tests don't depend on ``init`` calling ``load_all_rules``.
Loading is idempotent, so it is harmless if the root fixture does it too.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def _validation_rules(django_db_setup: None, django_db_blocker: Any) -> None:
    from tidtam.validation.loader import load_all_rules

    with django_db_blocker.unblock():
        load_all_rules()


@pytest.fixture
def qp(db: None) -> Any:
    """The FY2566 Quick Policy framework, whose data elements the shipped rules read."""
    from tidtam.frameworks.models import Framework

    return Framework.objects.get(code="qp", fiscal_year=2566)


@pytest.fixture
def qp_rules(qp: Any) -> list[Any]:
    from tidtam.validation.engine import active_rules

    return active_rules(qp)
