"""Long imports show their progress; short ones stay quiet."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from tidtam.ingest.progress import LineProgress
from tidtam.ingest.thai_repair import repair

LINE = "ผลการประเมนิผลของสำนักงานเขตพื้นที่"  # a slid mark to repair on every line


def test_repair_reports_every_hundred_lines_and_the_end() -> None:
    calls: list[tuple[int, int]] = []
    text = "\n".join(f"{LINE} {i}" for i in range(250))
    out = repair(text, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
    assert out.split("\n")[0] == "ผลการประเมินผลของสำนักงานเขตพื้นที่ 0"
    again: list[tuple[int, int]] = []
    assert repair(text, progress=lambda d, t: again.append((d, t))) == out
    assert again == [(250, 250)]  # the same text again: remembered, still reported done


def test_a_log_gets_a_line_per_quarter() -> None:
    stream = io.StringIO()
    bar = LineProgress(stream)
    for done in range(100, 1201, 100):
        bar(done, 1200)
    lines = stream.getvalue().splitlines()
    assert [line.split("(")[1] for line in lines] == ["8%)", "25%)", "50%)", "75%)", "100%)"]
    assert lines[-1] == "ซ่อมข้อความภาษาไทย 1,200/1,200 บรรทัด (100%)"


def test_short_texts_print_nothing() -> None:
    stream = io.StringIO()
    LineProgress(stream)(300, 300)
    assert stream.getvalue() == ""


def test_thai_repair_command_shows_progress_on_a_long_file(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("\n".join(f"{LINE} บรรทัด {i}" for i in range(1100)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("thai-repair", str(path), stderr=err, stdout=out)
    assert "1,100/1,100 บรรทัด (100%)" in err.getvalue()
    assert "ซ่อมแล้ว 1,100 บรรทัด จากทั้งหมด 1,100 บรรทัด" in err.getvalue()
