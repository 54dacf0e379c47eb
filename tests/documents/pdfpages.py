"""Read a PDF's pages back by area: the body, or the top and bottom margins."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

# A4 is 595 × 842 pt; the page number and the running footer live in the top
# and bottom 1.6 cm (45 pt) of every document tidtam prints.
AREAS = {
    "top": ("-x", "0", "-y", "0", "-W", "595", "-H", "45"),
    "body": ("-x", "0", "-y", "45", "-W", "595", "-H", "752"),
    "bottom": ("-x", "0", "-y", "797", "-W", "595", "-H", "45"),
}


def page_texts(pdf: bytes, area: str = "body", *options: str) -> list[str]:
    """pdftotext of each page's ``area`` (one string per page)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run([exe, *AREAS[area], *options, "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode()
    return out.split("\f")[:-1]  # pdftotext ends every page with a form feed


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_numbers(pdf: bytes) -> list[str]:
    """What the top margin of each page says, whitespace removed ("-2-")."""
    return [squash(t) for t in page_texts(pdf, "top")]
