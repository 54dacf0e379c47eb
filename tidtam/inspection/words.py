"""Words once: an issue's sub-sections read and write the narrative blocks of its topic.

An issue linked in the crosswalk to a topic (3.1 ↔ dropouts, with QP2 and ESA
3.4.2) shows, in each unit's contribution, the unit's blocks of that topic for
the inspection round's period — the very blocks its QP2 form shows — and a
block written or edited here is that block. Each sub-section holds the block
kind the form's ``sections`` names (a part, the block level). The province's
report prints every unit's blocks with their ids; sending pins the revisions
it printed, so the sent report keeps its words while the offices edit on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.inspection.figures import report_units, round_period
from tidtam.measures.models import PinnedDocument
from tidtam.narratives import store as blocks
from tidtam.narratives.models import (
    Block,
    BlockContent,
    BlockKind,
    BlockRevision,
    Level,
    blocks_for,
    topic_of,
)
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import Conflict, InvalidInput, NotAllowed


def shared(issue: FrameworkNode) -> bool:
    """Whether the issue's sub-sections are the topic's blocks (the crosswalk links it)."""
    return topic_of(issue) is not None


def block_sections(fw: Framework) -> list[str]:
    """The sub-sections a linked issue's blocks fill (completeness counts them answered).

    Every sub-section whose ``kind`` names a block kind, except the progress
    sub-section: it is answered question by question, with the questions' figures.
    """
    return [s["key"] for s in fw.sections if s.get("kind") and s["key"] != "progress"]


def written_as_blocks(issue: FrameworkNode, fw: Framework, section: str) -> bool:
    """Whether this sub-section of the issue is written only as the topic's blocks."""
    return section in block_sections(fw) and shared(issue)


def where_to_write(issue: FrameworkNode, fw: Framework, section: str) -> str:
    """Thai: a linked sub-section takes no typed text here, and where it is written."""
    topic = topic_of(issue)
    assert topic is not None
    n = [s["key"] for s in fw.sections].index(section) + 1
    others = [
        f"{link.node.framework.abbr or link.node.framework.name_th} {link.node.code}"
        for link in topic.links.filter(inferred=False).exclude(node__framework=fw)
        .select_related("node__framework").order_by("position")
    ]
    also = f" และแก้ไขได้จากแบบรายงาน {', '.join(others)} ด้วย" if others else ""
    return (
        f"ประเด็น {issue.code} หัวข้อ {issue.code}.{n} เป็นข้อความร่วมของเรื่อง "
        f"\"{topic.name_th}\" จึงไม่รับข้อความพิมพ์ซ้ำในคำตอบ กรุณาเขียนในช่อง "
        f"\"เพิ่มข้อความ\" ของหัวข้อนี้ (ข้อความเดียวใช้ร่วมกันทุกแบบรายงาน{also}) "
        "หากไม่มีการดำเนินงานให้ตอบว่า \"ไม่มี\""
    )


def slot_of(fw: Framework, block: Block) -> tuple[str, str] | None:
    """The (section, part) a block prints under: by its kind and level."""
    for s in fw.sections:
        if s["kind"] != block.kind.code:
            continue
        for part in s.get("parts") or []:
            if block.level is not None and part["level"] == block.level.code:
                return s["key"], part["key"]
        return s["key"], (s.get("parts") or [{"key": ""}])[0]["key"]
    return None


def unit_blocks(unit: OrgUnit, issue: FrameworkNode, fw: Framework, round_: int
                ) -> dict[str, list[Block]]:
    """section key → the unit's blocks of the issue's topic for the round, in order."""
    out: dict[str, list[Block]] = defaultdict(list)
    if not shared(issue):
        return out
    for b in blocks_for(unit, issue, round_period(fw, round_)):
        where = slot_of(fw, b)
        if where is not None:
            out[where[0]].append(b)
    return out


def _section(fw: Framework, key: str, part: str) -> tuple[BlockKind, Level | None]:
    section = next((s for s in fw.sections if s["key"] == key), None)
    if section is None:
        raise InvalidInput("section", f"ไม่มีหัวข้อย่อย '{key}' ในแบบรายงาน")
    parts = section.get("parts") or []
    level = None
    if parts:
        chosen = next((p for p in parts if p["key"] == part), None)
        if chosen is None:
            raise InvalidInput("part", "กรุณาเลือกระดับของข้อเสนอแนะ (ระดับพื้นที่ หรือ ระดับนโยบาย)")
        level = Level.objects.get(code=chosen["level"])
    return BlockKind.objects.get(code=section["kind"]), level


def add(user: Any, unit: OrgUnit, issue: FrameworkNode, fw: Framework, round_: int,
        section: str, part: str, text: str) -> Block:
    """A new block of the issue's topic, written from the inspection contribution."""
    kind, level = _section(fw, section, part)
    if not text.strip():
        raise InvalidInput("text", "กรุณาพิมพ์ข้อความ")
    try:
        with transaction.atomic():
            block = blocks.create(user, unit, issue, round_period(fw, round_), kind, level,
                                  {"text": text},
                                  source={"framework": fw.code, "node": issue.code,
                                          "section": section})
            record(user, Action.NARRATIVE, block, target=_label(issue, block), org=unit,
                   after=block.text)
    except blocks.BlockRefused as exc:
        raise InvalidInput(exc.field or "text", exc.message) from None
    return block


def edit(user: Any, unit: OrgUnit, issue: FrameworkNode, fw: Framework, round_: int,
         pk: int, text: str, version: int) -> Block:
    """Edit one of the unit's blocks of the issue's topic (the same block QP2's form edits)."""
    block = next((b for bs in unit_blocks(unit, issue, fw, round_).values() for b in bs
                  if b.pk == pk), None)
    if block is None:
        raise NotAllowed()
    try:
        with transaction.atomic():
            saved, before = blocks.save(user, block, {"text": text}, version)
            if before != saved.content():
                record(user, Action.NARRATIVE, saved, target=_label(issue, saved), org=unit,
                       before=before.get("text", ""), after=saved.text)
    except blocks.BlockRefused as exc:
        raise InvalidInput(exc.field or "text", exc.message) from None
    except blocks.BlockConflict as exc:
        fresh = exc.block
        who = fresh.updated_by.get_username() if fresh.updated_by else "ผู้ใช้อื่น"
        raise Conflict({"text": fresh.text}, fresh.version, who, fresh.updated_at) from None
    return saved


def _label(issue: FrameworkNode, block: Block) -> str:
    return f"การตรวจราชการ ประเด็น {issue.code} · {block.kind.name_th}"


@dataclass
class Printed:
    """A block as a report prints it: the live block, and the content shown."""

    block: Block
    shown: BlockContent

    def as_json(self) -> dict[str, Any]:
        return {"block": self.block.pk, "unit": self.block.org.code,
                "unit_name": self.block.org.name_th, "kind": self.block.kind.code,
                "text": self.shown.as_text(), "solutions": list(self.shown.solutions)}


def printed(report: Any, issues: Sequence[FrameworkNode], *, live: bool = False
            ) -> dict[tuple[int, str, str], list[Printed]]:
    """(issue id, section, part) → the units' blocks a report prints.

    A sent report prints the revisions it pinned (also of blocks deleted since).
    A region's draft prints what each province sent: the revisions the province
    pinned, never the units' live blocks (a province that has not sent adds
    nothing); once the region sends, it prints what it pinned itself.
    """
    out: dict[tuple[int, str, str], list[Printed]] = defaultdict(list)
    fw = report.framework
    period = round_period(fw, report.round)
    if report.province is None and (live or not report.is_sent):
        from tidtam.inspection.compile import province_reports
        from tidtam.inspection.contributions import units_in_province

        seen: set[tuple[int, int]] = set()
        for sent in province_reports(report):
            if sent.province is None:
                continue
            units = list(units_in_province(sent.province).order_by("path"))
            _collect(out, seen, fw, period, units, issues, blocks.pinned(sent) or {})
        return out
    pins = None if live or not report.is_sent else blocks.pinned(report)
    _collect(out, set(), fw, period, report_units(report), issues, pins)
    return out


def _collect(out: dict[tuple[int, str, str], list[Printed]], seen: set[tuple[int, int]],
             fw: Framework, period: Any, units: Sequence[OrgUnit],
             issues: Sequence[FrameworkNode], pins: dict[int, Any] | None) -> None:
    for issue in issues:
        if not shared(issue):
            continue
        for unit in units:
            for b in blocks_for(unit, issue, period, include_deleted=pins is not None):
                where = slot_of(fw, b)
                if where is None or (issue.pk, b.pk) in seen:
                    continue
                if pins is not None:
                    if b.pk not in pins:
                        continue
                    shown: BlockContent = pins[b.pk]
                elif b.is_empty:
                    continue
                else:
                    shown = b
                seen.add((issue.pk, b.pk))
                out[(issue.pk, *where)].append(Printed(b, shown))


def pin(document: PinnedDocument, report: Any) -> None:
    """The sent report prints these blocks' revisions from now on."""
    # A topic's block prints under every issue of the topic (3.1 and 3.3): pinned once.
    shown = [p for ps in printed(report, list(report.included_issues()), live=True).values()
             for p in ps]
    chosen = {p.block.pk: p.block for p in shown}
    # A region prints its provinces' pinned revisions: it pins those, not the live ones.
    revisions = {p.block.pk: p.shown for p in shown if isinstance(p.shown, BlockRevision)}
    blocks.pin(document, list(chosen.values()), revisions=revisions)


# --- text typed as entries before the sub-section was the topic's blocks -------------------


def move_entry_texts(get_model: Any = None) -> int:
    """Text units typed as entries in linked sub-sections becomes the topic's blocks.

    Before the crosswalk linked an issue to a topic (or before its sub-sections
    took only blocks), a unit typed its success factors, problems, best
    practices and suggestions as entries — a second copy of what its QP form
    writes as blocks. Each such entry becomes a block of (unit, topic, the
    round's period, the sub-section's kind and level), source ``migrated``
    with the entry's id; when the unit already has a block with the same words
    nothing is added, and a block with other words is kept beside the new one,
    so no text is dropped. The entry is then removed — unless a sent report
    printed it, or a compiler reworded its line, in which case it stays where
    it was printed. "ไม่มี" and image entries stay entries. Used by the data
    migration (``get_model`` = the migration's ``apps.get_model``) and by the
    frameworks loader, because a later year's crosswalk can link another issue;
    a second run finds nothing to move.
    """
    from django.apps import apps as live

    from tidtam.measures.models import _add_months

    get = get_model or live.get_model
    Entry = get("inspection", "Entry")
    Framework = get("frameworks", "Framework")
    TopicNode = get("frameworks", "TopicNode")
    PeriodType = get("measures", "PeriodType")
    Period = get("measures", "Period")
    Kind = get("narratives", "BlockKind")
    BlockLevel = get("narratives", "Level")
    NarrativeBlock = get("narratives", "Block")
    Revision = get("narratives", "BlockRevision")
    Placement = get("inspection", "Placement")

    moved = 0
    frameworks = {f.pk: f for f in Framework.objects.filter(
        pk__in=Entry.objects.values("framework_id"))}
    for fw in frameworks.values():
        sections = {s["key"]: s for s in fw.sections or []
                    if s.get("kind") and s["key"] != "progress"}
        if not sections:
            continue
        entries = (Entry.objects.filter(framework_id=fw.pk, section__in=list(sections))
                   .exclude(kind__in=["none", "image"]).order_by("pk"))
        for entry in entries:
            link = (TopicNode.objects.filter(node_id=entry.issue_id, inferred=False)
                    .order_by("topic__position").first())
            if link is None:
                continue
            section = sections[entry.section]
            kind = Kind.objects.filter(code=section["kind"]).first()
            rounds = fw.rounds or []
            if kind is None or not 1 <= entry.round <= len(rounds):
                continue
            level = None
            part = next((p for p in section.get("parts") or [] if p["key"] == entry.part), None)
            if part is not None:
                level = BlockLevel.objects.filter(code=part.get("level")).first()
            ptype = PeriodType.objects.filter(code=rounds[entry.round - 1]).first()
            if ptype is None:
                continue
            start = _add_months(dt.date(fw.fiscal_year - 544, 10, 1), ptype.first_month)
            end = _add_months(start, ptype.months) - dt.timedelta(days=1)
            period, _ = Period.objects.get_or_create(start=start, end=end,
                                                     defaults={"fiscal_year": fw.fiscal_year})
            text = entry.text.strip()
            if entry.value is not None:  # a figure typed beside the words is words here
                text = f"{text} จำนวน {format(entry.value.normalize(), 'f')} {entry.value_unit}"
            if entry.day is not None:
                text = f"{text} (วันที่ {entry.day.isoformat()})"
            content = {"unit_name": entry.unit_name[:255], "title": entry.title[:500],
                       "text": text.strip(), "solutions": list(entry.solutions or []),
                       "steps": list(entry.steps or [])}
            mine = NarrativeBlock.objects.filter(org_id=entry.unit_id, topic_id=link.topic_id,
                                                 period=period, kind=kind, level=level,
                                                 deleted_at__isnull=True)
            said = " ".join(content["text"].split())
            if not any(" ".join(b.text.split()) == said and b.title == content["title"]
                       and list(b.solutions) == content["solutions"]
                       and list(b.steps) == content["steps"] for b in mine):
                last = mine.order_by("-position").values_list("position", flat=True).first()
                block = NarrativeBlock.objects.create(
                    org_id=entry.unit_id, topic_id=link.topic_id, node_id=entry.issue_id,
                    period=period, kind=kind, level=level, position=(last or 0) + 1,
                    source_kind="migrated", updated_by_id=entry.author_id,
                    source={"inspection_entry": entry.pk, "framework": fw.code,
                            "section": entry.section, "round": entry.round}, **content)
                Revision.objects.create(block=block, version=1, at=block.updated_at,
                                        by_id=entry.author_id, **content)
            printed = Placement.objects.filter(entry_id=entry.pk).filter(
                models.Q(report__status="sent") | models.Q(edited_at__isnull=False)).exists()
            if not printed:
                entry.delete()  # its draft lines go with it: the block prints instead
                moved += 1
    return moved
