"""How complete a submission is, per indicator: what was entered, what is missing.

The overview's table, the validation summary, the check before submitting and
the evaluator's screen all read this one account. An indicator counts as
entered when it has anything at all — a figure, a block of text (narrative,
problem, best practice) or a file; a required figure (``DataElement.required``) left empty
is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from tidtam.frameworks.models import DataElement, FrameworkNode, Method
from tidtam.reporting import figures, narratives
from tidtam.reporting.models import Submission


@dataclass(frozen=True)
class IndicatorState:
    node: FrameworkNode
    elements: int          # figures the framework asks for
    values: int            # of them, filled in
    texts: int             # narratives with text
    missing: tuple[str, ...]  # required figures left empty, by name
    entered: bool          # anything at all for this indicator

    @property
    def complete(self) -> bool:
        return self.entered and not self.missing

    def describe(self) -> str:
        """One line saying what is missing, naming the indicator; "" when nothing is."""
        if not self.entered:
            return f"{self.node.heading} {self.node.title_th}: ยังไม่ได้กรอกข้อมูลใดเลย"
        if self.missing:
            return (f"{self.node.heading}: ยังไม่ได้กรอกข้อมูลที่จำเป็น "
                    f"{len(self.missing)} รายการ ({'; '.join(self.missing)})")
        return ""


def indicator_states(submission: Submission) -> list[IndicatorState]:
    """Every indicator the office reports on, in the framework's order."""
    nodes = [n for n in submission.framework.nodes.exclude(method=Method.GROUP)
             .order_by("position")
             .prefetch_related(Prefetch("elements", DataElement.objects.order_by("position")))
             if n.applies(submission.org)]
    shown = figures.figures(submission, nodes)
    written = narratives.written(submission, nodes)
    with_files = set(submission.reports.filter(files__isnull=False)
                     .values_list("node_id", flat=True))
    out = []
    for node in nodes:
        elements = list(node.elements.all())
        filled = {e.pk for e in elements if shown[e.pk].text.strip()}
        texts = written.get(node.pk, 0)
        out.append(IndicatorState(
            node=node, elements=len(elements), values=len(filled), texts=texts,
            missing=tuple(e.name_th for e in elements if e.required and e.pk not in filled),
            entered=bool(filled or texts or node.pk in with_files),
        ))
    return out


def gaps(submission: Submission) -> list[IndicatorState]:
    return [s for s in indicator_states(submission) if not s.complete]
