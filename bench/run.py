"""Benchmarks: how long the result sheet takes to build and render, on the demo data.

Run with ``make bench``. It uses a throw-away SQLite database (or
``DATABASE_URL``), loads the demo, times each step several times and writes
the medians to ``bench/results.md``, which the README quotes. Targets live
here, not in unit tests, because timings depend on the machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS_MS = {"build": 100, "html": 200, "json": 100, "xlsx": 500, "docx": 1000, "pdf": 5000}


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(runs), peak / 1e6


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="tidtam-bench-")
    os.environ.setdefault("TIDTAM_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("init", "--demo", verbosity=0, stdout=open(os.devnull, "w"))
    from tidtam.documents.esa_sheet import build_sheet
    from tidtam.documents.render import render
    from tidtam.orgs.models import OrgUnit

    org = OrgUnit.objects.get(code="SPM-52-51")
    sheet = build_sheet(org, 2566)
    render(sheet, "pdf")  # warm the font cache, as a running server would be
    rows = [("build", *timed(lambda: build_sheet(org, 2566), 20))]
    for fmt in ("json", "html", "xlsx", "docx", "pdf"):
        rows.append((fmt, *timed(lambda f=fmt: render(sheet, f), 5 if fmt == "pdf" else 20)))
    lines = [
        "| step | median ms | target ms | peak MB (tracemalloc) | within target |",
        "|---|---|---|---|---|",
    ]
    for name, ms, mb in rows:
        ok = "yes" if ms <= TARGETS_MS[name] else "**no**"
        lines.append(f"| {name} | {ms:.1f} | {TARGETS_MS[name]} | {mb:.1f} | {ok} |")
    out = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(out, encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
