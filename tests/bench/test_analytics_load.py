"""The load benchmark's server-side times: read from gunicorn's access log, per page."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from analytics_load import _p95, server_times  # type: ignore[import-not-found]


def test_only_the_load_s_requests_count_each_under_its_page(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("GET /submissions/3/i/1/ 999000\n", encoding="utf-8")  # the warm-up
    offset = log.stat().st_size
    with log.open("a", encoding="utf-8") as f:
        f.write("GET /submissions/3/i/1/ 41000\n"
                "POST /submissions/3/i/1/value/7/ 30500\n"
                "POST /submissions/3/i/1/narrative/drive/ 52000\n"
                "GET /analytics/dashboard/ 88000\n"
                "POST /login/ 500000\n"           # not a page of the load
                "GET /static/app.css 200\n")
    served = server_times(log, offset)
    assert served["entry page (GET)"] == [41.0]
    assert served["autosave figure (htmx POST)"] == [30.5]
    assert served["autosave narrative (htmx POST)"] == [52.0]
    assert served["dashboard (GET)"] == [88.0]
    assert sorted(served["Aggregated"]) == [30.5, 41.0, 52.0, 88.0]


def test_p95_is_the_nearest_rank() -> None:
    assert _p95([float(v) for v in range(1, 101)]) == "95"
    assert _p95([float(v) for v in range(1, 21)]) == "19"
    assert _p95([7.0]) == "7"
    assert _p95([]) == "–"
