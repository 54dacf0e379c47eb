"""Helpers for the search tests: narratives written into the conftest submissions.

The index is written when a transaction commits, and a test's transaction
never does; here indexing runs at once instead, errors included (the browser
test and ``test_indexing_waits_for_the_commit`` take the real path).
"""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.frameworks.models import FrameworkNode
from tidtam.measures.models import Period
from tidtam.narratives.models import Block, BlockKind, topic_of


def write_narrative(submission: Any, text: str, node_code: str = "1",
                    kind: str = "drive") -> Block:
    """Saved through the model, so the signals run (the store updates by version)."""
    node = FrameworkNode.objects.get(framework=submission.framework, code=node_code)
    block, _ = Block.objects.update_or_create(
        org=submission.org, node=node, kind=BlockKind.objects.get(code=kind),
        period=Period.of(submission.framework.fiscal_year, submission.round),
        defaults={"text": text, "topic": topic_of(node),
                  "source": {"submission": submission.pk, "node": node.code}})
    return block


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from tidtam.search import signals

    monkeypatch.setattr(signals, "after_commit", lambda job, what: job())


@pytest.fixture
def narrate() -> Any:
    return write_narrative
