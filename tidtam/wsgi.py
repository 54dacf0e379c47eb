"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
application = get_wsgi_application()

# Each worker process imports this module once, before serving anyone: load
# now what its first visitors would otherwise wait for (URL configuration,
# matplotlib, openpyxl, WeasyPrint, the Thai dictionary; see tidtam/warmup.py).
from tidtam.warmup import warm  # noqa: E402

warm()
