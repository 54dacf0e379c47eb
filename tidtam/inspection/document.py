"""The inspection report as content: one tree for the web page, DOCX and PDF.

Layout as in seeds 001/002: "นโยบายที่ 1 …" → "1.1 <issue>" → "1.1.1 …" (the
five sub-sections) → the numbered questions "1)" (sub-types "1.1)") → the
generated opening sentence → the units' paragraphs "1.", "2.", … The
problems sub-section is a two-column table; suggestions come in two levels.
A sub-section answered only "ไม่มี" prints "-".
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tidtam.accounts.people import person_name
from tidtam.inspection import figures as inspection_figures
from tidtam.inspection.compile import opening_sentence
from tidtam.inspection.models import EntryKind, InspectionReport, Placement
from tidtam.orgs.names import canonical
from tidtam.thai.dates import thai_date

NONE_MARK = "-"


def join_names(names: list[str]) -> str:
    """"ก", "ก และ ข", "ก ข และ ค" — how the seeds list several units."""
    if len(names) <= 1:
        return "".join(names)
    return f"{' '.join(names[:-1])} และ {names[-1]}"


def _figure(p: Placement) -> str:
    shown = p.entry.value_display()
    return f" จำนวน {shown}" if shown else ""


def item(p: Placement) -> dict[str, Any]:
    """One printed paragraph, named after every unit it speaks for."""
    e = p.entry
    units = p.units()
    speakers = p.unit_names()
    names = join_names(speakers)
    text = p.text
    # however the paragraph spells the name ("สพป.ลำปาง เขต ๒" for "…ลำปาง เขต 2")
    opening = canonical(text[:200])
    mentions_unit = any(
        opening.startswith(canonical(n))
        for n in [*speakers, *(x for u in units for x in (u.name_th, u.short_name_th))] if n
    )
    # The report's own office speaks in its own report without naming itself
    # (an imported paragraph that named no unit is filed under the office; one
    # that named a unit the tree lacks speaks under that name).
    own_voice = all(u.pk == p.report.org_id for u in units) and not any(
        line.entry.unit_name for line in [p, *p.duplicates.all()])
    if e.kind == EntryKind.MODEL:
        body = f"{names} {e.title}".strip() + (f" {text}" if text else "")
    elif mentions_unit or own_voice or not text:
        body = text
    else:
        body = f"{names} {text}"
    if e.kind == EntryKind.FIGURE:
        body += _figure(p)
    if e.kind == EntryKind.DATE and e.day is not None:
        body += f" ({thai_date(e.day)})"
    provenance = {
        "units": names,
        "author": person_name(e.author, ""),
        "at": e.updated_at,
        "edited": p.edited_at is not None,
    }
    return {
        "id": p.pk, "kind": e.kind, "text": body.strip(), "steps": list(e.steps),
        "image": e.image.path if e.kind == EntryKind.IMAGE and e.image else "",
        "image_id": e.pk if e.kind == EntryKind.IMAGE and e.image else None,
        "provenance": provenance,
    }


def _items(placements: list[Placement]) -> list[dict[str, Any]]:
    """Printed paragraphs; "ไม่มี" answers vanish when someone did report something."""
    return [item(p) for p in placements if p.entry.kind != EntryKind.NONE]


def build(report: InspectionReport) -> dict[str, Any]:
    fw = report.framework
    printed = (
        report.placements.filter(duplicate_of=None)
        .select_related("entry", "entry__unit", "entry__author", "entry__question",
                        "source", "source__entry__unit")
        .prefetch_related("duplicates")
        .order_by("order", "pk")
    )
    slots: dict[tuple[int, str, str, int | None], list[Placement]] = defaultdict(list)
    for p in printed:
        e = p.entry
        slots[(e.issue_id, e.section, e.part, e.question_id)].append(p)
    included_issues = report.included_issues()
    included = {i.pk for i in included_issues}
    # Words of issues the crosswalk links to a topic: the units' blocks, each with its id.
    from tidtam.inspection import words

    said = words.printed(report, included_issues)
    # Figures come from the observation store, each with the observation it prints.
    by_node: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in inspection_figures.printed(report, inspection_figures.bindings(fw)):
        by_node[f.element.node_id].append(f.as_json())
    policies = []
    for policy in fw.policies.all():
        issues = []
        for issue in policy.issues.all():
            if issue.pk not in included:
                continue
            sections = []
            for n, section in enumerate(fw.sections, start=1):
                title = section["title"].replace("{issue}", issue.title)
                block: dict[str, Any] = {
                    "key": section["key"], "heading": f"{issue.code}.{n} {title}",
                }
                key = section["key"]
                if key == "progress":
                    block["questions"] = [
                        _question(report, q, slots, issue.pk, by_node)
                        for q in issue.questions_for(report.level)
                    ]
                elif key == "problems":
                    rows = [
                        {"problem": item(p)["text"], "solutions": list(p.entry.solutions)}
                        for p in slots[(issue.pk, key, "", None)]
                        if p.entry.kind != EntryKind.NONE
                    ]
                    block["rows"] = rows
                elif section.get("parts"):
                    block["parts"] = [
                        {"title": part["title"],
                         "items": _items(slots[(issue.pk, key, part["key"], None)])}
                        for part in section["parts"]
                    ]
                else:
                    block["items"] = _items(slots[(issue.pk, key, "", None)])
                if "parts" in block:  # suggestions: each level its own blocks
                    for part_block, part in zip(block["parts"], section["parts"], strict=True):
                        part_block["blocks"] = [
                            p.as_json() for p in said.get((issue.pk, key, part["key"]), [])]
                    block["blocks"] = []
                else:
                    block["blocks"] = [p.as_json() for p in said.get((issue.pk, key, ""), [])]
                sections.append(block)
            issues.append({"code": issue.code, "heading": f"{issue.code} {issue.title}",
                           "sections": sections})
        policies.append({"heading": f"นโยบายที่ {policy.number} {policy.title}",
                         "issues": issues})
    return {
        "form": fw.form,
        "title": fw.title,
        "subtitle": f"ประจำปีงบประมาณ พ.ศ. {fw.year}",
        "intro": (
            f"{report.org.name_th} ขอรายงานผลการติดตามประเมินผล ตามประเด็นการตรวจราชการ"
            f"และติดตามประเมินผลการจัดการศึกษาของกระทรวงศึกษาธิการ รอบที่ {report.round} "
            f"ประจำปีงบประมาณ พ.ศ. {fw.year} ดังนี้"
        ),
        "org": report.org.name_th,
        "policies": policies,
    }


def _question(
    report: InspectionReport, q: Any,
    slots: dict[tuple[int, str, str, int | None], list[Placement]], issue_id: int,
    by_node: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    items = _items(slots[(issue_id, "progress", "", q.pk)])
    shown = by_node.get(q.pk, [])
    subtypes = [
        {"label": f"{s.number}) {s.text}", "items": _items(slots[(issue_id, "progress", "", s.pk)])}
        for s in q.subtypes
    ]
    answered = bool(items) or bool(shown) or any(s["items"] for s in subtypes)
    return {
        "label": q.printed,
        "opening": opening_sentence(report, q) if answered else "",
        "figures": shown,
        "items": items,
        "subtypes": subtypes,
    }
