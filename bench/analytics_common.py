"""Shared set-up of the analytics benchmarks: a database holding the synthetic country."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_country() -> float:
    """Django set up on ``DATABASE_URL`` (default: a throw-away SQLite), demo and
    national country loaded; returns the seconds the country took (0 if it was there)."""
    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.mkdtemp(prefix="tidtam-bench-analytics-")
        os.environ.setdefault("TIDTAM_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django
    from production import configure

    configure()
    django.setup()
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("init", "--demo", verbosity=0, stdout=quiet)
    from tidtam.analytics.national import SCALES, build_country

    start = time.perf_counter()
    result = build_country(SCALES["national"])
    return 0.0 if result.already else time.perf_counter() - start
