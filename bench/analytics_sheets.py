"""Benchmark (b): every area office's result sheet (~245) as DOCX and as PDF.

Runs the real command, ``tidtam report esa-sheet --all --year 2566 --format F
-o DIR --workers 2`` (two worker processes for this 2-core machine) on the
synthetic country, and reports wall time, the CPU seconds of the whole run
(the command and its workers, ``getrusage`` of the children before and
after) and each worker's own peak resident memory, which every worker
prints when it ends (its ``VmHWM``; ``ru_maxrss`` of the children would be
the largest process ever waited for, forked copies of their parents
included). Targets (issue 4): DOCX under 60 s, PDF under 5 min, peak
memory under 1 GiB.
Run: ``.venv/bin/python bench/analytics_sheets.py [docx pdf]``.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analytics_common import ROOT, setup_country

TARGETS_S = {"docx": 60.0, "pdf": 300.0}
TARGET_MB = 1024.0
# What each `tidtam worker` prints as it ends (tidtam/analytics/usage.py).
WORKER_LINE = re.compile(r"^(?:ผู้ทำงาน )?(?P<name>\S+): ทำงานเสร็จ (?P<jobs>\d+) งาน "
                         r"หน่วยความจำสูงสุด (?P<mb>\d+) MB เวลา CPU (?P<cpu>[\d.]+) วินาที", re.M)


def run(formats: list[str] | None = None) -> list[str]:
    setup_country()
    from django.conf import settings

    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if "DATABASE_URL" not in env:  # the throw-away SQLite of analytics_common
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    lines = ["### (b) every result sheet, 2 worker processes", "",
             "| format | sheets | wall s | CPU s (all processes) | target s | "
             "peak MB per worker (own) | within target |",
             "|---|---|---|---|---|---|---|"]
    for fmt in formats or ["docx", "pdf"]:
        out = Path(tempfile.mkdtemp(prefix=f"tidtam-sheets-{fmt}-"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tidtam.cli", "report", "esa-sheet", "--all", "--year", "2566",
             "--format", fmt, "-o", str(out), "--workers", "2"],
            env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        peaks = [int(m["mb"]) for m in WORKER_LINE.finditer(done.stderr)]
        if not peaks:
            raise SystemExit(f"no worker reported its usage:\n{done.stderr[-2000:]}")
        n = len(list(out.glob(f"*.{fmt}")))
        ok = wall <= TARGETS_S[fmt] and max(peaks) <= TARGET_MB
        lines.append(f"| {fmt} | {n} | {wall:.1f} | {cpu:.1f} | {TARGETS_S[fmt]:.0f} | "
                     f"{', '.join(map(str, peaks))} | {'yes' if ok else '**no**'} |")
    return lines


if __name__ == "__main__":
    print("\n".join(run(sys.argv[1:] or None)))
