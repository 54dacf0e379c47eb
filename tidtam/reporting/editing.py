"""Changing a submission's content: figures, narratives, problems, best practices.

Each function checks permission and state, saves with an optimistic version
check (``UPDATE … WHERE version = n``: whoever saves second gets a Conflict
carrying the other person's text, and loses nothing), and writes the audit
log. Views and the API call these and nothing lower.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from tidtam.accounts.people import person_name
from tidtam.accounts.permissions import can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.frameworks.models import DataElement, FrameworkNode
from tidtam.measures import store
from tidtam.narratives import store as blocks
from tidtam.narratives.models import Block, BlockKind, Level, blocks_for
from tidtam.reporting import figures, narratives
from tidtam.reporting.errors import Conflict, InvalidInput, Locked, NotAllowed
from tidtam.reporting.models import IndicatorReport, State, Submission


def ensure_editable(user: Any, submission: Submission) -> None:
    if not can_report(user, submission.org):
        raise NotAllowed()
    if not submission.is_editable:
        raise Locked(
            f"รายงานนี้อยู่ในสถานะ “{State(submission.state).label}” จึงแก้ไขไม่ได้"
            + (" (แก้ไขได้เมื่อผู้อนุมัติเปิดแก้ไข)" if submission.state == State.APPROVED else "")
        )


def report_for(submission: Submission, node: FrameworkNode) -> IndicatorReport:
    report, _ = IndicatorReport.objects.get_or_create(submission=submission, node=node)
    # The caller's objects, already loaded (with the office and framework): reading
    # them again through the report's foreign keys cost an autosave four queries.
    report.submission, report.node = submission, node
    return report


def report_for_checked(user: Any, submission: Submission, node: FrameworkNode
                       ) -> IndicatorReport:
    """The indicator's report, after checking the user may edit it (views and API)."""
    ensure_editable(user, submission)
    if not node.applies(submission.org):
        raise InvalidInput("node", f"{node.heading} ไม่ใช้กับหน่วยงานนี้")
    return report_for(submission, node)


def _who(obj: Model) -> str:
    return person_name(getattr(obj, "updated_by", None), "ผู้ใช้อื่น")


def versioned_update(
    model: type[Model], pk: int, version: int, values: dict[str, Any], user: Any,
    current: dict[str, Any],
) -> int:
    """Apply ``values`` only if the row is still at ``version``; return the new version.

    Otherwise raise ``Conflict`` with the row's fresh values of the fields in
    ``current``. Any model with ``version``, ``updated_by`` and ``updated_at``
    can use it (quarterly plan progress does).
    """
    fresh: Any
    updated = model._default_manager.filter(pk=pk, version=version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if not updated:
        fresh = model._default_manager.select_related("updated_by").get(pk=pk)
        raise Conflict(
            {k: getattr(fresh, k) for k in current}, fresh.version, _who(fresh), fresh.updated_at
        )
    return version + 1


def save_value(
    user: Any, report: IndicatorReport, element: DataElement, text: str, version: int
) -> figures.Figure:
    """Store a figure typed in the indicator's form: the observation its binding reads.

    ``version`` is the observation's version the form loaded (0 when there was
    none). Every other form that binds the same measure for the same office and
    period shows the new value at once.
    """
    return save_value_in_form(user, report, element, text, version)[element.pk]


def save_value_in_form(
    user: Any, report: IndicatorReport, element: DataElement, text: str, version: int
) -> dict[int, figures.Figure]:
    """``save_value``, answered with every figure of the indicator's form (element id →
    figure): the form checks its rules against them without reading them again."""
    submission = report.submission
    ensure_editable(user, submission)
    if element.node_id != report.node_id:
        raise InvalidInput(element.key, "รายการข้อมูลนี้ไม่ใช่ของตัวชี้วัดนี้")
    try:
        with transaction.atomic():
            written = figures.write(user, submission, element, text, version)
            if written.changed:
                record(user, Action.VALUE, written.observation,
                       target=f"{report.node.heading} · {element.name_th}",
                       submission=submission, before=written.before,
                       after=written.observation.text)
    except store.ValueRefused as exc:
        raise InvalidInput(element.key, f"{element.name_th}: {exc}") from None
    except store.ObservationConflict as exc:
        obs = exc.observation
        raise Conflict({"text": obs.text}, obs.version, _who(obs), obs.updated_at) from None
    return figures.figures(submission, [report.node])


# --- narrative blocks ----------------------------------------------------------------


def _slot(report: IndicatorReport, code: str) -> tuple[dict[str, str], BlockKind, Level | None]:
    slot = report.submission.framework.slot(code)
    if slot is None:
        raise InvalidInput("kind", f"ไม่รู้จักหัวข้อ '{code}'")
    kind = BlockKind.objects.get(code=slot["kind"])
    level = Level.objects.get(code=slot["level"]) if slot["level"] else None
    return slot, kind, level


def _slot_of_kind(report: IndicatorReport, kind_code: str) -> str:
    for s in report.submission.framework.narrative_slots:
        if s["kind"] == kind_code:
            return s["code"]
    raise InvalidInput("kind", f"แบบรายงานนี้ไม่มีหัวข้อประเภท '{kind_code}'")


def block_of(report: IndicatorReport, pk: int) -> Block | None:
    """The block ``pk`` if this indicator's form shows it (same office, topic and period)."""
    sub = report.submission
    return blocks_for(sub.org, report.node, narratives.period_of(sub)).filter(pk=pk).first()


def _shown(report: IndicatorReport, block: Block) -> Block:
    if block_of(report, block.pk) is None:
        raise InvalidInput("block", "ข้อความนี้ไม่ได้อยู่ในตัวชี้วัดนี้")
    return block


def _label(report: IndicatorReport, block: Block) -> str:
    level = f" ({block.level.short_th})" if block.level else ""
    return f"{report.node.heading} · {block.kind.name_th}{level}"


def _labels(report: IndicatorReport, block_kind: BlockKind, slot: str = "") -> dict[str, str]:
    """How a refused field is named: the text by its heading and slot, the rest by name."""
    label = next((s["label"] for s in report.submission.framework.narrative_slots
                  if s["code"] == slot), block_kind.name_th)
    return {"text": f"{report.node.heading} · {label}", "unit_name": "หน่วยงาน/สถานศึกษา",
            "title": "ชื่อผลงาน/รูปแบบ", "solutions": "วิธีการ/แนวทางการแก้ไข",
            "steps": "ขั้นตอน"}


def _save(user: Any, report: IndicatorReport, block: Block, content: dict[str, Any],
          version: int, action: str, *, set_level: bool = False,
          level: Level | None = None, shown: bool = False) -> Block:
    """``shown``: the block was just found among the form's own (no need to look again)."""
    ensure_editable(user, report.submission)
    if not shown:
        _shown(report, block)
    try:
        with transaction.atomic():
            saved, before = blocks.save(user, block, content, version, set_level=set_level,
                                        level=level,
                                        labels=_labels(report, block.kind,
                                                       block.source.get("slot", "")))
            if before != saved.content():
                record(user, action, saved, target=_label(report, saved),
                       submission=report.submission,
                       before=_audit_text(before, saved.kind),
                       after=_audit_text(saved.content(), saved.kind))
    except blocks.BlockRefused as exc:
        raise InvalidInput(exc.field or action, exc.message) from None
    except blocks.BlockConflict as exc:
        fresh = exc.block
        raise Conflict({k: getattr(fresh, k) for k in content}, fresh.version, _who(fresh),
                       fresh.updated_at) from None
    return saved


def _audit_text(content: dict[str, Any], kind: BlockKind) -> Any:
    """What the audit log keeps of a block: a paragraph's words, or its non-empty fields."""
    kept = {k: v for k, v in content.items() if v}
    if kind.solutions or kind.practice:
        return kept
    return kept.get("text", "")


def _create(user: Any, report: IndicatorReport, slot_code: str, content: dict[str, Any],
            action: str) -> Block:
    ensure_editable(user, report.submission)
    _slot_def, kind, level = _slot(report, slot_code)
    sub = report.submission
    try:
        with transaction.atomic():
            block = blocks.create(
                user, sub.org, report.node, narratives.period_of(sub), kind, level, content,
                source={"submission": sub.pk, "framework": sub.framework.code,
                        "node": report.node.code, "slot": slot_code},
                labels=_labels(report, kind, slot_code))
            record(user, action, block, target=_label(report, block), submission=sub,
                   after=_audit_text(block.content(), kind) or "(เพิ่มรายการ)")
    except blocks.BlockRefused as exc:
        raise InvalidInput(exc.field or action, exc.message) from None
    return block


def save_narrative(user: Any, report: IndicatorReport, slot: str, text: str, version: int,
                   block: Block | None = None) -> Block:
    """A slot's text; without ``block``, its first block (created on the first save)."""
    ensure_editable(user, report.submission)
    if block is None:
        shown = next((s for s in narratives.slots(report.submission, report.node)
                      if s.code == slot), None)
        if shown is None:
            raise InvalidInput("kind", f"ไม่รู้จักหัวข้อ '{slot}'")
        if shown.first is None:
            if version:  # it existed when the form was loaded: someone deleted it since
                raise Conflict({"text": ""}, 0, "ผู้ใช้อื่น", None)
            return _create(user, report, slot, {"text": text}, Action.NARRATIVE)
        return _save(user, report, shown.first.block, {"text": text}, version,
                     Action.NARRATIVE, shown=True)
    return _save(user, report, block, {"text": text}, version, Action.NARRATIVE)


def add_block(user: Any, report: IndicatorReport, slot: str) -> Block:
    """Another paragraph in a slot."""
    return _create(user, report, slot, {}, Action.NARRATIVE)


def add_problem(user: Any, report: IndicatorReport) -> Block:
    return _create(user, report, _slot_of_kind(report, "problem"), {}, Action.PROBLEM)


def save_problem(user: Any, report: IndicatorReport, block: Block, problem: str, solution: str,
                 version: int, level: str | None = None) -> Block:
    """A problem and how it was (or should be) solved; ``level`` whom it is for (or "")."""
    chosen = Level.objects.filter(code=level).first() if level else None
    if level and chosen is None:
        raise InvalidInput("level", f"ไม่รู้จักระดับ '{level}'")
    solutions = [line for line in solution.split("\n") if line.strip()]
    return _save(user, report, block, {"text": problem, "solutions": solutions}, version,
                 Action.PROBLEM, set_level=level is not None, level=chosen)


def delete_problem(user: Any, report: IndicatorReport, block: Block, version: int) -> None:
    _delete(user, report, block, version, Action.PROBLEM_DELETE)


def _delete(user: Any, report: IndicatorReport, block: Block, version: int,
            action: str) -> None:
    ensure_editable(user, report.submission)
    _shown(report, block)
    with transaction.atomic():
        try:
            blocks.delete(user, block, version)
        except blocks.BlockConflict as exc:
            fresh = exc.block
            raise Conflict({"problem": fresh.text, "solution": fresh.solution}, fresh.version,
                           _who(fresh), fresh.updated_at) from None
        record(user, action, block, target=_label(report, block),
               submission=report.submission, before=_audit_text(block.content(), block.kind))


def add_best_practice(user: Any, report: IndicatorReport) -> Block:
    return _create(user, report, _slot_of_kind(report, "best_practice"), {},
                   Action.BEST_PRACTICE)


def save_best_practice(user: Any, report: IndicatorReport, block: Block, unit_name: str,
                       model_name: str, steps: str, version: int) -> Block:
    return _save(user, report, block,
                 {"unit_name": unit_name, "title": model_name, "text": steps}, version,
                 Action.BEST_PRACTICE)


def delete_best_practice(user: Any, report: IndicatorReport, block: Block,
                         version: int | None = None) -> None:
    _delete(user, report, block, block.version if version is None else version,
            Action.BEST_PRACTICE_DELETE)
