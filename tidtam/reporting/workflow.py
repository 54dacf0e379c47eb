"""The life of a submission: draft → submitted → returned → resubmitted → rated → approved.

Each transition names who may take it and from which states. Submitting runs
the validation rules: errors block, warnings need the reporter's reason; then
completeness (``reporting.completeness``): indicators with nothing entered and
required figures left empty are listed, and sending anyway takes the
reporter's explicit confirmation, recorded with the list in the audit log.
Approved submissions are read-only; the only way back is a recorded
reopening by an approver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tidtam.accounts.permissions import can_approve, can_rate, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.evaluation import actuals
from tidtam.evaluation.models import Rating, Status
from tidtam.frameworks.models import Framework, FrameworkNode, Method
from tidtam.limits import FigureLimit, OutOfLimits, check_figure, check_values
from tidtam.measures.models import SourceKind
from tidtam.measures.store import ValueRefused
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.errors import (
    Incomplete,
    InvalidInput,
    Locked,
    NotAllowed,
    TransitionRefused,
)
from tidtam.reporting.models import State, Submission, ValidationAnswer
from tidtam.thai.dates import thai_date
from tidtam.validation.models import ValidationRule


@dataclass(frozen=True)
class Transition:
    name: str
    label_th: str
    sources: frozenset[str]
    target: str
    allowed: Callable[[Any, OrgUnit], bool]
    needs_comment: bool = False
    style: str = "primary"


TRANSITIONS = {
    t.name: t for t in [
        Transition("submit", "ส่งรายงาน", frozenset({State.DRAFT}), State.SUBMITTED, can_report),
        Transition("resubmit", "ส่งรายงานฉบับแก้ไข", frozenset({State.RETURNED}),
                   State.RESUBMITTED, can_report),
        Transition("return", "ส่งกลับให้แก้ไข",
                   frozenset({State.SUBMITTED, State.RESUBMITTED, State.RATED}), State.RETURNED,
                   can_rate, needs_comment=True, style="warn"),
        Transition("finish_rating", "ยืนยันผลการประเมิน",
                   frozenset({State.SUBMITTED, State.RESUBMITTED}), State.RATED, can_rate),
        Transition("approve", "อนุมัติผลการประเมิน", frozenset({State.RATED}), State.APPROVED,
                   can_approve),
        Transition("reopen", "เปิดแก้ไขหลังอนุมัติ", frozenset({State.APPROVED}), State.RATED,
                   can_approve, needs_comment=True, style="warn"),
    ]
}


def start(user: Any, org: OrgUnit, framework: Framework, round_: str) -> tuple[Submission, bool]:
    """The office's submission for a framework's round, created (and audited) if new.

    Only a reporter of the office may start one, and only for an office the
    framework evaluates: the org types its indicators apply to (data), so a
    school or a provincial office gets a Thai refusal, not a report no one rates.
    """
    if not can_report(user, org):
        raise NotAllowed()
    if round_ not in framework.rounds:
        raise InvalidInput("round", f"รอบ '{round_}' ไม่มีใน{framework.full_name}")
    if not framework.applies(org):
        types = ", ".join(sorted(str(OrgType(t).label) for t in framework.org_types()))
        raise InvalidInput("org", (
            f"{framework.full_name} ไม่ได้ประเมิน{org.display_name} "
            f"({org.get_type_display()}) — ใช้กับ {types or 'ไม่มีหน่วยงานใด'} เท่านั้น"
        ))
    with transaction.atomic():
        sub, created = Submission.objects.get_or_create(org=org, framework=framework,
                                                        round=round_)
        if created:
            record(user, Action.CREATE, sub)
    return sub, created


def _text(model: type[Model], field: str, text: str, label: str) -> str:
    try:
        return str(check_values(model, {field: text}, {field: label})[field])
    except OutOfLimits as exc:
        raise InvalidInput(field, exc.message) from None


def available(user: Any, submission: Submission) -> list[Transition]:
    return [t for t in TRANSITIONS.values()
            if submission.state in t.sources and t.allowed(user, submission.org)]


def rated_nodes(submission: Submission) -> list[FrameworkNode]:
    """Nodes an evaluator gives a level to, for this office."""
    return [
        n for n in submission.framework.nodes.order_by("position")
        if n.method in (Method.LEVELS_PER_ROUND, Method.SINGLE_LEVEL, Method.AGGREGATE,
                        Method.TARGET) and n.applies(submission.org)
    ]


def ratable_rounds(submission: Submission) -> list[str]:
    """The rounds an evaluator may rate from this submission: up to and including its own."""
    rounds = list(submission.framework.rounds)
    return rounds[: rounds.index(submission.round) + 1] if submission.round in rounds else []


def _check_before_submit(submission: Submission, confirm_incomplete: bool) -> list[str]:
    """Refuse what blocks a submission; return the gaps the reporter confirmed."""
    from tidtam.reporting.checks import run_checks
    from tidtam.reporting.completeness import gaps

    sched = submission.schedule()
    if sched and sched.block_late and timezone.localdate() > sched.due_on:
        raise TransitionRefused(
            f"เลยกำหนดส่ง ({thai_date(sched.due_on)}) "
            "และผู้ดูแลระบบปิดรับรายงานหลังกำหนดแล้ว"
        )
    findings = run_checks(submission)
    answered = set(submission.validation_answers.values_list("rule_code", flat=True))
    errors = [f.message_th for f in findings if f.severity == "error"]
    unanswered = [f.message_th for f in findings
                  if f.severity == "warning" and f.rule_code not in answered]
    if errors:
        raise TransitionRefused("ยังส่งไม่ได้: พบข้อผิดพลาดที่ต้องแก้ไขก่อน", errors)
    if unanswered:
        raise TransitionRefused("ยังส่งไม่ได้: มีคำเตือนที่ต้องระบุเหตุผล", unanswered)
    missing = [g.describe() for g in gaps(submission)]
    if missing and not confirm_incomplete:
        raise Incomplete(missing)
    return missing


def _check_before_finish(submission: Submission) -> None:
    rounds = ratable_rounds(submission)
    have = {
        (r.node_id, r.round)
        for r in Rating.objects.filter(org=submission.org, framework=submission.framework,
                                       round__in=rounds)
        if r.level is not None or r.status != Status.RATED
    }
    # A target node is rated by its result's observation, whoever typed it.
    have |= {(nid, rounds[-1]) for nid in actuals.observations_of(submission.org,
                                                                  submission.framework)}
    missing = [
        n.heading for n in rated_nodes(submission)
        if (n.pk, submission.round if n.method == Method.LEVELS_PER_ROUND else rounds[-1])
        not in have
    ]
    if missing:
        raise TransitionRefused("ยังยืนยันผลไม่ได้: ยังไม่ได้ให้ระดับคุณภาพ", missing)


def apply(user: Any, submission: Submission, name: str, comment: str = "",
          expected_version: int | None = None, confirm_incomplete: bool = False) -> Submission:
    t = TRANSITIONS.get(name)
    if t is None:
        raise InvalidInput("action", f"ไม่รู้จักการดำเนินการ '{name}'")
    if not t.allowed(user, submission.org):
        raise NotAllowed()
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        if expected_version is not None and sub.version != expected_version:
            raise Locked("สถานะรายงานเปลี่ยนไปแล้วโดยผู้อื่น กรุณาโหลดหน้าใหม่")
        if sub.state not in t.sources:
            raise Locked(f"รายงานอยู่ในสถานะ “{State(sub.state).label}” จึง{t.label_th}ไม่ได้")
        comment = _text(Submission, "return_comment", comment.strip(), "เหตุผล")
        if t.needs_comment and not comment:
            raise InvalidInput("comment", f"กรุณาระบุเหตุผลเมื่อ{t.label_th}")
        if t.name in ("submit", "resubmit"):
            missing = _check_before_submit(sub, confirm_incomplete)
            if missing:
                comment = "\n".join([comment, "ส่งโดยยังกรอกไม่ครบ:", *missing]).strip()
            sub.submitted_at = timezone.now()
        if t.name == "finish_rating":
            _check_before_finish(sub)
            sub.rated_at = timezone.now()
        if t.name == "approve":
            sub.approved_at = timezone.now()
        if t.name == "return":
            sub.return_comment = comment
        before = sub.state
        sub.state = t.target
        sub.version += 1
        sub.save()
        _pin_or_unpin(sub)
        record(user, Action.WORKFLOW, sub, target=t.label_th,
               before=State(before).label, after=State(sub.state).label, comment=comment)
        # The people concerned are told by a worker once this commits (notifications app).
        from tidtam.notifications.tasks import transition_on_commit

        transition_on_commit(user, sub, t.name, comment)
    return sub


def _pin_or_unpin(sub: Submission) -> None:
    """A sent report shows what it was sent with; one that is back with its office, live values."""
    from tidtam.measures import store
    from tidtam.reporting import figures, narratives

    if sub.state in figures.PINNED_STATES:
        if store.pinned_document(sub) is None:  # rating or approving keeps what was sent
            narratives.pin(sub, figures.pin(sub))
        elif sub.state == State.APPROVED:
            # The evaluator's corrected results become what the approved report prints.
            store.repin(sub, list(actuals.observations_of(sub.org, sub.framework).values()))
    else:
        figures.unpin(sub)


def answer_warning(user: Any, submission: Submission, rule_code: str, reason: str) -> None:
    from tidtam.reporting.editing import ensure_editable

    ensure_editable(user, submission)
    reason = _text(ValidationAnswer, "reason", reason.strip(), f"เหตุผลของคำเตือน {rule_code}")
    if not reason:
        raise InvalidInput("reason", "กรุณาระบุเหตุผล")
    with transaction.atomic():
        old = ValidationAnswer.objects.filter(submission=submission, rule_code=rule_code).first()
        answer, _ = ValidationAnswer.objects.update_or_create(
            submission=submission, rule_code=rule_code,
            defaults={"reason": reason, "answered_by": user},
        )
        rule = ValidationRule.objects.filter(framework=submission.framework,
                                             code=rule_code).first()
        record(user, Action.ANSWER, answer,
               target=f"คำเตือน: {rule.name_th}" if rule else f"คำเตือน {rule_code}",
               before=old.reason if old else None, after=reason)


# The limits the rating screen always had (also the e-MES import's).
ACTUAL_LIMIT = FigureLimit.of(Rating._meta.get_field("target_value"))


def _may_rate(user: Any, submission: Submission) -> None:
    if not can_rate(user, submission.org):
        raise NotAllowed()
    if not submission.is_ratable:
        raise Locked(f"รายงานอยู่ในสถานะ “{State(submission.state).label}” จึงให้ระดับคุณภาพไม่ได้")


def _where(submission: Submission, node: FrameworkNode, round_: str) -> str:
    """How the rating screen names a cell: ตัวชี้วัดที่ 2 รอบ 6 เดือน."""
    return f"{node.heading} {dict(submission.framework.round_labels()).get(round_, round_)}"


def _refusal(submission: Submission, node: FrameworkNode, round_: str,
             level: int | None) -> tuple[str, str] | None:
    """(field, Thai message naming the indicator and round) if this rating can't be set."""
    if node.framework_id != submission.framework_id or not node.applies(submission.org):
        return "node", f"{node.heading} ไม่ใช่ตัวชี้วัดที่ประเมินสำหรับหน่วยงานนี้"
    if round_ not in ratable_rounds(submission):
        return "round", f"{node.heading}: ให้ระดับคุณภาพรอบ '{round_}' จากรายงานนี้ไม่ได้"
    if level is not None and not 1 <= level <= 5:
        return "level", (
            f"{_where(submission, node, round_)}: ระดับคุณภาพต้องเป็น 1–5 แต่พบ {level}")
    return None


EXPLICIT = (Status.MONITORED, Status.IN_PROGRESS, Status.UNSCORED)


def set_ratings(user: Any, submission: Submission,
                cells: list[tuple[FrameworkNode, str, str]]) -> int:
    """The rating screen's cells (node, round, what was chosen), all or none.

    Every cell is checked before any is written, and every refused cell is
    named ("ตัวชี้วัดที่ 2 รอบ 6 เดือน: …"): a form with one bad level
    changes nothing. Returns how many cells were given.
    """
    _may_rate(user, submission)
    parsed: list[tuple[FrameworkNode, str, int | None, str]] = []
    problems: list[str] = []
    for node, round_, raw in cells:
        if raw in EXPLICIT:
            level, status = None, raw
        else:
            try:
                level, status = int(raw), Status.RATED
            except ValueError:
                problems.append(f"{_where(submission, node, round_)}: ระดับ '{raw}' ไม่ถูกต้อง")
                continue
        refused = _refusal(submission, node, round_, level)
        if refused is not None:
            problems.append(refused[1])
            continue
        parsed.append((node, round_, level, status))
    if problems:
        raise InvalidInput("level", "ยังไม่ได้บันทึกระดับคุณภาพใดเลย: " + "; ".join(problems))
    with transaction.atomic():
        for node, round_, level, status in parsed:
            set_rating(user, submission, node, round_, level, status)
    return len(parsed)


def set_rating(user: Any, submission: Submission, node: FrameworkNode, round_: str,
               level: int | None, status: str = Status.RATED,
               actual: Any = None) -> Rating:
    """The evaluator's level for one indicator and round, recorded in the audit log."""
    _may_rate(user, submission)
    refused = _refusal(submission, node, round_, level)
    if refused is not None:
        raise InvalidInput(*refused)
    if actual is not None:
        try:
            actual = check_figure(actual, ACTUAL_LIMIT)
        except OutOfLimits as exc:
            raise InvalidInput("actual", f"{_where(submission, node, round_)}: ผลการดำเนินงาน: "
                                         f"{exc.message}") from None
        if actuals.binding(node) is None:
            raise InvalidInput("actual", f"{_where(submission, node, round_)}: "
                                         "ตัวชี้วัดนี้ไม่มีผลการดำเนินงานให้บันทึก")
    with transaction.atomic():
        if actual is not None:
            _write_actual(user, submission, node, actual)
        rating, created = Rating.objects.get_or_create(
            org=submission.org, framework=submission.framework, node=node, round=round_,
            defaults={"status": status, "level": level},
        )
        before = None if created else rating.audit_values()
        rating.level, rating.status, rating.rated_by = level, status, user
        rating.save()
        after = rating.audit_values()
        if before != after:
            round_label = dict(submission.framework.round_labels()).get(round_, round_)
            record(user, Action.RATING, rating, target=f"{node.heading} · {round_label}",
                   submission=submission, before=before, after=after)
    return rating


def _write_actual(user: Any, submission: Submission, node: FrameworkNode, actual: Any) -> None:
    """The evaluator's result for a target node: the node's one observation, audited."""
    try:
        written = actuals.write(user, submission.org, node, actual,
                                source_kind=SourceKind.TYPED,
                                source={"screen": "rating", "submission": submission.pk,
                                        "framework": submission.framework.code,
                                        "node": node.code,
                                        "by": getattr(user, "username", "")})
    except ValueRefused as exc:
        raise InvalidInput("actual", f"{node.heading}: ผลการดำเนินงาน: {exc}") from None
    if written.changed:
        obs = written.observation
        record(user, Action.OBSERVATION, obs,
               target=f"{obs.measure.name_th} ({obs.period.label_th})", org=submission.org,
               submission=submission, before=written.before or None, after=obs.text,
               comment="บันทึกจากหน้าจอให้ระดับคุณภาพ")
