"""Helpers for the search tests: narratives written into the conftest submissions."""

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


@pytest.fixture
def narrate() -> Any:
    return write_narrative
