"""A submission's figures: views over the one store of observations.

A submission stores no figure of its own. Each indicator binds measures of
the register (``DataElement``); the figure it shows is the observation of
that measure for the submission's office and period (``tidtam.measures``).
So the learner count typed in QP1 is what QP3 and QP8 show, and what the
inspection form and the action plan read. Once the submission is sent, it is
pinned: it shows the values it was sent with, whatever changes later, until
it is returned or reopened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tidtam.frameworks.models import DataElement, FrameworkNode
from tidtam.measures import store
from tidtam.measures.models import (
    Observation,
    ObservationRevision,
    ObservationValue,
    Period,
    PinnedDocument,
    SourceKind,
)
from tidtam.reporting.models import State, Submission

#: States in which a submission shows the values it was sent with.
PINNED_STATES = frozenset({State.SUBMITTED, State.RESUBMITTED, State.RATED, State.APPROVED})


@dataclass
class Figure:
    """One binding of one submission: the observation it reads and what it shows."""

    element: DataElement
    period: Period
    observation: Observation | None  # the live value
    shown: ObservationValue | None  # live, or the revision a sent submission pinned

    @property
    def text(self) -> str:
        return self.shown.text if self.shown is not None else ""

    @property
    def parsed(self) -> object:
        return self.shown.parsed if self.shown is not None else None

    @property
    def version(self) -> int:
        """The version an editor must send back to save over the live value."""
        return self.observation.version if self.observation is not None else 0

    @property
    def observation_id(self) -> int | None:
        return self.observation.pk if self.observation is not None else None

    @property
    def register(self) -> dict[str, Any] | None:
        """Where a register computed this figure (its name, cases, link), or None if typed.

        A register's figure is read-only in every form: its cases are the source.
        """
        obs = self.observation
        if obs is None or obs.source_kind != SourceKind.REGISTER:
            return None
        source = dict(obs.source)
        source["case_count"] = len(source.get("cases") or [])
        source.setdefault("name_th", "ทะเบียนข้อมูล")
        return source

    @property
    def changed_since_sent(self) -> bool:
        """The live value differs from what the sent submission shows."""
        live = self.observation.text if self.observation is not None else ""
        return live != self.text


class Periods:
    """Period lookups for one submission's bindings, each asked once."""

    def __init__(self, submission: Submission) -> None:
        self.year = submission.framework.fiscal_year
        self.round = submission.round
        self._cache: dict[str, Period] = {submission.round: submission.round_period()}

    def prefetch(self, elements: Iterable[DataElement]) -> None:
        codes = {e.period or self.round for e in elements} - set(self._cache)
        if codes:
            for (_year, code), period in Period.many((self.year, c) for c in codes).items():
                self._cache[code] = period

    def of(self, element: DataElement) -> Period:
        code = element.period or self.round
        if code not in self._cache:
            self._cache[code] = Period.of(self.year, code)
        return self._cache[code]


def figures(submission: Submission, nodes: Iterable[FrameworkNode] | None = None, *,
            keys: Iterable[str] | None = None) -> dict[int, Figure]:
    """element id → its figure, for ``nodes`` (default: every node of the framework).

    ``keys`` (``<node>.<element>``) narrows that to the elements some rules read:
    an autosave checks the rules of one field, not every figure of the report.
    """
    if nodes is None:
        found_elements = DataElement.objects.filter(node__framework=submission.framework)
        if keys is not None:
            wanted = set(keys)
            found_elements = found_elements.filter(
                node__code__in={k.rsplit(".", 1)[0] for k in wanted},
                code__in={k.rsplit(".", 1)[-1] for k in wanted})
        elements = list(found_elements.select_related("node"))
        if keys is not None:
            elements = [e for e in elements if e.key in wanted]
    else:
        elements = [e for n in nodes for e in n.elements.all()]
    periods = Periods(submission)
    periods.prefetch(elements)
    lookup = {e.pk: (submission.org_id, e.measure_id, periods.of(e).pk, e.category)
            for e in elements}
    found = store.observations(lookup.values())
    pins = pinned(submission)
    out = {}
    for e in elements:
        obs = found.get(lookup[e.pk])
        shown: ObservationValue | None = obs
        if pins is not None:
            shown = pins.get(obs.pk) if obs is not None else None
        out[e.pk] = Figure(e, periods.of(e), obs, shown)
    return out


def pinned(submission: Submission) -> dict[int, ObservationRevision] | None:
    """observation id → the revision a sent submission printed; ``None`` for one being written.

    Only a sent submission can be pinned: the workflow pins it on the way out
    and unpins it when it comes back, so a draft's form (the page an office
    opens most) reads live values without looking for pins.
    """
    if submission.state not in PINNED_STATES:
        return None
    return store.pinned(submission)


def values_of(submission: Submission, keys: Iterable[str] | None = None, *,
              known: Mapping[str, Figure] | None = None) -> dict[str, Any]:
    """Every figure the submission shows (or those of ``keys``), keyed ``<node>.<element>``
    as the rules name them.

    ``known`` are figures the caller already has (the indicator its form shows):
    only the other keys are read.
    """
    if keys is None:
        found = list(figures(submission).values())
    else:
        wanted = set(keys)
        found = [f for k, f in (known or {}).items() if k in wanted]
        rest = wanted - {f.element.key for f in found}
        if rest:
            found += figures(submission, keys=rest).values()
    return {f.element.key: f.parsed for f in found if f.shown is not None}


def write(user: Any, submission: Submission, element: DataElement, text: str, version: int
          ) -> store.Written:
    """Store what the reporter typed as the observation the binding reads."""
    period = Periods(submission).of(element)
    return store.write(
        user, submission.org, element.measure, period, text, version,
        category=element.category, source_kind=SourceKind.TYPED,
        source={"submission": submission.pk, "framework": submission.framework.code,
                "node": element.node.code, "element": element.code},
    )


def pin(submission: Submission) -> PinnedDocument:
    """The submission now shows the values it was sent with."""
    chosen = [f.observation for f in figures(submission).values() if f.observation is not None]
    return store.pin(submission, chosen)


def unpin(submission: Submission) -> None:
    store.unpin(submission)
