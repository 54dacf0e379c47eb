"""A per-address limit on anonymous posts (the public report page, tracking look-ups).

Counted in Django's cache in fixed windows. A deployment with several server
processes needs a cache they share (``CACHES``, e.g. the database cache) for
the limit to hold across them; with the default per-process cache each
process counts on its own.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def allow(request: HttpRequest, scope: str) -> bool:
    """Count one request of ``scope`` from the caller's address; False once over the limit."""
    limits: dict[str, tuple[int, int]] = getattr(settings, "TIDTAM_RATE_LIMITS", {})
    count, seconds = limits.get(scope, DEFAULTS[scope])
    window = int(time.time() // seconds)
    key = f"tidtam:rate:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, seconds + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 5)
        used = 1
    return used <= count


#: scope → (requests, per seconds)
DEFAULTS = {"incident_report": (10, 600), "incident_track": (30, 60)}
