"""Roles reach the subtree of the unit they are held on, and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from tidtam.accounts.models import ApiToken, Role, RoleAssignment
from tidtam.accounts.permissions import can_rate, can_read, can_report, org_filter
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def _user(role: str, org: str):  # type: ignore[no-untyped-def]
    u = get_user_model().objects.create_user(f"u-{role}-{org}", password="x-long-password-1")
    RoleAssignment.objects.create(user=u, role=role, org=OrgUnit.objects.get(code=org))
    return u


def test_reporter_reaches_own_subtree_only() -> None:
    u = _user(Role.REPORTER, "SPM-52-51")
    assert can_report(u, OrgUnit.objects.get(code="SPM-52-51"))
    assert can_report(u, OrgUnit.objects.get(code="SCH-1"))  # a school below it
    assert not can_report(u, OrgUnit.objects.get(code="SPP-52-1"))
    assert not can_report(u, OrgUnit.objects.get(code="OBEC"))
    assert not can_rate(u, OrgUnit.objects.get(code="SPM-52-51"))


def test_evaluator_at_obec_reads_and_rates_every_area_office() -> None:
    u = _user(Role.EVALUATOR, "OBEC")
    offices = OrgUnit.objects.area_offices()
    assert all(can_rate(u, o) and can_read(u, o) for o in offices)
    assert not can_report(u, offices.first())
    assert not can_read(u, OrgUnit.objects.get(code="REO15"))  # not under OBEC


def test_org_filter_matches_the_checks() -> None:
    u = _user(Role.VIEWER, "SPM-52-51")
    visible = set(OrgUnit.objects.filter(org_filter(u)).values_list("code", flat=True))
    assert "SPM-52-51" in visible and "SCH-1" in visible and "SPP-52-1" not in visible
    assert not OrgUnit.objects.filter(org_filter(AnonymousUser())).exists()


def test_inactive_user_has_no_rights() -> None:
    u = _user(Role.REPORTER, "SPM-52-51")
    u.is_active = False
    assert not can_read(u, OrgUnit.objects.get(code="SPM-52-51"))


def test_api_token_is_stored_hashed() -> None:
    u = _user(Role.VIEWER, "OBEC")
    token, key = ApiToken.issue(u, "ทดสอบ")
    assert key not in token.key_hash
    assert ApiToken.authenticate(key) == token
    assert ApiToken.authenticate(key + "x") is None
    token.revoked = True
    token.save()
    assert ApiToken.authenticate(key) is None
