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
PAGE_TARGET_MS = 300  # issue 3: no page of normal use slower than this on the demo data


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


def pages(repeat: int = 10) -> list[tuple[str, float, float]]:
    """Server time of the pages people use all day, through Django's test client.

    The demo's QP report of สพม.ลำปาง ลำพูน is sent first (a long text in each
    indicator's first narrative slot), so the evaluator has something to rate.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting import editing, narratives, workflow
    from tidtam.reporting.models import Submission

    User = get_user_model()
    reporter = User.objects.get(username="spm5251")
    evaluator = User.objects.get(username="evaluator")
    sub, _ = Submission.objects.get_or_create(
        org=OrgUnit.objects.get(code="SPM-52-51"),
        framework=Framework.objects.get(code="qp", fiscal_year=2566), round="12m")
    if sub.state == "draft":
        for node in workflow.rated_nodes(sub):
            report = editing.report_for(sub, node)
            first = narratives.slots(sub, node)[0]
            if first.first is None:
                editing.save_narrative(reporter, report, first.code, "ข้อความทดสอบ " * 200, 0)
        # not every figure of the demo is typed: sent with the confirmation the form asks for
        workflow.apply(reporter, sub, "submit", confirm_incomplete=True)
    as_reporter, as_evaluator = Client(), Client()
    as_reporter.force_login(reporter)
    as_evaluator.force_login(evaluator)
    urls = [
        ("page: task list (reporter)", as_reporter, "/tasks/"),
        ("page: task list (evaluator, OBEC)", as_evaluator, "/tasks/"),
        ("page: submission overview", as_reporter, f"/submissions/{sub.pk}/"),
        ("page: indicator form", as_reporter, f"/submissions/{sub.pk}/i/1/"),
        ("page: rating screen", as_evaluator, f"/submissions/{sub.pk}/rate/"),
        ("page: result sheet", as_reporter, "/sheets/2566/SPM-52-51/"),
        ("page: org search", as_evaluator, "/orgs/?q=ลำปาง"),
    ]
    out = []
    for name, client, url in urls:
        assert client.get(url).status_code == 200, url
        out.append((name, *timed(lambda c=client, u=url: c.get(u), repeat)))
    return out


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="tidtam-bench-")
    os.environ.setdefault("TIDTAM_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django
    from production import collect_static, configure

    configure()
    django.setup()
    from django.core.management import call_command

    collect_static()
    with open(os.devnull, "w") as quiet:
        call_command("init", "--demo", verbosity=0, stdout=quiet)
    from tidtam.documents.esa_sheet import build_sheet
    from tidtam.documents.render import render
    from tidtam.orgs.models import OrgUnit

    org = OrgUnit.objects.get(code="SPM-52-51")
    sheet = build_sheet(org, 2566)
    render(sheet, "pdf")  # warm the font cache, as a running server would be
    rows = [("build", *timed(lambda: build_sheet(org, 2566), 20))]
    for fmt in ("json", "html", "xlsx", "docx", "pdf"):
        rows.append((fmt, *timed(lambda f=fmt: render(sheet, f), 5 if fmt == "pdf" else 20)))
    for name, ms, mb in pages():
        rows.append((name, ms, mb))
        TARGETS_MS[name] = PAGE_TARGET_MS
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
