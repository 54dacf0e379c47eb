"""A case from แจ้งเหตุ to ปิดเรื่อง, passed up to the area office, each step stored and audited."""

from __future__ import annotations

import pytest

from tests.incidents.helpers import new_case, staff, walk_to_closed
from tidtam.audit.models import Action, AuditEntry
from tidtam.incidents import workflow
from tidtam.incidents.models import State

pytestmark = pytest.mark.django_db


def test_reported_case_gets_a_tracking_code_and_a_first_step() -> None:
    case = new_case()
    assert case.state == State.REPORTED and len(case.tracking_code) == 14
    assert case.fiscal_year == 2566 and case.handler.code == "SCH-1"
    assert list(case.steps.values_list("to_state", flat=True)) == ["reported"]
    assert AuditEntry.objects.filter(action=Action.INCIDENT_REPORT, object_id=case.pk).exists()


def test_school_receives_assigns_works_and_closes() -> None:
    s = staff()
    case = walk_to_closed(new_case(), s)
    assert case.state == State.CLOSED and case.closing_level == "school"
    assert case.closed_by_org.code == "SCH-1" and case.assignee == s["school_action"]
    steps = list(case.steps.values_list("to_state", "by__username"))
    assert steps == [("reported", None), ("received", "t-sch-op"), ("assigned", "t-sch-op"),
                     ("in_progress", "t-sch-act"), ("closed", "t-sch-act")]
    entries = AuditEntry.objects.filter(action=Action.INCIDENT_STATE, object_id=case.pk)
    assert entries.count() == 4
    assert entries.order_by("at", "pk").last().after["state"] == "closed"
    # the log keeps no personal field
    assert all("reporter" not in str(e.before) + str(e.after) for e in entries)


def test_escalated_case_is_handled_by_the_area_office() -> None:
    s = staff()
    case = workflow.apply(s["school_op"], new_case(), "receive")
    assert workflow.allowed_actions(s["school_op"], case) == ["assign", "dismiss", "escalate"]
    case = workflow.apply(s["school_op"], case, "escalate", note="เกินกำลังโรงเรียน")
    assert case.state == State.ESCALATED and case.handler.code == "SPM-52-51"
    # the school no longer acts on it; the office receives it
    assert workflow.allowed_actions(s["school_op"], case) == []
    with pytest.raises(workflow.Refused):
        workflow.apply(s["school_op"], case, "receive")
    case = workflow.apply(s["office_op"], case, "receive")
    assert "t-off-act" in [u.username for u in workflow.action_candidates(case.handler)]
    case = workflow.apply(s["office_op"], case, "assign", assignee=s["office_action"])
    case = workflow.apply(s["office_action"], case, "start")
    case = workflow.apply(s["office_action"], case, "close", note="ประสาน พสน. แล้ว")
    assert case.closing_level == "area" and case.closed_by_org.code == "SPM-52-51"


def test_dismissed_case_records_its_level() -> None:
    s = staff()
    case = workflow.apply(s["school_op"], new_case(), "receive")
    case = workflow.apply(s["school_op"], case, "dismiss", note="แจ้งซ้ำกับเรื่องเดิม")
    assert case.state == State.DISMISSED and case.closing_level == "school"
    assert workflow.allowed_actions(s["school_op"], case) == []


def test_a_handler_reclassifies_an_open_case_and_the_figures_follow() -> None:
    from tidtam.measures.models import Observation

    s = staff()
    case = new_case(group="violence")

    def count(cat: str) -> int:
        obs = Observation.objects.filter(org__code="SPM-52-51", measure__code="incidents_reported",
                                         category=cat).first()
        return int(obs.value_decimal) if obs else 0

    violence, right = count("violence"), count("right")
    case = workflow.reclassify(s["school_op"], case, "right", "fraud")
    assert case.group.code == "right" and case.threat_type.code == "fraud"
    assert (count("violence"), count("right")) == (violence - 1, right + 1)
    assert AuditEntry.objects.filter(action=Action.INCIDENT_EDIT, object_id=case.pk).exists()
    with pytest.raises(workflow.Refused):
        workflow.reclassify(s["school_op"], case, "accident", "fraud")  # fraud is not an accident
