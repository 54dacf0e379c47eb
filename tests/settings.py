"""Settings of the test suite: tidtam's own, with the development mode asked for.

tidtam runs as production unless ``TIDTAM_DEBUG=1`` says otherwise; the
tests ask for it (the demo key, static files found in the apps), and
pytest-django still runs each test with DEBUG off, as production answers.
The SQLite test database is a file in WAL mode, like the embedded default,
not an in-memory one: the live server's threads and the tests then see the
locking a real server sees.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("TIDTAM_DEBUG", "1")

from tidtam.settings import *  # noqa: F403
from tidtam.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"tidtam-test-{os.getpid()}.sqlite3"),
    }
