"""People are shown by name, not username: the ``person`` filter and its uses."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client

from tidtam.accounts.people import person_name
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.demo.loader import FIXTURES, load_users

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_name_then_username_then_a_dash() -> None:
    named = User(username="somsri", first_name="สมศรี", last_name="ใจดี")
    assert person_name(named) == "สมศรี ใจดี"
    assert person_name(User(username="root")) == "root"
    assert person_name(None) == "-" and person_name(AnonymousUser(), "") == ""


def test_the_filter_needs_no_load() -> None:
    named = User(username="somsri", first_name="สมศรี", last_name="ใจดี")
    out = Template("{{ u|person }}|{{ nobody|person }}").render(Context({"u": named}))
    assert out == "สมศรี ใจดี|-"


def test_the_audit_page_names_people(client: Client, reporter: Any, submission: Any) -> None:
    reporter.first_name, reporter.last_name = "สมศรี", "ใจดี"
    reporter.save()
    record(reporter, Action.NARRATIVE, submission, target="ตัวชี้วัด 1")
    client.force_login(reporter)
    body = client.get(f"/submissions/{submission.pk}/audit/").content.decode()
    table = body[body.index("<tbody>") if "<tbody>" in body else body.index("<table"):]
    assert "สมศรี ใจดี" in table and "rep-a" not in table


def test_demo_users_have_thai_names_and_a_home_unit() -> None:
    assert load_users(FIXTURES / "users.yaml") == 0  # loaded once already, nothing changes
    approver = User.objects.get(username="approver")
    assert person_name(approver) == "วิชัย ทองดี"
    assert approver.profile.org.code == "OBEC" and approver.profile.position
    assert User.objects.get(username="admin5251").role_assignments.get().role == "office_admin"
