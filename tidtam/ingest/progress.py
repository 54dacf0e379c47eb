"""Progress of a long import on the terminal: a line that updates, or a few plain lines."""

from __future__ import annotations

from typing import Any, TextIO

# Short files finish before anyone would read a progress line.
MIN_LINES = 1000


class LineProgress:
    """``progress(done, total)`` for ``repair``: "ซ่อมข้อความ 1,200/3,729 บรรทัด (32%)".

    On a terminal the line rewrites itself; in a log (CI, cron, a pipe) it
    prints at every quarter so the log stays short.
    """

    def __init__(self, stream: TextIO | Any, label: str = "ซ่อมข้อความภาษาไทย"):
        self.stream = stream
        self.label = label
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.quarter = -1

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_LINES:
            return
        percent = done * 100 // total
        text = f"{self.label} {done:,}/{total:,} บรรทัด ({percent}%)"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if done == total else ""))
            self.stream.flush()
        elif percent // 25 > self.quarter:
            self.quarter = percent // 25
            self.stream.write(text + "\n")
            self.stream.flush()
