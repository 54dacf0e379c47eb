"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
application = get_wsgi_application()

# A web process repairs and indexes Thai text whenever someone saves a
# narrative: load the dictionary and the word cutter now, at start-up, not in
# the first save a user waits on (~1.5 s).
from tidtam.search.text import prepare  # noqa: E402

prepare("สำนักงานเขตพื้นที่การศึกษา")
