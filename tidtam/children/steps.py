"""Taking a step of a case: checked, stored as a ``Step``, audited, counted.

A step out of order (returning a child nobody has found yet), a stale form
(someone recorded a step since the page was loaded), a date in the future or
before the case's last step, a pin off the globe or a kind of help the data
does not know are refused with a Thai message, and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tidtam.accounts.permissions import AnyUser
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.children import indicators
from tidtam.children.loader import options
from tidtam.children.models import STEPS, Case, OptionGroup, State, Step, StepKind
from tidtam.children.privacy import handles
from tidtam.limits import MAX_TEXT, OutOfLimits, check_text
from tidtam.thai.dates import thai_date


class StepRefused(Exception):
    """The step was not taken; ``message`` says why in Thai, ``field`` where."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotHandler(StepRefused):
    pass


@dataclass
class StepInput:
    kind: str
    on: dt.date | None = None
    version: int = 0
    help_kind: str = ""
    agency: str = ""
    school: str = ""
    note: str = ""
    latitude: str = ""
    longitude: str = ""


def allowed_steps(case: Case) -> list[str]:
    return [k for k, (before, _after) in STEPS.items() if case.state in before]


def parse_date(text: str, field: str = "on") -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise StepRefused("วันที่ไม่ถูกต้อง กรุณาเลือกวันที่จากปฏิทิน", field) from None


def _coordinate(text: str, label: str, bound: int, field: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise StepRefused(f"{label} '{text}' ไม่ใช่ตัวเลข", field) from None
    if not value.is_finite() or not -bound <= value <= bound:
        raise StepRefused(f"{label} ต้องอยู่ระหว่าง -{bound} ถึง {bound}", field)
    return value.quantize(Decimal("0.000001"))


def _kind_name(kind: str) -> str:
    return StepKind(kind).label if kind in StepKind.values else kind


def take_step(user: AnyUser, case: Case, data: StepInput) -> Step:
    if not handles(user, case.org):
        raise NotHandler("เฉพาะผู้ติดตามเด็กของหน่วยงานนี้เท่านั้นที่บันทึกขั้นตอนได้")
    if data.kind not in STEPS:
        raise StepRefused(f"ไม่รู้จักขั้นตอน '{data.kind}'", "kind")
    before_states, after = STEPS[data.kind]
    if case.state not in before_states:
        need = " หรือ ".join(State(s).label for s in sorted(before_states))
        raise StepRefused(
            f"บันทึกขั้นตอน '{_kind_name(data.kind)}' ไม่ได้: เด็กรายนี้อยู่ในสถานะ "
            f"'{case.get_state_display()}' ขั้นตอนนี้ทำได้เมื่ออยู่ในสถานะ '{need}' เท่านั้น", "kind")
    on = data.on or timezone.localdate()
    if on > timezone.localdate():
        raise StepRefused("วันที่ของขั้นตอนต้องไม่เกินวันนี้", "on")
    if on < case.state_since:
        raise StepRefused("วันที่ของขั้นตอนต้องไม่ก่อนขั้นตอนล่าสุด "
                          f"({thai_date(case.state_since)})", "on")
    fields: dict[str, object] = {}
    try:
        fields["note"] = check_text(data.note or "", "บันทึก", MAX_TEXT).strip()
        fields["school"] = check_text(data.school or "", "สถานศึกษา", 200).strip()
    except OutOfLimits as exc:
        raise StepRefused(exc.message, exc.field or "note") from None
    if data.kind == StepKind.FIND:
        if not (data.latitude or "").strip() or not (data.longitude or "").strip():
            raise StepRefused("กรุณาปักหมุดบ้านของเด็ก: ระบุละติจูดและลองจิจูด"
                              " (หรือกด 'ใช้ตำแหน่งปัจจุบัน')", "latitude")
        fields["latitude"] = _coordinate(data.latitude, "ละติจูด", 90, "latitude")
        fields["longitude"] = _coordinate(data.longitude, "ลองจิจูด", 180, "longitude")
    if data.kind == StepKind.HELP:
        known = dict(options(OptionGroup.HELP))
        if data.help_kind not in known:
            raise StepRefused("กรุณาเลือกประเภทการช่วยเหลือ", "help_kind")
        fields["help_kind"] = data.help_kind
    if data.kind == StepKind.REFER:
        known = dict(options(OptionGroup.REFERRAL))
        if data.agency not in known:
            raise StepRefused("กรุณาเลือกหน่วยงานที่ส่งต่อ", "agency")
        fields["agency"] = data.agency
    with transaction.atomic():
        state_before = case.state
        updates: dict[str, object] = {"state": after, "state_since": on,
                                      "version": F("version") + 1,
                                      "updated_at": timezone.now()}
        if data.kind == StepKind.FIND:
            updates |= {"latitude": fields["latitude"], "longitude": fields["longitude"]}
        moved = Case.objects.filter(pk=case.pk, version=data.version,
                                    state=state_before).update(**updates)
        if not moved:
            raise StepRefused("มีผู้บันทึกข้อมูลเด็กรายนี้ไปก่อนแล้ว กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                              "version")
        step = Step.objects.create(case=case, kind=data.kind, on=on,
                                   by=user if user.is_authenticated else None,
                                   state_before=state_before, state_after=after,
                                   **fields)  # type: ignore[arg-type]
        case.refresh_from_db()
        record(user, Action.CHILD_STEP, case, target=str(case),
               before={"state": state_before},
               after={"state": after, "step": data.kind, "day": on.isoformat(),
                      "help_kind": step.help_kind, "agency": step.agency})
        indicators.recompute_for([case], [on])
    return step


def close_as_moved(user: AnyUser, case: Case, affiliation: str, on: dt.date,
                   comment: str) -> Step | None:
    """The list says the child is now of another agency (002 L931): close the case."""
    if case.state == State.MOVED:
        return None
    state_before = case.state
    on = max(on, case.state_since)
    Case.objects.filter(pk=case.pk).update(state=State.MOVED, state_since=on,
                                           affiliation=affiliation,
                                           version=F("version") + 1)
    step = Step.objects.create(case=case, kind=StepKind.MOVE, on=on,
                               by=user if user.is_authenticated else None,
                               state_before=state_before, state_after=State.MOVED,
                               note=comment)
    case.refresh_from_db()
    record(user, Action.CHILD_STEP, case, target=str(case), before={"state": state_before},
           after={"state": State.MOVED, "step": StepKind.MOVE, "day": on.isoformat(),
                  "affiliation": affiliation}, comment=comment)
    return step
