"""Shared fixtures, and the CI rule that a skipped test is a failed test.

The FY2566 frameworks and the demo data are loaded once per test session
through the same loaders ``tidtam init --demo`` uses; each test then runs in
a transaction that is rolled back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

IN_CI = os.environ.get("TIDTAM_CI") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"TIDTAM_CI=1: skipped tests fail the run ({report.longrepr})"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests use a live server, whose transactional teardown empties the
    # tables the session fixture filled: run them last.
    items.sort(key=lambda i: i.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    from tidtam.demo.loader import load_demo
    from tidtam.frameworks.loader import load_all

    from tidtam.validation.loader import load_all_rules

    with django_db_blocker.unblock():
        load_all()
        load_all_rules()
        load_demo()


@pytest.fixture
def spm(db: None) -> Any:
    """สพม.ลำปาง ลำพูน, the office of seed 004."""
    from tidtam.orgs.models import OrgUnit

    return OrgUnit.objects.get(code="SPM-52-51")


def pytest_report_header() -> str:
    from django.conf import settings

    return f"tidtam database: {settings.DATABASES['default']['ENGINE']}"
