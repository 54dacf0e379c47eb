"""Reporting a case and moving it through its states: the one path for pages, API and CLI.

แจ้งเหตุ → รับเรื่อง → มอบหมาย → ดำเนินการ → ปิดเรื่อง, or ยุติเรื่อง, or ส่งต่อ to
the office above, which receives it and goes on from there. Each step is
checked against the state the case is in *now* (a stale page is refused, not
replayed), stored as a ``Step`` and audited; the register's figures are
recomputed after it (``tidtam.incidents.feeding``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tidtam.accounts.models import Role, RoleAssignment
from tidtam.accounts.permissions import has_role
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.incidents.models import (
    Channel,
    ClosingLevelRule,
    Incident,
    State,
    Step,
    ThreatGroup,
    ThreatType,
)
from tidtam.limits import OutOfLimits, check_values
from tidtam.orgs.models import OrgType, OrgUnit

HANDLING = frozenset({Role.SC_OPERATOR, Role.SC_ACTION})
# Units a case is never passed up to: they are groupings, not offices with a safety centre.
NOT_OFFICES = frozenset({OrgType.SCHOOL_CLUSTER, OrgType.OFFICE_GROUP, OrgType.PROVINCE})


class Refused(Exception):
    """A step or a report that cannot be taken; ``message`` is Thai and says why."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "receive": Transition("รับเรื่อง", frozenset({State.REPORTED, State.ESCALATED}),
                          State.RECEIVED, frozenset({Role.SC_OPERATOR})),
    "assign": Transition("มอบหมาย", frozenset({State.RECEIVED}), State.ASSIGNED,
                         frozenset({Role.SC_OPERATOR})),
    "start": Transition("เริ่มดำเนินการ", frozenset({State.ASSIGNED}), State.IN_PROGRESS,
                        frozenset({Role.SC_ACTION})),
    "close": Transition("ปิดเรื่อง", frozenset({State.IN_PROGRESS}), State.CLOSED,
                        frozenset({Role.SC_ACTION}), note_required=True),
    "dismiss": Transition("ยุติเรื่อง",
                          frozenset({State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS}),
                          State.DISMISSED, HANDLING, note_required=True),
    "escalate": Transition("ส่งต่อหน่วยงานระดับสูงกว่า",
                           frozenset({State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS}),
                           State.ESCALATED, HANDLING, note_required=True),
}


def _state_names(states: frozenset[str]) -> str:
    return " หรือ ".join(str(State(s).label) for s in State.values if s in states)


def may_handle(user: Any, incident: Incident) -> bool:
    """The handling roles of the unit where it happened, or of a unit above it."""
    return has_role(user, HANDLING, incident.org)


def allowed_actions(user: Any, incident: Incident) -> list[str]:
    """The steps ``user`` may take on the case as it is now, in workflow order."""
    out = []
    for code, t in TRANSITIONS.items():
        if incident.state in t.sources and has_role(user, t.roles, incident.handler):
            if code == "escalate" and escalation_target(incident.handler) is None:
                continue
            out.append(code)
    return out


def escalation_target(unit: OrgUnit) -> OrgUnit | None:
    """The office above ``unit`` that takes a case passed up: clusters are skipped."""
    parent = unit.parent
    while parent is not None and parent.type in NOT_OFFICES:
        parent = parent.parent
    return parent


def action_candidates(unit: OrgUnit) -> list[Any]:
    """SC-Action staff a case handled by ``unit`` may be assigned to: of the unit or above."""
    parts = unit.path.strip("/").split("/")
    prefixes = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    ids = RoleAssignment.objects.filter(role=Role.SC_ACTION, org__path__in=prefixes,
                                        user__is_active=True).values("user")
    return list(get_user_model().objects.filter(pk__in=ids).order_by("username"))


def closing_level_of(unit: OrgUnit) -> str:
    rules = dict(ClosingLevelRule.objects.values_list("org_type", "option"))
    return rules.get(unit.type) or rules.get("*", "")


def apply(user: Any, incident: Incident, action: str, *, note: str = "",
          version: int | None = None, assignee: Any = None) -> Incident:
    """Take step ``action``; raise ``Refused`` (nothing changed) when it can't be taken."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise Refused(f"ไม่รู้จักขั้นตอน '{action}'")
    note = note.strip()
    try:
        note = check_values(Step, {"note": note}, {"note": "บันทึก"})["note"]
    except OutOfLimits as exc:
        raise Refused(exc.message, "note") from None
    with transaction.atomic():
        case = Incident.objects.select_for_update().select_related(
            "org", "handler", "group").get(pk=incident.pk)
        if version is not None and version != case.version:
            raise Refused("เหตุนี้ถูกเปลี่ยนสถานะโดยผู้อื่นแล้ว (ขณะนี้: "
                          f"{case.get_state_display()}) กรุณาเปิดหน้าใหม่แล้วทำอีกครั้ง")
        if case.state not in t.sources:
            raise Refused(f"ขั้นตอน '{t.label}' ทำได้เมื่อเหตุอยู่ในสถานะ "
                          f"{_state_names(t.sources)} เท่านั้น "
                          f"(ขณะนี้: {case.get_state_display()})")
        if not has_role(user, t.roles, case.handler):
            who = " หรือ ".join(str(Role(r).label) for r in Role.values if r in t.roles)
            raise Refused(f"ขั้นตอน '{t.label}' เป็นหน้าที่ของ{who}ของ "
                          f"{case.handler.display_name}")
        if t.note_required and not note:
            raise Refused(f"กรุณาบันทึกเหตุผล/ผลการดำเนินงานของขั้นตอน '{t.label}'", "note")
        before = case.audit_values()
        from_state, at = case.state, timezone.now()
        step_org = case.handler
        if action == "assign":
            if assignee is None or assignee.pk not in {u.pk for u in
                                                       action_candidates(case.handler)}:
                raise Refused("กรุณาเลือกผู้ดำเนินการ (SC-Action) ของหน่วยงาน "
                              f"{case.handler.display_name}", "assignee")
            case.assignee = assignee
        if action == "escalate":
            target = escalation_target(case.handler)
            if target is None:
                raise Refused("ไม่มีหน่วยงานระดับสูงกว่าให้ส่งต่อ")
            case.handler, case.assignee = target, None
        if t.target in (State.CLOSED, State.DISMISSED):
            case.closing_level = closing_level_of(case.handler)
            case.closed_by_org, case.closed_at = case.handler, at
        case.state, case.state_since = t.target, at
        case.version += 1
        case.save()
        Step.objects.create(incident=case, from_state=from_state, to_state=t.target, by=user,
                            org=step_org, at=at, note=note)
        record(user, Action.INCIDENT_STATE, case, org=case.org,
               target=f"{case} · {t.label}", before=before, after=case.audit_values(),
               comment=note)
        from tidtam.incidents.feeding import recompute_for

        # in the same transaction: a step and the figures it changes are stored together
        recompute_for(case)
    return case


@dataclass
class Report:
    """What a reporter gives; validated by ``report``."""

    org_code: str
    group_code: str
    what: str
    happened_on: dt.date | None
    type_code: str = ""
    happened_time: dt.time | None = None
    place: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""
    people_involved: str = ""


LABELS = {"what": "เหตุการณ์ที่เกิดขึ้น", "place": "สถานที่เกิดเหตุ",
          "reporter_name": "ชื่อผู้แจ้ง", "reporter_contact": "ช่องทางติดต่อผู้แจ้ง",
          "people_involved": "ผู้เกี่ยวข้อง/ผู้ได้รับผลกระทบ"}


def find_unit(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code__iexact=code.strip()).first() if code.strip() else None


def report(user: Any, data: Report, channel: str = Channel.WEB) -> Incident:
    """Store a new case in state แจ้งเหตุ; raise ``Refused`` naming the field otherwise."""
    org = find_unit(data.org_code)
    if org is None:
        raise Refused(f"ไม่พบสถานศึกษา/หน่วยงานรหัส '{data.org_code.strip()}' "
                      "กรุณาค้นหาจากชื่อแล้วเลือกจากรายการ", "school")
    group = ThreatGroup.objects.filter(code=data.group_code).first()
    if group is None:
        raise Refused("กรุณาเลือกกลุ่มภัย", "group")
    ttype = None
    if data.type_code:
        ttype = ThreatType.objects.filter(code=data.type_code, group=group).first()
        if ttype is None:
            raise Refused(f"ประเภทภัยที่เลือกไม่อยู่ในกลุ่ม {group.name_th}", "threat_type")
    if not data.what.strip():
        raise Refused("กรุณาเล่าเหตุการณ์ที่เกิดขึ้น", "what")
    if data.happened_on is None:
        raise Refused("กรุณาระบุวันที่เกิดเหตุ", "happened_on")
    if data.happened_on > timezone.localdate():
        raise Refused("วันที่เกิดเหตุต้องไม่เป็นวันในอนาคต", "happened_on")
    texts = {k: getattr(data, k).strip() for k in LABELS}
    try:
        texts = check_values(Incident, texts, LABELS)
    except OutOfLimits as exc:
        raise Refused(exc.message, exc.field) from None
    with transaction.atomic():
        case = Incident.objects.create(
            org=org, handler=org, group=group, threat_type=ttype,
            happened_on=data.happened_on, happened_time=data.happened_time, channel=channel,
            **texts)
        Step.objects.create(incident=case, from_state="", to_state=State.REPORTED,
                            by=user if getattr(user, "is_authenticated", False) else None,
                            org=org, at=case.reported_at)
        record(user, Action.INCIDENT_REPORT, case, org=org, target=str(case),
               after=case.audit_values())
        from tidtam.incidents.feeding import recompute_for

        # in the same transaction: a step and the figures it changes are stored together
        recompute_for(case)
    return case


def overdue(incident: Incident, deadlines: dict[str, int], now: dt.datetime | None = None
            ) -> bool:
    hours = deadlines.get(incident.state)
    if hours is None or not incident.is_open:
        return False
    return ((now or timezone.now()) - incident.state_since) > dt.timedelta(hours=hours)


def reclassify(user: Any, incident: Incident, group_code: str, type_code: str = "", *,
               version: int | None = None) -> Incident:
    """Correct an open case's threat group and type (a handler's reading of the report)."""
    with transaction.atomic():
        case = Incident.objects.select_for_update().select_related(
            "org", "handler", "group").get(pk=incident.pk)
        if version is not None and version != case.version:
            raise Refused("เหตุนี้ถูกแก้ไขโดยผู้อื่นแล้ว กรุณาเปิดหน้าใหม่แล้วทำอีกครั้ง")
        if not has_role(user, HANDLING, case.handler):
            raise Refused("แก้ไขกลุ่มภัยได้เฉพาะผู้รับผิดชอบเหตุนี้ (SC-Operator/SC-Action) "
                          f"ของ {case.handler.display_name}")
        if not case.is_open:
            raise Refused(f"เหตุนี้{case.get_state_display()}แล้ว จึงแก้ไขกลุ่มภัยไม่ได้")
        group = ThreatGroup.objects.filter(code=group_code).first()
        if group is None:
            raise Refused("กรุณาเลือกกลุ่มภัย", "group")
        ttype = None
        if type_code:
            ttype = ThreatType.objects.filter(code=type_code, group=group).first()
            if ttype is None:
                raise Refused(f"ประเภทภัยที่เลือกไม่อยู่ในกลุ่ม {group.name_th}", "threat_type")
        if (case.group_id, case.threat_type_id) == (group.pk, ttype.pk if ttype else None):
            return case
        before = {"group": case.group.code,
                  "threat_type": case.threat_type.code if case.threat_type else ""}
        case.group, case.threat_type = group, ttype
        case.version += 1
        case.save()
        record(user, Action.INCIDENT_EDIT, case, org=case.org, target=str(case), before=before,
               after={"group": group.code, "threat_type": ttype.code if ttype else ""})
        from tidtam.incidents.feeding import recompute_for

        recompute_for(case)
    return case
