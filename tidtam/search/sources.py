"""What gets indexed: for each kind of text, where it lives and what it says.

A source turns one record into a ``Doc`` (its office, year, title, the URL
name and arguments of its page, and its raw text) or into None when it has
nothing to find. Titles and links are worked out when indexed, so the result
list needs no query per hit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import models

from tidtam.search.models import SourceKind


@dataclass(frozen=True)
class Doc:
    org_id: int
    fiscal_year: int | None
    title: str
    route: str
    route_args: tuple[object, ...]
    text: str
    repaired: bool = False  # the text is thai_repair.repair's output already


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    model: Callable[[], type[models.Model]]
    queryset: Callable[[], models.QuerySet[Any]]
    build: Callable[[Any], Doc | None]


def _join(*parts: object) -> str:
    """The non-empty parts, one per line; lists (steps, solutions) give one line per item."""
    lines: list[str] = []
    for part in parts:
        if isinstance(part, list | tuple):
            lines.extend(str(p).strip() for p in part)
        elif part is not None:
            lines.append(str(part).strip())
    return "\n".join(line for line in lines if line)


Link = tuple[str, tuple[object, ...]]


def _doc(org_id: int, year: int | None, title: str, link: Link, *parts: object) -> Doc | None:
    text = _join(*parts)
    return Doc(org_id, year, title[:500], link[0], link[1], text) if text else None


# --- narrative blocks: what an office writes, once per topic ------------------------


def _block(obj: Any) -> Doc | None:
    node = obj.node
    where = f"{node.framework.full_name} · {node.heading}"
    level = f" ({obj.level.short_th})" if obj.level_id else ""
    title = f"{obj.org.display_name} · {where} · {obj.kind.name_th}{level}"
    if obj.kind.practice and (obj.title or obj.unit_name):
        title = f"{title} · {obj.title or obj.unit_name}"
    # The block's own address, which opens a form that shows it: a block outlives the
    # submission it was first typed in.
    link: Link = ("narratives:block", (obj.pk,))
    return _doc(obj.org_id, obj.period.fiscal_year, title, link, obj.unit_name, obj.title,
                obj.text, obj.steps, obj.solutions)


_BLOCK_RELATED = ("org", "node__framework", "kind", "level", "period")


# --- inspection, imports, evaluation, plans --------------------------------------


def _entry(obj: Any) -> Doc | None:
    title = f"{obj.unit_name or obj.unit.display_name} · ประเด็น {obj.issue.code} {obj.issue.title}"
    link = ("inspection:unit_issue", (obj.unit.code, obj.issue.code))
    return _doc(obj.unit_id, obj.framework.year, title, link, obj.title, obj.text, obj.steps,
                obj.solutions)


def _imported(obj: Any) -> Doc | None:
    title = f"{obj.get_kind_display()} {obj.org.display_name} · {obj.source_name}"
    link = ("ingest:detail", (obj.pk,))
    doc = _doc(obj.org_id, obj.fiscal_year, title, link, obj.repaired_text)
    # the importers store repair(raw_text) here (ingest/emes_sheet.py, annual_report.py, …)
    return replace(doc, repaired=True) if doc is not None else None


def _recommendation(obj: Any) -> Doc | None:
    year = obj.node.framework.fiscal_year
    title = f"{obj.org.display_name} · {obj.node.framework.full_name} · {obj.node.heading}"
    link: Link = ("sheet", (year, obj.org.code)) if obj.org.is_area_office else ("", ())
    return _doc(obj.org_id, year, title, link, obj.text)


def _plan(obj: Any) -> Doc | None:
    link = ("plans:detail", (obj.pk,))
    return _doc(obj.office_id, obj.fiscal_year, f"{obj.office.display_name} · {obj.title}", link,
                obj.title, obj.introduction, obj.next_year_direction, obj.problems,
                obj.suggestions)


def _project(obj: Any) -> Doc | None:
    plan = obj.plan
    title = f"{plan.office.display_name} · โครงการที่ {obj.number} {obj.title}"
    link = ("plans:project", (obj.pk,))
    return _doc(plan.office_id, plan.fiscal_year, title, link, obj.title, obj.policy_area,
                obj.group_name, obj.owner_name, obj.objectives, obj.results, obj.problems,
                obj.suggestions)


def _models() -> dict[str, Any]:
    # Imported late: this module is loaded from AppConfig.ready().
    from tidtam.evaluation.models import Recommendation
    from tidtam.ingest.models import ImportedSheet
    from tidtam.inspection.models import Entry
    from tidtam.narratives.models import Block
    from tidtam.plans.models import Plan, Project

    return {
        "Block": Block,
        "Entry": Entry, "ImportedSheet": ImportedSheet, "Recommendation": Recommendation,
        "Plan": Plan, "Project": Project,
    }


def _source(kind: SourceKind, name: str, related: Iterable[str], build: Callable[[Any], Doc | None],
            defer: Iterable[str] = (), **only: Any) -> Source:
    def model() -> type[models.Model]:
        cls: type[models.Model] = _models()[name]
        return cls

    def queryset() -> models.QuerySet[Any]:
        return (model()._default_manager.filter(**only).select_related(*related)
                .defer(*defer).order_by("pk"))

    return Source(kind, model, queryset, build)


SOURCES: list[Source] = [
    _source(SourceKind.NARRATIVE, "Block", _BLOCK_RELATED, _block, deleted_at__isnull=True),
    _source(SourceKind.INSPECTION, "Entry", ("unit", "issue", "framework"), _entry),
    _source(SourceKind.IMPORTED, "ImportedSheet", ("org",), _imported,
            defer=("raw_text", "content")),
    _source(SourceKind.RECOMMENDATION, "Recommendation", ("org", "node__framework"),
            _recommendation),
    _source(SourceKind.PLAN, "Plan", ("office",), _plan),
    _source(SourceKind.PROJECT, "Project", ("plan__office",), _project),
]


def source_for(model: type[models.Model]) -> Source | None:
    return next((s for s in SOURCES if s.model() is model), None)
