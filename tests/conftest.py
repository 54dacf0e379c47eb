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
from django.contrib.auth import get_user_model

IN_CI = os.environ.get("TIDTAM_CI") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"TIDTAM_CI=1: skipped tests fail the run ({report.longrepr})"


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction"))


def pytest_configure(config: pytest.Config) -> None:
    # Every page any test renders is read for CE years and Python reprs
    # (tests/pagescan.py); the live server of the browser tests included.
    from django.conf import settings

    # Outermost, so it reads the page as it leaves (after the error-page middleware).
    settings.MIDDLEWARE = ["tests.pagescan.PageScan", *settings.MIDDLEWARE]
    config.addinivalue_line("markers", "unscanned: a test that shows a page on purpose "
                                       "(Django's technical page) the page scan would flag")


@pytest.fixture(autouse=True)
def _pages_show_no_ce_year_or_repr(request: pytest.FixtureRequest) -> Iterator[None]:
    from tests import pagescan

    pagescan.take()
    yield
    found = pagescan.take()
    if request.node.get_closest_marker("unscanned") is None:
        assert not found, "pages rendered by this test show:\n" + "\n".join(found[:20])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests use a live server, and the migration tests run outside a
    # transaction: their teardown empties the tables the session fixture
    # filled, so they run last (and load what they need themselves).
    items.sort(key=lambda i: i.get_closest_marker("browser") is not None or _transactional(i))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    from tidtam.demo.loader import load_demo
    from tidtam.frameworks.loader import load_all
    from tidtam.incidents.loader import load_threats
    from tidtam.validation.loader import load_all_rules

    with django_db_blocker.unblock():
        load_all()
        load_all_rules()
        load_threats()
        load_demo()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files of a test go to a temporary directory, never the project's data/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker run inside a test (``tidtam.jobs.worker.run``) must not close the connection.

    Between tasks the library's worker calls ``close_old_connections``, which
    closes a connection whose autocommit differs from its setting: inside a
    test's transaction, on PostgreSQL, that is the test's own connection.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login`` skips the password; it skips the second factor too.

    Approvers and administrators must give a TOTP code in every browser
    session (tidtam/accounts/middleware.py). Tests that are not about signing
    in mark the session verified, as the verification page would; the tests
    of signing in itself (tests/accounts/, tests/browser/) go through the
    real pages and codes.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tidtam.accounts import twofactor

        if twofactor.required(user) or twofactor.enrolled(user):
            device = twofactor.app_device(user) or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def spm(db: None) -> Any:
    """สพม.ลำปาง ลำพูน, the office of seed 004."""
    from tidtam.orgs.models import OrgUnit

    return OrgUnit.objects.get(code="SPM-52-51")


# --- users with roles, and QP submissions of two offices ----------------------
def make_user(username: str, role: str, org_code: str) -> Any:
    from tidtam.accounts.models import RoleAssignment
    from tidtam.orgs.models import OrgUnit

    user = get_user_model().objects.create_user(username, password="a-long-test-password")
    RoleAssignment.objects.create(user=user, role=role, org=OrgUnit.objects.get(code=org_code))
    return user


def framework_of_another_year(code: str, year: int) -> Any:
    """A copy of a FY2566 framework's header (no nodes) for another fiscal year."""
    from tidtam.frameworks.models import Framework

    fw = Framework.objects.get(code=code, fiscal_year=2566)
    return Framework.objects.create(code=code, fiscal_year=year, name_th=fw.name_th,
                                    abbr=fw.abbr, layout=fw.layout, rounds=fw.rounds,
                                    overall=fw.overall, band_table=fw.band_table)


@pytest.fixture
def reporter(db: None) -> Any:
    return make_user("rep-a", "reporter", "SPM-52-51")


@pytest.fixture
def other_reporter(db: None) -> Any:
    return make_user("rep-b", "reporter", "SPP-52-1")


@pytest.fixture
def evaluator(db: None) -> Any:
    return make_user("eva", "evaluator", "OBEC")


@pytest.fixture
def approver(db: None) -> Any:
    return make_user("app", "approver", "OBEC")


@pytest.fixture
def submission(db: None) -> Any:
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPM-52-51"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )


@pytest.fixture
def other_submission(db: None) -> Any:
    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPP-52-1"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )


def pytest_report_header() -> str:
    from django.conf import settings

    return f"tidtam database: {settings.DATABASES['default']['ENGINE']}"
