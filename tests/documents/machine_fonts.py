"""Render a PDF as another machine would: its own fonts, in a process of its own.

Fontconfig reads its configuration once per process, so the PDF is made by a
child process with ``FONTCONFIG_FILE`` pointing at a private ``fonts.conf``:

* ``with_sarabun=True``: the machine's usual fonts plus the stock Sarabun
  TTFs of ``fontpkg-sarabun`` installed system-wide, as on a Thai
  government PC;
* ``with_sarabun=False``: the machine's usual fonts with every Sarabun file
  refused, so the case holds even on a machine that has it.

The child only calls :func:`tidtam.documents.pdf.html_to_pdf` on the HTML the
document's own PDF renderer uses, so what is tested is the production route.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import fontpkg_sarabun

STOCK_SARABUN = Path(fontpkg_sarabun.__file__).resolve().parent / "files"
SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
RENDER = "import sys; from tidtam.documents.pdf import html_to_pdf; " \
         "sys.stdout.buffer.write(html_to_pdf(sys.stdin.read()))"
THAI_RUN = re.compile(r"[\u0e01-\u0e5b]+")


def fonts_conf(directory: Path, *, with_sarabun: bool) -> Path:
    """Write a private fonts.conf into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    include = f'<include ignore_missing="yes">{SYSTEM_CONF}</include>' if SYSTEM_CONF.exists() \
        else "<dir>/usr/share/fonts</dir>"
    extra = (f"<dir>{STOCK_SARABUN}</dir>" if with_sarabun else
             "<selectfont><rejectfont><glob>*Sarabun*</glob></rejectfont></selectfont>")
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>{include}{extra}<cachedir>{directory / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def families(conf: Path) -> set[str]:
    """The font families a process using ``conf`` sees (fc-list)."""
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = subprocess.run(["fc-list", ":", "family"], env=env, capture_output=True, text=True,
                         check=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def render_elsewhere(html: str, conf: Path) -> bytes:
    """The PDF ``html_to_pdf`` makes in a process whose fontconfig is ``conf``."""
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    done = subprocess.run([sys.executable, "-c", RENDER], input=html.encode(), env=env,
                          capture_output=True, check=True, timeout=600)
    return done.stdout


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


class _Text(HTMLParser):
    """What a page shows: text outside <head>, <style>, <script> and <title>."""

    hidden = ("head", "style", "script", "title")

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in self.hidden

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in self.hidden and self.depth > 0

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def thai_words(text: str) -> Counter[str]:
    """Thai words, counted; whitespace is dropped first because a PDF breaks lines
    between words where the HTML has none (Thai puts no space between words)."""
    from pythainlp.tokenize import word_tokenize

    words: Counter[str] = Counter()
    for run in THAI_RUN.findall(re.sub(r"\s+", "", text)):
        words.update(w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w)
    return words


def words_back(html: str, pdf: bytes) -> tuple[float, list[str]]:
    """Share of the HTML's Thai words that pdftotext gives back, and some that it did not."""
    return share_back(html_text(html), pdf_text(pdf))


def share_back(shown: str, extracted: str) -> tuple[float, list[str]]:
    """Share of the Thai words of ``shown`` found (as often) in ``extracted``."""
    wanted, got = thai_words(shown), thai_words(extracted)
    total = sum(wanted.values())
    back = sum(min(n, got[w]) for w, n in wanted.items())
    lost = [w for w, n in wanted.most_common() if got[w] < n]
    return (back / total if total else 0.0), lost[:20]
