"""Benchmark (b): every area office's result sheet (~245) as DOCX and as PDF.

Runs the real command, ``tidtam report esa-sheet --all --year 2566 --format F
-o DIR --workers 2`` (two worker processes for this 2-core machine) on the
synthetic country, and reports wall time and the peak resident memory of
the largest process (``getrusage`` of the children). Targets (issue 4): DOCX
under 60 s, PDF under 5 min, peak memory under 1 GiB.
Run: ``.venv/bin/python bench/analytics_sheets.py [docx pdf]``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analytics_common import ROOT, setup_country

TARGETS_S = {"docx": 60.0, "pdf": 300.0}
TARGET_MB = 1024.0


def run(formats: list[str] | None = None) -> list[str]:
    setup_country()
    from django.conf import settings

    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if "DATABASE_URL" not in env:  # the throw-away SQLite of analytics_common
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    lines = ["### (b) every result sheet, 2 worker processes", "",
             "| format | sheets | wall s | target s | peak MB (largest process) | within target |",
             "|---|---|---|---|---|---|"]
    for fmt in formats or ["docx", "pdf"]:
        out = Path(tempfile.mkdtemp(prefix=f"tidtam-sheets-{fmt}-"))
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tidtam.cli", "report", "esa-sheet", "--all", "--year", "2566",
             "--format", fmt, "-o", str(out), "--workers", "2"],
            env=env, cwd=ROOT, check=True, stderr=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        n = len(list(out.glob(f"*.{fmt}")))
        ok = wall <= TARGETS_S[fmt] and peak_mb <= TARGET_MB
        lines.append(f"| {fmt} | {n} | {wall:.1f} | {TARGETS_S[fmt]:.0f} | {peak_mb:.0f} | "
                     f"{'yes' if ok else '**no**'} |")
    return lines


if __name__ == "__main__":
    print("\n".join(run(sys.argv[1:] or None)))
