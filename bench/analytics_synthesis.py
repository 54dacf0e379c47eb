"""Benchmark (d): the national synthesis page, and a web worker's first request.

On the synthetic country (245 offices, FY2566, 12-month round), each
measurement runs in a fresh Python process, as a web worker after a
restart is:

* ``cold``: Django set up, nothing else; the first request pays for the URL
  configuration, the view modules and whatever the page imports;
* ``warmed``: the worker imported ``tidtam.wsgi`` first (which runs
  ``tidtam.warmup.warm()``), as gunicorn's workers do; the warm-up's own
  time is reported apart.

Then the page again, 10 times, for the median of a warmed-up server (its
charts are not cached between views). Server time through Django's test
client (no network), the user an OBEC evaluator. Also the synthesis's
PDF and DOCX downloads, timed once each in the warmed process.

Run: ``.venv/bin/python bench/analytics_synthesis.py`` (a throw-away SQLite
with the country built, or ``DATABASE_URL``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from analytics_common import ROOT, setup_country

PAGE = "/analytics/synthesis/?year=2566&round=12m"
TARGET_MS = 300.0

CHILD = r"""
import json, os, statistics, sys, time
t0, c0 = time.perf_counter(), time.process_time()
if sys.argv[1] == "warmed":
    import tidtam.wsgi  # noqa: F401  (runs the warm-up, as a gunicorn worker does)
else:
    import django
    django.setup()
warm_s, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="evaluator"))
def get(url):
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - start, time.process_time() - cpu, len(response.content)
first, first_cpu, size = get(sys.argv[2])
runs = [get(sys.argv[2]) for _ in range(10)]
out = {"setup_s": warm_s, "setup_cpu": warm_cpu, "first_s": first, "first_cpu": first_cpu,
       "again_s": statistics.median(r[0] for r in runs),
       "again_cpu": statistics.median(r[1] for r in runs), "kb": size / 1024}
if sys.argv[1] == "warmed":
    for fmt in ("pdf", "docx"):
        out[fmt + "_s"] = get(f"/analytics/synthesis/2566/12m.{fmt}")[0]
print(json.dumps(out))
"""


def _child(mode: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, PAGE], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run() -> list[str]:
    setup_country()
    from django.conf import settings

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).strip(os.pathsep)
    if "DATABASE_URL" not in env:  # the throw-away SQLite of analytics_common
        env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    cold, warmed = _child("cold", env), _child("warmed", env)
    ok = max(cold["again_s"], warmed["first_s"]) * 1000 <= TARGET_MS

    def row(name: str, r: dict[str, float]) -> str:
        cells = [f"{r[k + '_s'] * 1000:.0f} / {r[k + '_cpu'] * 1000:.0f}"
                 for k in ("setup", "first", "again")]
        return f"| {name} | {' | '.join(cells)} | {r['kb']:.0f} |"

    return [
        "### (d) the national synthesis page, a fresh web worker", "",
        "| process | start-up ms (wall / CPU) | first view ms (wall / CPU) | "
        "next views ms, median of 10 (wall / CPU) | page KB |",
        "|---|---|---|---|---|",
        row("cold (Django only)", cold),
        row("warmed (`tidtam.wsgi`)", warmed),
        "",
        f"PDF download {warmed['pdf_s']:.1f} s, DOCX {warmed['docx_s']:.1f} s (warmed "
        f"process, first download). Target {TARGET_MS:.0f} ms for the page after a warm start: "
        f"{'met' if ok else '**missed**'}.",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
