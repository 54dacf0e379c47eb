"""Out-of-order steps, wrong roles, stale pages and bad reports: a Thai message, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_user
from tests.incidents.helpers import new_case, staff
from tidtam.audit.models import AuditEntry
from tidtam.incidents import workflow
from tidtam.incidents.models import Incident, Step
from tidtam.measures.models import Observation

pytestmark = pytest.mark.django_db


def _refused(user: Any, case: Incident, action: str, **kw: Any) -> str:
    before = (Incident.objects.filter(pk=case.pk).values().get(), Step.objects.count(),
              AuditEntry.objects.count(), list(Observation.objects.values_list("text",
                                                                             "version")))
    with pytest.raises(workflow.Refused) as exc:
        workflow.apply(user, case, action, **kw)
    after = (Incident.objects.filter(pk=case.pk).values().get(), Step.objects.count(),
             AuditEntry.objects.count(), list(Observation.objects.values_list("text",
                                                                            "version")))
    assert before == after, "a refused step changed something"
    return exc.value.message


def test_closing_a_case_just_reported_is_refused() -> None:
    s = staff()
    message = _refused(s["school_action"], new_case(), "close", note="ปิด")
    assert message == ("ขั้นตอน 'ปิดเรื่อง' ทำได้เมื่อเหตุอยู่ในสถานะ ดำเนินการ เท่านั้น "
                       "(ขณะนี้: แจ้งเหตุ)")


def test_assigning_before_receiving_is_refused() -> None:
    s = staff()
    assert "รับเรื่อง" in _refused(s["school_op"], new_case(), "assign",
                                   assignee=s["school_action"])


def test_the_wrong_role_is_refused() -> None:
    s = staff()
    case = new_case()
    assert "SC-Operator" in _refused(s["school_action"], case, "receive")
    outsider = make_user("other-op", "sc_operator", "SPP-52-1")
    assert "SC-Operator" in _refused(outsider, case, "receive")


def test_a_stale_page_is_refused() -> None:
    s = staff()
    case = new_case()
    stale = case.version
    workflow.apply(s["school_op"], case, "receive")
    assert "ผู้อื่น" in _refused(s["office_op"], case, "dismiss", note="x", version=stale)


def test_assigning_to_someone_without_the_sc_action_role_is_refused() -> None:
    s = staff()
    case = workflow.apply(s["school_op"], new_case(), "receive")
    assert "SC-Action" in _refused(s["school_op"], case, "assign", assignee=s["school_op"])
    assert "SC-Action" in _refused(s["school_op"], case, "assign")


def test_closing_without_a_note_is_refused() -> None:
    s = staff()
    case = workflow.apply(s["school_op"], new_case(), "receive")
    case = workflow.apply(s["school_op"], case, "assign", assignee=s["school_action"])
    case = workflow.apply(s["school_action"], case, "start")
    assert "บันทึก" in _refused(s["school_action"], case, "close", note="  ")


def test_bad_reports_are_refused_and_store_nothing() -> None:
    import datetime as dt

    count = Incident.objects.count()
    cases = [({"org_code": "NOPE"}, "school"), ({"group_code": "x"}, "group"),
             ({"what": " "}, "what"), ({"happened_on": None}, "happened_on"),
             ({"happened_on": dt.date(2999, 1, 1)}, "happened_on"),
             ({"type_code": "drowning"}, "threat_type"),  # an accident, not violence
             ({"place": "ก" * 301}, "place")]
    for change, field in cases:
        data = {"org_code": "SCH-1", "group_code": "violence", "what": "เหตุ",
                "happened_on": dt.date(2023, 1, 1), **change}
        with pytest.raises(workflow.Refused) as exc:
            workflow.report(None, workflow.Report(**data))
        assert exc.value.field == field, (change, exc.value.message)
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in exc.value.message)
    assert Incident.objects.count() == count
