"""``{% inline_static "app/file.css" %}``: a static file's text, for documents that travel alone.

Pages link their stylesheets (the Content Security Policy allows only
``style-src 'self'``), but a result sheet saved as ``.html`` or turned into a
PDF by WeasyPrint must carry its stylesheet inside. Both read the same file
from the static files, so the page and the document cannot drift apart.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _read(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"ไม่พบไฟล์ static '{path}'")
    return Path(str(found)).read_text(encoding="utf-8")


@register.simple_tag
def inline_static(path: str) -> SafeString:
    # The files are tidtam's own stylesheets, never user input.
    return mark_safe(_read(path))
