"""Helpers for the search tests: narratives written into the conftest submissions.

The index is written when a transaction commits, and a test's transaction
never does; here indexing runs at once instead, errors included (the browser
test and ``test_indexing_waits_for_the_commit`` take the real path).
"""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.frameworks.models import FrameworkNode
from tidtam.reporting.models import IndicatorReport, Narrative, NarrativeKind


def write_narrative(submission: Any, text: str, node_code: str = "1",
                    kind: str = NarrativeKind.DRIVE) -> Narrative:
    """Saved the way the reporting views save it: through the model, so signals run."""
    node = FrameworkNode.objects.get(framework=submission.framework, code=node_code)
    report, _ = IndicatorReport.objects.get_or_create(submission=submission, node=node)
    narrative, _ = Narrative.objects.update_or_create(report=report, kind=kind,
                                                      defaults={"text": text})
    return narrative


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from tidtam.search import signals

    monkeypatch.setattr(signals, "after_commit", lambda job, what: job())


@pytest.fixture
def narrate() -> Any:
    return write_narrative
