"""Saving figures and narratives: versions, conflicts, locks, audit, Thai errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tidtam.audit.models import AuditEntry
from tidtam.frameworks.models import DataElement, FrameworkNode
from tidtam.narratives.models import Block
from tidtam.reporting import editing
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed
from tidtam.reporting.models import State

pytestmark = pytest.mark.django_db


def _report(sub: Any, code: str = "1") -> Any:
    return editing.report_for(sub, FrameworkNode.objects.get(framework=sub.framework, code=code))


def test_two_editors_one_narrative_second_is_refused_and_nothing_is_lost(
    submission: Any, reporter: Any
) -> None:
    from tests.conftest import make_user

    colleague = make_user("rep-a2", "reporter", "SPM-52-51")
    report = _report(submission)
    first = editing.save_narrative(reporter, report, "drive", "ข้อความเริ่มต้น", 0)
    assert first.version == 1
    # Both open version 1; the colleague saves first.
    editing.save_narrative(colleague, report, "drive", "ข้อความของเพื่อนร่วมงาน", 1)
    with pytest.raises(Conflict) as exc:
        editing.save_narrative(reporter, report, "drive", "ข้อความของฉัน", 1)
    assert exc.value.current == {"text": "ข้อความของเพื่อนร่วมงาน"}
    assert exc.value.version == 2
    assert "บันทึกข้อความนี้ก่อนคุณ" in exc.value.message
    assert Block.objects.get(org=submission.org, kind__code="drive").text == (
        "ข้อความของเพื่อนร่วมงาน")
    # Having seen version 2, the reporter can merge and save.
    merged = editing.save_narrative(reporter, report, "drive", "รวมทั้งสองข้อความ", 2)
    assert merged.version == 3


def test_every_change_is_audited_with_before_and_after(submission: Any, reporter: Any) -> None:
    report = _report(submission)
    editing.save_narrative(reporter, report, "drive", "ก", 0)
    editing.save_narrative(reporter, report, "drive", "ข", 1)
    entries = list(AuditEntry.objects.filter(submission=submission, action="narrative")
                   .order_by("at", "pk"))
    assert [(e.before, e.after, e.user) for e in entries] == [
        (None, "ก", reporter), ("ก", "ข", reporter)]


def test_values_accept_thai_digits_and_refuse_malformed_numbers(
    submission: Any, reporter: Any
) -> None:
    element = DataElement.objects.filter(node__framework=submission.framework,
                                         measure__value_type="integer").first()
    assert element is not None
    report = editing.report_for(submission, element.node)
    saved = editing.save_value(reporter, report, element, "๑๒,๓๔๕", 0)
    assert saved.parsed == Decimal("12345") and saved.text == "๑๒,๓๔๕"
    with pytest.raises(InvalidInput) as exc:
        editing.save_value(reporter, report, element, "12,3,4", saved.version)
    assert "12,3,4" in exc.value.message
    with pytest.raises(InvalidInput):
        editing.save_value(reporter, report, element, "-5", saved.version)


def test_other_offices_reporter_cannot_edit(submission: Any, other_reporter: Any) -> None:
    with pytest.raises(NotAllowed):
        editing.save_narrative(other_reporter, _report(submission), "drive", "x", 0)


def test_submitted_or_approved_is_read_only(submission: Any, reporter: Any) -> None:
    submission.state = State.APPROVED
    submission.save()
    with pytest.raises(Locked) as exc:
        editing.save_narrative(reporter, _report(submission), "drive", "x", 0)
    assert "อนุมัติแล้ว" in exc.value.message


def test_problem_rows_and_best_practices(submission: Any, reporter: Any) -> None:
    report = _report(submission)
    row = editing.add_problem(reporter, report)
    row = editing.save_problem(reporter, report, row, "งบประมาณไม่เพียงพอ", "ของบเพิ่ม",
                               row.version, "central")
    assert (row.text, row.solution, row.level.code, row.version) == (
        "งบประมาณไม่เพียงพอ", "ของบเพิ่ม", "central", 2)
    with pytest.raises(Conflict):
        editing.save_problem(reporter, report, row, "อื่น", "", 1)
    bp = editing.add_best_practice(reporter, report)
    bp = editing.save_best_practice(reporter, report, bp, "โรงเรียนบุญวาทย์วิทยาลัย", "BW Model",
                                    "1. วางแผน\n2. ลงมือทำ", bp.version)
    assert bp.title == "BW Model" and bp.kind.code == "best_practice"
