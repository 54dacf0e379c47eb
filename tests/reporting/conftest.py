"""Users with roles, and a fresh QP submission of สพม.ลำปาง ลำพูน."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tidtam.accounts.models import Role, RoleAssignment
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.models import Submission


def make_user(username: str, role: str, org_code: str) -> Any:
    user = get_user_model().objects.create_user(username, password="a-long-test-password")
    RoleAssignment.objects.create(user=user, role=role, org=OrgUnit.objects.get(code=org_code))
    return user


@pytest.fixture
def reporter(db: None) -> Any:
    return make_user("rep-a", Role.REPORTER, "SPM-52-51")


@pytest.fixture
def other_reporter(db: None) -> Any:
    return make_user("rep-b", Role.REPORTER, "SPP-52-1")


@pytest.fixture
def evaluator(db: None) -> Any:
    return make_user("eva", Role.EVALUATOR, "OBEC")


@pytest.fixture
def approver(db: None) -> Any:
    return make_user("app", Role.APPROVER, "OBEC")


@pytest.fixture
def submission(db: None) -> Submission:
    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPM-52-51"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )


@pytest.fixture
def other_submission(db: None) -> Submission:
    return Submission.objects.create(
        org=OrgUnit.objects.get(code="SPP-52-1"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m",
    )
