"""``tidtam incidents load|recompute|overdue``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.incidents.helpers import new_case
from tidtam.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("incidents", *args, stdout=out)
    return out.getvalue()


def test_load_twice_changes_nothing() -> None:
    assert "เปลี่ยนแปลง 0 " in _run("load")


def test_overdue_lists_late_cases_and_recompute_says_what_changed() -> None:
    late = new_case()
    Incident.objects.filter(pk=late.pk).update(state_since=timezone.now() - dt.timedelta(days=3))
    text = _run("overdue", "--org", "SPM-52-51")
    assert late.tracking_code in text and "เกินกำหนด 1 เรื่อง" in text
    assert "เปลี่ยนแปลง 0 รายการ" in _run("recompute")  # already fed at the report
