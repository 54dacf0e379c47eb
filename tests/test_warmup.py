"""A web worker loads at start what its first visitors would otherwise wait for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys, time
start = time.perf_counter()
{load}
from django.urls import get_resolver
print(json.dumps({{
    "seconds": time.perf_counter() - start,
    "urls": get_resolver()._populated,
    "frozen": __import__("gc").get_freeze_count(),
    "modules": [m for m in ("matplotlib.pyplot", "openpyxl", "docx", "weasyprint",
                            "tidtam.analytics.views") if m in sys.modules],
}}))
"""


def _probe(load: str, tmp_path: Path) -> dict[str, object]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tidtam.settings",
           "TIDTAM_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", PROBE.format(load=load)], env=env,
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_wsgi_worker_starts_warm(tmp_path: Path) -> None:
    warm = _probe("import tidtam.wsgi", tmp_path)
    assert warm["urls"] is True
    assert warm["modules"] == ["matplotlib.pyplot", "openpyxl", "docx", "weasyprint",
                               "tidtam.analytics.views"]
    # What start-up loaded is out of the collector's walks (a full one took ~0.1 s).
    assert int(warm["frozen"]) > 100_000  # type: ignore[call-overload]


def test_commands_and_tests_do_not_pay_for_it(tmp_path: Path) -> None:
    cold = _probe("import django; django.setup()", tmp_path)
    assert cold["urls"] is False and cold["modules"] == [] and cold["frozen"] == 0


def test_a_step_that_fails_is_logged_and_the_rest_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    from tidtam import warmup

    ran = []

    def broken() -> None:
        raise RuntimeError("no fonts here")

    monkeypatch.setattr(warmup, "STEPS", {"broken": broken, "after": lambda: ran.append(1)})
    with caplog.at_level("ERROR", logger="tidtam.warmup"):
        timings = warmup.warm()
    assert set(timings) == {"broken", "after"} and ran == [1]
    assert "warm-up step broken failed" in caplog.text
