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
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.models import BestPractice, Narrative, NarrativeKind, ProblemRow

# Which sections a kind of text may go to. A problem row does not say whether
# it is a matter for OBEC or for the office, so the editor decides.
NARRATIVE_SECTION = {
    NarrativeKind.DRIVE: Section.DRIVE,
    NarrativeKind.SUGGESTION_CENTRAL: Section.SUGGESTION_CENTRAL,
    NarrativeKind.SUGGESTION_OFFICE: Section.SUGGESTION_OFFICE,
}
ALLOWED = {
    SourceKind.NARRATIVE: set(NARRATIVE_SECTION.values()),
    SourceKind.PROBLEM: {Section.PROBLEM_CENTRAL, Section.PROBLEM_OFFICE},
    SourceKind.BEST_PRACTICE: {Section.BEST_PRACTICE},
}


@dataclass
class Candidate:
    kind: str
    id: int
    org: OrgUnit
    text: str
    sections: list[tuple[str, str]]


def _reports(node: FrameworkNode, round: str) -> dict[str, object]:
    return {"report__node": node, "report__submission__round": round,
            "report__submission__state__in": REPORTED_STATES}


def _best_practice_text(b: BestPractice) -> str:
    parts = [b.unit_name, f"ชื่อผลงาน : {b.model_name}" if b.model_name else "", b.steps]
    return " ".join(p for p in parts if p).strip()


def source_text(kind: str, source_id: int, node: FrameworkNode) -> tuple[OrgUnit, str, str]:
    """(office, text, default section) of a reported text, or ValueError in Thai."""
    if kind == SourceKind.NARRATIVE:
        n = Narrative.objects.filter(pk=source_id, report__node=node).select_related(
            "report__submission__org").first()
        if n is not None and n.text.strip():
            return n.report.submission.org, n.text.strip(), NARRATIVE_SECTION[NarrativeKind(n.kind)]
    elif kind == SourceKind.PROBLEM:
        p = ProblemRow.objects.filter(pk=source_id, report__node=node).select_related(
            "report__submission__org").first()
        if p is not None and p.problem.strip():
            text = p.problem.strip() + (f" (แนวทางแก้ไข: {p.solution.strip()})"
                                        if p.solution.strip() else "")
            return p.report.submission.org, text, Section.PROBLEM_OFFICE
    elif kind == SourceKind.BEST_PRACTICE:
        b = BestPractice.objects.filter(pk=source_id, report__node=node).select_related(
            "report__submission__org").first()
        if b is not None and _best_practice_text(b):
            return b.report.submission.org, _best_practice_text(b), Section.BEST_PRACTICE
    raise ValueError(f"ไม่พบข้อความที่เลือก (ประเภท '{kind}' รหัส {source_id}) ในตัวชี้วัด {node.heading}")


def candidates(node: FrameworkNode, round: str, q: str = "") -> list[Candidate]:
    labels = dict(Section.choices)
    out: list[Candidate] = []
    narratives = Narrative.objects.filter(**_reports(node, round)).exclude(text="")
    problems = ProblemRow.objects.filter(**_reports(node, round)).exclude(problem="")
    practices = BestPractice.objects.filter(**_reports(node, round))
    if q:
        narratives = narratives.filter(text__icontains=q)
        problems = problems.filter(problem__icontains=q)
        practices = practices.filter(model_name__icontains=q)
    for b in practices.select_related("report__submission__org"):
        out.append(Candidate(SourceKind.BEST_PRACTICE, b.pk, b.report.submission.org,
                             _best_practice_text(b),
                             [(Section.BEST_PRACTICE, labels[Section.BEST_PRACTICE])]))
    for n in narratives.select_related("report__submission__org").order_by("kind", "pk"):
        sec = NARRATIVE_SECTION[NarrativeKind(n.kind)]
        out.append(Candidate(SourceKind.NARRATIVE, n.pk, n.report.submission.org, n.text,
                             [(sec, labels[sec])]))
    for p in problems.select_related("report__submission__org"):
        out.append(Candidate(SourceKind.PROBLEM, p.pk, p.report.submission.org, p.problem,
                             [(s, labels[s]) for s in (Section.PROBLEM_CENTRAL,
                                                       Section.PROBLEM_OFFICE)]))
    return out


def pick(
    user: AnyUser, node: FrameworkNode, section: str, kind: str, source_id: int
) -> SynthesisPick:
    org, text, default = source_text(kind, source_id, node)
    section = section or default
    if section not in ALLOWED.get(SourceKind(kind), set()):
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
