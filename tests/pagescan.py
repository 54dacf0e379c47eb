"""Every page a test renders is read for what no user should see.

Installed as a middleware for the whole test run (tests/conftest.py), so it
reads the pages of the Django test client and of the live server the browser
tests drive alike, htmx fragments included. Two things are looked for in the
text a reader sees (not in attributes, scripts or styles):

- a year in the common era where tidtam promises Buddhist-era years: after a
  Thai month, after พ.ศ./ปีงบประมาณ, or in a numeric date (2023-10-15,
  15/10/2023);
- a Python representation leaking into a page: dicts and lists printed as
  such, ``None``/``True``/``False``, ``Decimal('…')``, ``<Model: …>``,
  ``object at 0x…``.

Each finding names the page; the test that rendered it fails.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from html.parser import HTMLParser

from django.http import HttpRequest, HttpResponse

from tidtam.thai.dates import MONTHS, MONTHS_SHORT

_MONTH = "|".join(re.escape(m) for m in (*MONTHS, *MONTHS_SHORT))
_CE = r"(?:19[0-9]{2}|20[0-9]{2})"
CE_YEAR = re.compile(
    rf"(?:(?:{_MONTH})\s*{_CE}(?![0-9]))"
    rf"|(?:(?:พ\.ศ\.|ปีงบประมาณ|ปีการศึกษา)\s*{_CE}(?![0-9]))"
    rf"|(?<![0-9]){_CE}-[01][0-9]-[0-3][0-9](?![0-9])"
    rf"|(?<![0-9/])[0-3]?[0-9]/[01]?[0-9]/{_CE}(?![0-9])"
)
PY_REPR = re.compile(
    r"\{'[^']*': "                    # {'level': 4, …}
    r"|\['[^']*'(?:, |\])"            # ['a', 'b']
    r"|(?<![\w.])(?:None|True|False)(?![\w.])"
    r"|Decimal\('"
    r"|datetime\.(?:date|datetime)\("
    r"|<[A-Z]\w+: [^>]*>"             # <OrgUnit: …>
    r"|<QuerySet"
    r"| object at 0x"
)

FOUND: list[str] = []
_lock = threading.Lock()


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def problems(html: str) -> list[str]:
    text = visible_text(html)
    out = []
    checks = [(CE_YEAR, "CE year"), (PY_REPR, "Python repr")]
    for pattern, what in checks:
        for m in pattern.finditer(text):
            context = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            out.append(f"{what} {m.group(0)!r} in …{context.strip()}…")
    return out


class PageScan:
    """Reads each HTML response on its way out; never changes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.get("Content-Type", "").startswith("text/html")
                and not getattr(response, "streaming", False)
                and not request.path.startswith("/admin/")):
            found = problems(response.content.decode(response.charset or "utf-8", "replace"))
            if found:
                with _lock:
                    FOUND.extend(f"{request.method} {request.get_full_path()}: {p}"
                                 for p in found)
        return response


def take() -> list[str]:
    with _lock:
        found = list(FOUND)
        FOUND.clear()
    return found
