"""Editors choose the texts the national synthesis prints; every choice is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max

from tidtam.accounts.permissions import AnyUser
from tidtam.analytics.aggregate import REPORTED_STATES
from tidtam.analytics.models import Section, SourceKind, SynthesisPick
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.frameworks.models import FrameworkNode
from tidtam.measures.models import Period
from tidtam.narratives.models import Block, shown_at
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.models import Submission

# Which sections a block may go to, by its kind and level. A problem that says
# no level is a matter for OBEC or for the office as the editor decides.
SECTIONS = {
    ("drive", ""): [Section.DRIVE],
    ("best_practice", ""): [Section.BEST_PRACTICE],
    ("problem", "central"): [Section.PROBLEM_CENTRAL],
    ("problem", "area"): [Section.PROBLEM_OFFICE],
    ("problem", ""): [Section.PROBLEM_CENTRAL, Section.PROBLEM_OFFICE],
    ("suggestion", "central"): [Section.SUGGESTION_CENTRAL],
    ("suggestion", "area"): [Section.SUGGESTION_OFFICE],
}
SOURCE_KIND = {"problem": SourceKind.PROBLEM, "best_practice": SourceKind.BEST_PRACTICE}


@dataclass
class Candidate:
    kind: str
    id: int
    org: OrgUnit
    text: str
    sections: list[tuple[str, str]]


def _sections(block: Block) -> list[str]:
    return list(SECTIONS.get((block.kind.code, block.level.code if block.level else ""), []))


def _reported_blocks(node: FrameworkNode, round: str) -> list[Block]:
    """The blocks of the offices that sent their report of the round, as the form shows them."""
    period = Period.of(node.framework.fiscal_year, round)
    reported = Submission.objects.filter(framework=node.framework, round=round,
                                         state__in=REPORTED_STATES).values("org_id")
    return list(Block.objects.filter(shown_at(node), org_id__in=reported, period=period,
                                     deleted_at__isnull=True)
                .select_related("org", "kind", "level").order_by("pk"))


def source_text(kind: str, source_id: int, node: FrameworkNode) -> tuple[OrgUnit, str, str]:
    """(office, text, default section) of a reported block, or ValueError in Thai."""
    b = Block.objects.filter(pk=source_id, deleted_at__isnull=True).select_related(
        "org", "kind", "level").first()
    if b is not None and b.as_text() and _sections(b) and (
            b.node_id == node.pk or (b.topic_id and node.topic_links.filter(
                topic_id=b.topic_id).exists())):
        return b.org, b.as_text(), _sections(b)[-1]
    raise ValueError(f"ไม่พบข้อความที่เลือก (ประเภท '{kind}' รหัส {source_id}) ในตัวชี้วัด {node.heading}")


def candidates(node: FrameworkNode, round: str, q: str = "") -> list[Candidate]:
    labels = dict(Section.choices)
    out: list[Candidate] = []
    for b in _reported_blocks(node, round):
        text = b.as_text()
        sections = _sections(b)
        if not text or not sections or (q and q not in text):
            continue
        out.append(Candidate(SOURCE_KIND.get(b.kind.code, SourceKind.NARRATIVE), b.pk, b.org,
                             text, [(sec, labels[sec]) for sec in sections]))
    order = {SourceKind.BEST_PRACTICE: 0, SourceKind.NARRATIVE: 1, SourceKind.PROBLEM: 2}
    out.sort(key=lambda c: (order[SourceKind(c.kind)], c.sections[0][0], c.id))
    return out


def pick(
    user: AnyUser, node: FrameworkNode, section: str, kind: str, source_id: int
) -> SynthesisPick:
    org, text, default = source_text(kind, source_id, node)
    section = section or default
    allowed = _sections(Block.objects.select_related("kind", "level").get(pk=source_id))
    if section not in allowed:
        raise ValueError(f"ข้อความประเภทนี้ลงในหัวข้อ '{section}' ไม่ได้")
    last = SynthesisPick.objects.filter(node=node, section=section).aggregate(m=Max("position"))
    p = SynthesisPick.objects.create(
        node=node, section=section, org=org, source_kind=kind, source_id=source_id, text=text,
        position=(last["m"] or 0) + 1, picked_by=user if user.is_authenticated else None,
    )
    record(user, Action.SYNTHESIS_PICK, p,
           target=f"รายงานสังเคราะห์ {node.framework} {node.heading}",
           org=org, after={"section": section, "text": text})
    return p


def unpick(user: AnyUser, p: SynthesisPick) -> None:
    record(user, Action.SYNTHESIS_UNPICK, p,
           target=f"รายงานสังเคราะห์ {p.node.framework} {p.node.heading}",
           org=p.org, before={"section": p.section, "text": p.text})
    p.delete()
