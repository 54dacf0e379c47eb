"""Times are Bangkok's wherever they are shown: conflict notices, the audit JSON, pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tidtam.narratives.models import Block
from tidtam.reporting import editing
from tidtam.reporting.errors import Conflict

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
AT_UTC = dt.datetime(2023, 6, 1, 13, 42, tzinfo=dt.UTC)  # 20:42 in Bangkok


def test_conflict_notice_gives_bangkok_time() -> None:
    assert "เมื่อ 20:42 น." in Conflict("x", 2, "ผู้อื่น", AT_UTC).message


def test_conflict_fragment_of_an_autosave_gives_bangkok_time(
    client: Client, reporter: Any, submission: Any,
) -> None:
    report = editing.report_for(submission, submission.framework.nodes.get(code="1"))
    block = editing.save_narrative(reporter, report, "drive", "ฉบับของผู้อื่น", 0)
    Block.objects.filter(pk=block.pk).update(updated_at=AT_UTC)
    client.force_login(reporter)
    stale = client.post(f"/submissions/{submission.pk}/i/1/narrative/drive/",
                        {"text": "ของฉัน", "version": 0}, **HX)
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "20:42 น." in body and "13:42" not in body


def test_audit_json_times_carry_the_bangkok_offset(
    client: Client, reporter: Any, submission: Any,
) -> None:
    report = editing.report_for(submission, submission.framework.nodes.get(code="1"))
    editing.save_narrative(reporter, report, "drive", "ข้อความ", 0)
    client.force_login(reporter)
    entries = client.get(f"/api/submissions/{submission.pk}/audit").json()
    assert entries and all(e["at"].endswith("+07:00") for e in entries)
