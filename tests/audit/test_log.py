"""``record``: one function, keyed entries, every action labelled in Thai."""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.audit.log import record
from tidtam.audit.models import Action, AuditDeleteRefused, AuditEntry
from tidtam.reporting import editing

pytestmark = pytest.mark.django_db


def test_an_entry_is_keyed_to_its_object_its_office_and_its_submission(
    submission: Any, reporter: Any
) -> None:
    report = editing.report_for(submission, submission.framework.nodes.get(code="1"))
    narrative = editing.save_narrative(reporter, report, "drive", "ข้อความ", 0)
    entry = AuditEntry.objects.about(narrative).get()
    assert (entry.submission, entry.org, entry.user) == (submission, submission.org, reporter)
    assert entry.obj == narrative and entry.get_action_display() == "แก้ไขข้อความ"
    with pytest.raises(AuditDeleteRefused):
        entry.save()  # append-only: an entry is never rewritten


def test_an_action_without_a_thai_label_is_refused(submission: Any, reporter: Any) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record(reporter, "renamed_something", submission)
    assert all(label and not label.isascii() for label in Action.labels)


def test_an_entry_reads_in_thai_time_and_the_buddhist_year(
        submission: Any, reporter: Any) -> None:
    import datetime as dt

    report = editing.report_for(submission, submission.framework.nodes.get(code="1"))
    narrative = editing.save_narrative(reporter, report, "drive", "ข้อความ", 0)
    entry = AuditEntry.objects.about(narrative).get()
    # 23:30 UTC on 31 Dec 2025 is 06:30 on 1 Jan 2026 in Bangkok: year 2569
    AuditEntry.objects.filter(pk=entry.pk).update(
        at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC))
    entry.refresh_from_db()
    assert str(entry).startswith("1 ม.ค. 2569 06:30 น. ")
    assert "แก้ไขข้อความ" in str(entry)
