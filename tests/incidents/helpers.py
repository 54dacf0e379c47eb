"""Cases and SC staff for the incidents tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import make_user
from tidtam.incidents import workflow
from tidtam.incidents.models import Incident

SCHOOL = "SCH-1"  # under SPM-52-51 (through its school cluster)
REPORTER_NAME = "นางสมศรี ผู้แจ้งลับ"
CONTACT = "081-555-0199"
INVOLVED = "ด.ญ.ลับเฉพาะ ทดสอบดี"


def staff(prefix: str = "t", school: str = SCHOOL, office: str = "SPM-52-51") -> dict[str, Any]:
    return {
        "school_op": make_user(f"{prefix}-sch-op", "sc_operator", school),
        "school_action": make_user(f"{prefix}-sch-act", "sc_action", school),
        "office_op": make_user(f"{prefix}-off-op", "sc_operator", office),
        "office_action": make_user(f"{prefix}-off-act", "sc_action", office),
    }


def new_case(org: str = SCHOOL, group: str = "violence", day: dt.date | None = None,
             **extra: Any) -> Incident:
    return workflow.report(None, workflow.Report(
        org_code=org, group_code=group, what="นักเรียนถูกรังแกหลังเลิกเรียน",
        happened_on=day or dt.date(2023, 1, 20), place="โรงอาหาร",
        reporter_name=REPORTER_NAME, reporter_contact=CONTACT, people_involved=INVOLVED,
        **extra))


def walk_to_closed(case: Incident, s: dict[str, Any]) -> Incident:
    case = workflow.apply(s["school_op"], case, "receive")
    case = workflow.apply(s["school_op"], case, "assign", assignee=s["school_action"])
    case = workflow.apply(s["school_action"], case, "start")
    return workflow.apply(s["school_action"], case, "close", note="แก้ไขแล้ว")
