"""Benchmarks measure tidtam as production runs it: DEBUG off.

tidtam refuses to start in production mode without a secret key; a
benchmark's database is thrown away, so a fresh random key per run is
right. Its servers listen on plain HTTP on loopback, so the HTTPS redirect
is off (a real site keeps it on behind TLS). Pages need the collected
static files (hashed names, as `tidtam collectstatic` makes them).
"""

from __future__ import annotations

import os
import secrets


def configure() -> None:
    """Before ``django.setup()``: production mode on loopback HTTP."""
    os.environ.pop("TIDTAM_DEBUG", None)
    os.environ.setdefault("TIDTAM_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["TIDTAM_HTTPS"] = "0"


def collect_static() -> None:
    """After ``django.setup()``: the static files a production server serves."""
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
