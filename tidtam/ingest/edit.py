"""Fixing an e-MES draft before it is accepted: levels, target/actual, recommendations.

Old sheets have misprints and lines the extraction mangled; the reviewer
corrects what the draft will write, beside the source text. Edits are
checked like an accepted draft would be (``preview_sheet`` runs the ratings
through ``import_ratings`` in a transaction that is rolled back), refused as
a whole with Thai messages naming the row, guarded against a concurrent edit
by a version of the draft's rows, and audited with before and after.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.evaluation.importer import OVERALL
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.ingest.emes_sheet import SheetRejected, preview_sheet
from tidtam.ingest.models import ImportedSheet, ImportKind, ImportStatus
from tidtam.limits import MAX_TEXT, OutOfLimits, check_text
from tidtam.thai.numbers import to_arabic_digits
from tidtam.thai.parse import parse_number

LEVELS = {"", "-", "1", "2", "3", "4", "5"}
AUDIT_ACTION = Action.IMPORT_EDIT


def version(draft: ImportedSheet) -> str:
    """What the reviewer saw: changes whenever anyone saves the draft's rows."""
    data = json.dumps([draft.ratings, draft.recommendations], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(data.encode()).hexdigest()[:16]


@dataclass
class EditRow:
    index: int
    heading: str
    round: str
    level: str
    target: str
    actual: str
    rated: bool  # the row takes a level (not a target/actual figure)
    line: str  # where the document printed it


@dataclass
class EditForm:
    rows: list[EditRow]
    recommendations: list[tuple[int, str, str]]  # (index, heading, text)
    errors: list[str] = field(default_factory=list)


def _headings(draft: ImportedSheet) -> dict[tuple[str, str], str]:
    return {
        (n.framework.code, n.code): f"{n.framework.name_th} {n.heading}"
        for n in FrameworkNode.objects.filter(framework__fiscal_year=draft.fiscal_year)
        .select_related("framework")
    }


def _round_labels(draft: ImportedSheet) -> dict[tuple[str, str], str]:
    return {
        (fw.code, code): label
        for fw in Framework.objects.filter(fiscal_year=draft.fiscal_year)
        for code, label in fw.round_labels()
    }


def edit_form(draft: ImportedSheet, posted: dict[str, str] | None = None) -> EditForm:
    """The draft's rows as a form; ``posted`` (what was typed) wins over what's stored."""
    headings, rounds = _headings(draft), _round_labels(draft)
    posted = posted or {}
    rows = []
    for i, r in enumerate(draft.ratings):
        key = (r["framework"], r["node"])
        heading = headings.get(key, "ภาพรวม" if r["node"] == OVERALL else r["node"])
        rows.append(EditRow(
            index=i, heading=heading, round=rounds.get((r["framework"], r["round"]), r["round"]),
            level=posted.get(f"level-{i}", r.get("level", "")),
            target=posted.get(f"target-{i}", r.get("target", "")),
            actual=posted.get(f"actual-{i}", r.get("actual", "")),
            rated=not (r.get("target") or r.get("actual")),
            line=str(r.get("line") or ""),
        ))
    recs = [
        (i, headings.get((r["framework"], r["node"]), r["node"]),
         posted.get(f"rec-{i}", r["text"]))
        for i, r in enumerate(draft.recommendations)
    ]
    return EditForm(rows=rows, recommendations=recs)


def _typed(posted: dict[str, str], key: str, stored: Any) -> str:
    """What the form sent for ``key``; the stored value when the field wasn't sent."""
    value = posted.get(key)
    if value is None:
        return "" if stored is None else str(stored)
    return value


class EditRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _number_or_blank(text: str, where: str, what: str, errors: list[str]) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        return str(parse_number(text))
    except ValueError as exc:
        errors.append(f"{where}: {what} \"{text}\" — {exc}")
        return text


def apply_edits(draft_id: int, posted: dict[str, str], seen_version: str, user: Any) -> int:
    """Write the reviewer's corrections to the draft; returns how many fields changed."""
    with transaction.atomic():
        draft = ImportedSheet.objects.select_for_update().select_related("org").get(pk=draft_id)
        if draft.status != ImportStatus.DRAFT:
            raise EditRefused([f"เอกสารนี้{draft.get_status_display()}ไปแล้ว แก้ไขไม่ได้"])
        if draft.kind != ImportKind.EMES_SHEET:
            raise EditRefused(["เอกสารประเภทนี้ยังแก้ไขในหน้านี้ไม่ได้"])
        if seen_version != version(draft):
            raise EditRefused([
                "มีผู้แก้ไขร่างนี้หลังจากที่คุณเปิดหน้า ข้อมูลที่คุณพิมพ์ยังอยู่ในแบบฟอร์ม "
                "— ตรวจค่าล่าสุดแล้วบันทึกอีกครั้ง"
            ])
        form = edit_form(draft)
        errors: list[str] = []
        ratings = [dict(r) for r in draft.ratings]
        changed: list[dict[str, Any]] = []
        for row, stored in zip(form.rows, ratings, strict=True):
            where = f"{row.heading} ({row.round})"
            new = dict(stored)
            level = to_arabic_digits(_typed(posted, f"level-{row.index}", stored.get("level")))
            level = level.strip()
            if level not in LEVELS:
                errors.append(f"{where}: ระดับคุณภาพต้องเป็น 1–5 หรือ - (ไม่ประเมิน) แต่กรอก {level}")
                continue
            if level != stored.get("level", ""):
                new["level"] = level
                # A level given replaces the status the document implied (unscored, …).
                new["status"] = ""
            for name, label in (("target", "ค่าเป้าหมาย"), ("actual", "ผลการดำเนินงาน")):
                typed = _typed(posted, f"{name}-{row.index}", stored.get(name))
                value = _number_or_blank(typed, where, label, errors)
                if value != stored.get(name, "") and typed.strip() != stored.get(name, ""):
                    new[name] = value
            if new != stored:
                changed.append({"row": where, "before": stored, "after": new})
                ratings[row.index] = new
        recs = [dict(r) for r in draft.recommendations]
        for index, heading, _ in form.recommendations:
            text = _typed(posted, f"rec-{index}", recs[index]["text"]).strip()
            try:
                text = check_text(text, f"ข้อเสนอแนะ {heading}", MAX_TEXT)
            except OutOfLimits as exc:
                errors.append(exc.message)
                continue
            if not text:
                errors.append(f"ข้อเสนอแนะ {heading}: ว่างไม่ได้ (ลบทั้งข้อไม่ได้ในหน้านี้)")
            elif text != recs[index]["text"]:
                changed.append({"row": f"ข้อเสนอแนะ {heading}",
                                "before": recs[index]["text"], "after": text})
                recs[index] = dict(recs[index], text=text)
        if errors:
            raise EditRefused(errors)
        if not changed:
            return 0
        try:
            preview_sheet(draft.org, draft.fiscal_year, ratings, recs)
        except SheetRejected as exc:
            raise EditRefused([p.message for p in exc.problems]) from None
        draft.ratings, draft.recommendations = ratings, recs
        draft.save(update_fields=["ratings", "recommendations"])
        record(
            user, AUDIT_ACTION, draft, target=f"ร่างนำเข้าเลขที่ {draft.pk} ({draft.source_name})",
            org=draft.org, before=[c["before"] for c in changed],
            after=[c["after"] for c in changed],
            comment="; ".join(c["row"] for c in changed),
        )
    return len(changed)
