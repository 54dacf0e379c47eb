"""Drafts: store what an import read, then accept it into the office's ratings or reject it.

Accepting hands the draft to its kind's handler (kinds.py) in one
transaction with the draft's new status. For an e-MES sheet that writes the
ratings through ``import_ratings`` (the path of ``tidtam ratings import``,
with all its checks) and the recommendations. It never overwrites: if the
office already has a different value for any rating the draft carries, the
draft is refused with the list of conflicts and nothing changes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.csvfiles import ImportFailed
from tidtam.evaluation.importer import OVERALL, import_ratings
from tidtam.evaluation.models import Rating, Recommendation, Status
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.ingest.emes_sheet import ParsedSheet, ratings_csv
from tidtam.ingest.kinds import Outcome, Parsed, handler
from tidtam.ingest.models import ImportedSheet, ImportKind, ImportStatus
from tidtam.limits import MAX_IMPORT_BYTES, MAX_TEXT, OutOfLimits, check_text

AnyUser = AbstractBaseUser | AnonymousUser
SOURCE_EDIT_ACTION = Action.IMPORT_SOURCE_EDIT


class DraftRefused(Exception):
    """Accepting (or rejecting) isn't possible; the message is for the user, in Thai."""


def create_draft(parsed: ParsedSheet, raw_text: str, user: Any = None) -> ImportedSheet:
    """An e-MES sheet as a draft (other kinds store theirs through ``store_draft``)."""
    data = parsed.as_json()
    meta = data.pop("import")
    return _created(user, ImportedSheet.objects.create(
        kind=ImportKind.EMES_SHEET, org=parsed.org, fiscal_year=parsed.fiscal_year,
        source_name=parsed.source_name[:255], raw_text=raw_text,
        repaired_text=parsed.repaired_text, content=data,
        discrepancies=meta["discrepancies"], notes=meta["notes"], ratings=meta["ratings"],
        recommendations=meta["recommendations"],
        created_by=user if user is not None and user.is_authenticated else None,
    ))


def _created(user: Any, draft: ImportedSheet) -> ImportedSheet:
    record(user, Action.IMPORT_DRAFT, draft, target=_name(draft),
           after={"source": draft.source_name, **draft.summary()})
    return draft


def _name(draft: ImportedSheet) -> str:
    return f"ร่างนำเข้าเลขที่ {draft.pk} ({draft.source_name})"


def store_draft(
    kind: str, parsed: Parsed, raw_text: str, user: Any = None, *,
    discrepancies: Iterable[dict[str, Any]] = (), notes: Iterable[dict[str, Any]] = (),
) -> ImportedSheet:
    """Any kind of document as a draft.

    ``discrepancies`` are dicts with ``line``, ``message``, ``printed`` and
    ``computed`` (figures the document prints that don't add up); ``notes``
    are dicts with ``line`` and ``message`` (what is missing, "none", repeated).
    The review page shows both beside the repaired text.
    """
    return _created(user, ImportedSheet.objects.create(
        kind=kind, org=parsed.org, fiscal_year=parsed.fiscal_year,
        source_name=parsed.source_name[:255], raw_text=raw_text,
        repaired_text=parsed.repaired_text, content=parsed.as_json(),
        discrepancies=list(discrepancies), notes=list(notes),
        created_by=user if user is not None and user.is_authenticated else None,
    ))


@dataclass
class Accepted:
    created: int
    updated: int
    unchanged: int
    recommendations: int

    def summary(self) -> str:
        return (
            f"รับเข้าแล้ว: ผลการประเมินเพิ่มใหม่ {self.created} แก้ไข {self.updated} "
            f"ไม่เปลี่ยนแปลง {self.unchanged} · ข้อเสนอแนะ {self.recommendations} รายการ"
        )


def _values(row: dict[str, str]) -> tuple[str, int | None, Decimal | None, Decimal | None]:
    """What a rating row will store: (status, level, target, actual)."""
    level_text = row.get("level", "")
    status = row.get("status", "")
    if level_text == "-":
        status, level = Status.NOT_APPLICABLE, None
    elif level_text:
        status, level = Status.RATED, int(level_text)
    else:
        status, level = status or Status.RATED, None
    target = Decimal(row["target"]) if row.get("target") else None
    actual = Decimal(row["actual"]) if row.get("actual") else None
    return status, level, target, actual


def conflicts(draft: ImportedSheet) -> list[str]:
    """Stored ratings of the office that the draft would change (Thai, one per rating)."""
    frameworks = {
        f.code: f for f in Framework.objects.filter(fiscal_year=draft.fiscal_year)
    }
    nodes = {
        (n.framework.code, n.code): n
        for n in FrameworkNode.objects.filter(framework__fiscal_year=draft.fiscal_year)
        .select_related("framework")
    }
    existing = {
        (r.framework.code, r.node.code if r.node else OVERALL, r.round): r
        for r in Rating.objects.filter(
            org=draft.org, framework__fiscal_year=draft.fiscal_year
        ).select_related("framework", "node")
    }
    out = []
    for row in draft.ratings:
        key = (row["framework"], row["node"], row["round"])
        stored = existing.get(key)
        if stored is None or row["framework"] not in frameworks:
            continue
        status, level, target, _actual = _values(row)
        same = (
            # The actual is an observation now: a different one is a disagreement
            # listed on import, not a rating the draft would overwrite.
            stored.status == status and stored.level == level
            and (target is None or stored.target_value == target)
        )
        if not same:
            node = nodes.get((row["framework"], row["node"]))
            what = node.heading if node else "ภาพรวม"
            have = stored.level if stored.level is not None else stored.get_status_display()
            want = level if level is not None else Status(status).label
            out.append(
                f"{frameworks[row['framework']].full_name} {what} ({row['round']}): "
                f"ในระบบ {have} แต่เอกสาร {want} (บรรทัดที่ {row.get('line', '-')})"
            )
    return out


def accept(draft_id: int, user: Any) -> Outcome:
    """Accept a draft: its kind's handler writes the real records, all or nothing."""
    with transaction.atomic():
        draft = ImportedSheet.objects.select_for_update().select_related("org").get(pk=draft_id)
        if draft.status != ImportStatus.DRAFT:
            raise DraftRefused(f"เอกสารนี้{draft.get_status_display()}ไปแล้ว")
        done = handler(draft.kind).accept(draft, user)
        draft.status = ImportStatus.ACCEPTED
        draft.decided_by = user if user is not None and user.is_authenticated else None
        draft.decided_at = timezone.now()
        draft.decision_note = done.summary()
        draft.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(user, Action.IMPORT_ACCEPT, draft, target=_name(draft),
               before={"status": ImportStatus.DRAFT},
               after={"status": draft.status, "summary": draft.decision_note})
    return done


def accept_sheet(draft: ImportedSheet, user: Any) -> Accepted:
    """An e-MES sheet: its ratings through ``import_ratings``, then its recommendations."""
    clashes = conflicts(draft)
    if clashes:
        raise DraftRefused(
            "ไม่รับเข้า เพราะจะเขียนทับผลการประเมินที่มีอยู่แล้วของ "
            f"{draft.org.display_name}:\n" + "\n".join(f"- {c}" for c in clashes)
        )
    rows = [dict(r, org_code=draft.org.code) for r in draft.ratings]
    comment = f"รับเข้าจาก{_name(draft)}"
    try:
        result = import_ratings(ratings_csv(rows), user=user, comment=comment,
                                source={"file": draft.source_name, "draft": draft.pk})
    except ImportFailed as exc:
        raise DraftRefused(exc.report()) from None
    written = _write_recommendations(draft, user, comment)
    return Accepted(result.created, result.updated, result.unchanged, written)


def _write_recommendations(draft: ImportedSheet, user: Any, comment: str) -> int:
    nodes = {
        (n.framework.code, n.code): n
        for n in FrameworkNode.objects.filter(framework__fiscal_year=draft.fiscal_year)
        .select_related("framework")
    }
    written = 0
    for rec in draft.recommendations:
        node = nodes.get((rec["framework"], rec["node"]))
        if node is None:
            continue
        existing = Recommendation.objects.filter(org=draft.org, node=node).first()
        if existing is None:
            made = Recommendation.objects.create(org=draft.org, node=node, text=rec["text"])
            record(user, Action.RECOMMENDATION_IMPORT, made,
                   target=f"ข้อเสนอแนะ {node.framework.full_name} {node.heading}",
                   after={"text": made.text}, comment=comment)
            written += 1
        elif "".join(existing.text.split()) != "".join(rec["text"].split()):
            # An evaluator's stored wording stays; the draft's differing text is
            # noted rather than written over it.
            raise DraftRefused(
                f"ไม่รับเข้า เพราะ{draft.org.display_name} มีข้อเสนอแนะ{node.heading} "
                f"อยู่แล้วและต่างจากในเอกสาร (บรรทัดที่ {rec.get('line', '-')})"
            )
    return written


def reject(draft_id: int, user: Any, reason: str = "") -> ImportedSheet:
    with transaction.atomic():
        draft = ImportedSheet.objects.select_for_update().get(pk=draft_id)
        if draft.status != ImportStatus.DRAFT:
            raise DraftRefused(f"เอกสารนี้{draft.get_status_display()}ไปแล้ว")
        draft.status = ImportStatus.REJECTED
        draft.decided_by = user if user is not None and user.is_authenticated else None
        draft.decided_at = timezone.now()
        draft.decision_note = _checked(reason.strip(), "เหตุผลที่ไม่รับ", MAX_TEXT)
        draft.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(user, Action.IMPORT_REJECT, draft, target=_name(draft),
               before={"status": ImportStatus.DRAFT}, after={"status": draft.status},
               comment=draft.decision_note)
    return draft


def _checked(text: str, label: str, max_length: int, document: bool = False) -> str:
    try:
        return check_text(text, label, max_length, document=document)
    except OutOfLimits as exc:
        raise DraftRefused(exc.message) from None


def changed_lines(before: str, after: str, limit: int = 200) -> list[dict[str, Any]]:
    """The lines a correction changed, by line number of the text before it."""
    out: list[dict[str, Any]] = []
    old, new = before.split("\n"), after.split("\n")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        out.append({
            "line": i1 + 1, "before": "\n".join(old[i1:i2]), "after": "\n".join(new[j1:j2]),
        })
        if len(out) >= limit:
            break
    return out


def reread(draft_id: int, text: str, user: Any) -> ImportedSheet:
    """Read a corrected source text again into a new draft that supersedes this one.

    For lines the extraction garbled beyond repair: the reviewer fixes the
    text beside the draft and the document is parsed again, all or nothing
    (``ImportRejected`` leaves both the old draft and what was typed alone).
    The original file stays the new draft's raw text; every changed line is
    audited.
    """
    with transaction.atomic():
        draft = ImportedSheet.objects.select_for_update().select_related("org").get(pk=draft_id)
        if draft.status != ImportStatus.DRAFT:
            raise DraftRefused(f"เอกสารนี้{draft.get_status_display()}ไปแล้ว แก้ข้อความไม่ได้")
        text = _checked(text, "ข้อความต้นฉบับที่แก้", MAX_IMPORT_BYTES, document=True).replace("\r", "\n")
        changes = changed_lines(draft.repaired_text, text)
        if not changes:
            raise DraftRefused("ข้อความไม่ได้เปลี่ยน จึงไม่ได้อ่านใหม่")
        kind = handler(draft.kind)
        parsed = kind.parse(text, draft.source_name, draft.org)
        if parsed.org.pk != draft.org_id:
            raise DraftRefused(
                f"ข้อความที่แก้อ่านได้เป็นเอกสารของ{parsed.org.display_name} "
                f"ไม่ใช่{draft.org.display_name} จึงไม่ได้บันทึก"
            )
        fresh = kind.create_draft(parsed, draft.raw_text, user)
        fresh.previous = draft
        fresh.save(update_fields=["previous"])
        draft.status = ImportStatus.SUPERSEDED
        draft.decided_by = user if user is not None and user.is_authenticated else None
        draft.decided_at = timezone.now()
        draft.decision_note = (
            f"แก้ข้อความ {len(changes)} จุดแล้วอ่านใหม่เป็นร่างเลขที่ {fresh.pk}"
        )
        draft.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            user, SOURCE_EDIT_ACTION, draft, target=_name(draft),
            org=draft.org, before=[c["before"] for c in changes],
            after=[c["after"] for c in changes],
            comment=f"แก้บรรทัดที่ {', '.join(str(c['line']) for c in changes[:20])} "
                    f"→ ร่างเลขที่ {fresh.pk}",
        )
    return fresh
