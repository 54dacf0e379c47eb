"""Pay at a web process's start what its first visitors would otherwise wait for.

A web worker imports lazily: the URL configuration (and with it every view
module and the API's schema) on its first request, matplotlib and openpyxl
on the first chart or spreadsheet download, WeasyPrint and the patched
fonts on the first PDF, the Thai dictionary on the first save that indexes
a narrative. After a restart every worker's first visitor paid 1.6 s or
more. ``tidtam/wsgi.py`` calls :func:`warm` once per worker process, before
it serves anyone; tests and management commands never do.
"""

from __future__ import annotations

import gc
import importlib
import logging
import time
from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)


def _urls() -> None:
    from django.urls import get_resolver, reverse

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    reverse("analytics:synthesis")  # builds the reverse lookup tables


def _templates() -> None:
    from django.template.loader import get_template

    get_template("base.html")


def _charts() -> None:
    from decimal import Decimal

    from tidtam.analytics import charts

    # One small drawing: pyplot, Sarabun's registration, the font and glyph
    # caches the first chart download or DOCX would otherwise load.
    charts.render(charts.Chart("ระดับ", ["ดี"], [Decimal(1)]), "png")


def _modules(*names: str) -> Callable[[], None]:
    def load() -> None:
        for name in names:
            importlib.import_module(name)
    return load


def _pdf() -> None:
    from tidtam.documents.pdf import font_face_css

    importlib.import_module("weasyprint")
    font_face_css()  # builds the patched faces once per machine, hashes them once per process


def _thai() -> None:
    from tidtam.search.text import prepare

    prepare("สำนักงานเขตพื้นที่การศึกษา")


def _freeze() -> None:
    """Move what start-up loaded out of the garbage collector's sight.

    After the steps above a worker holds some 640,000 objects that live as
    long as it does (modules, fonts, the Thai dictionary). Every full
    collection walked all of them: a pause of 100–140 ms that fell, now and then,
    on some visitor's request (the dashboard's slowest requests in
    ``bench/analytics_load.py``). Frozen objects are never walked again;
    what requests allocate is collected as before.
    """
    gc.collect()
    gc.freeze()


STEPS: dict[str, Callable[[], None]] = {
    "urls": _urls,
    "templates": _templates,
    "matplotlib": _charts,
    "openpyxl, python-docx": _modules("openpyxl", "docx"),
    "weasyprint": _pdf,
    "thai dictionary": _thai,
    "gc freeze": _freeze,  # last: after everything start-up loads
}


def warm() -> dict[str, float]:
    """Run every step; returns seconds per step. A failing step is logged, not raised:
    a worker that cannot pre-load something still serves what it can."""
    timings = {}
    for name, step in STEPS.items():
        start = time.perf_counter()
        try:
            step()
        except Exception:  # warming must never stop a worker from starting
            _LOGGER.exception("warm-up step %s failed", name)
        timings[name] = time.perf_counter() - start
    _LOGGER.info("worker warmed in %.2f s (%s)", sum(timings.values()),
                 ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    return timings
