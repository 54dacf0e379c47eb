"""The Content Security Policy of the self-contained documents.

A result sheet or inspection report downloaded as ``.html`` is meant to be
saved, mailed and opened years later without tidtam: its fonts and pictures
are ``data:`` URLs and its stylesheet is inside the file (the same file
WeasyPrint turns into the PDF). The site-wide policy (``style-src 'self'``)
would strip its layout, so these responses carry a policy of their own that
is stricter everywhere else: no script of any kind, nothing fetched from
anywhere, not even from tidtam.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.decorators import csp

DOCUMENT_POLICY: dict[str, Any] = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "font-src": ["data:"],
    "img-src": ["data:"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'none'"],
}


def document_policy(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a view whose HTML answer is a self-contained document."""
    return csp(DOCUMENT_POLICY)(view)
