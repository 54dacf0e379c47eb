"""``make bench`` keeps working: its page timings run against the demo as it is now."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from run import pages  # type: ignore[import-not-found]

from tidtam.demo.loader import FIXTURES, load_users
from tidtam.reporting.models import State, Submission


@pytest.mark.django_db
def test_every_page_the_benchmark_times_answers_as_the_demo_s_users() -> None:
    load_users(FIXTURES / "users.yaml")
    timed = pages(repeat=1)
    assert [name for name, _ms, _mb in timed] == [
        "page: task list (reporter)", "page: task list (evaluator, OBEC)",
        "page: submission overview", "page: indicator form", "page: rating screen",
        "page: result sheet", "page: org search",
    ]
    assert all(ms > 0 for _name, ms, _mb in timed)
    # The report it rates was sent, with a narrative written in each indicator.
    sub = Submission.objects.get(org__code="SPM-52-51", framework__code="qp",
                                 framework__fiscal_year=2566, round="12m")
    assert sub.state == State.SUBMITTED
