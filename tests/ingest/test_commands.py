"""``tidtam import …`` and ``tidtam thai-repair``: a file over the size limit is refused unread."""

from __future__ import annotations

import io
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tidtam.ingest.models import ImportedSheet

pytestmark = pytest.mark.django_db


def _sparse(path: Path, megabytes: int) -> Path:
    with path.open("wb") as handle:  # the size is there, the bytes never written
        handle.truncate(megabytes * 1024 * 1024)
    return path


@pytest.mark.parametrize("kind", ["emes-sheet", "inspection", "annual-report"])
def test_a_50_mb_text_is_refused_before_it_is_read(tmp_path: Path, kind: str) -> None:
    big = _sparse(tmp_path / "copies.txt", 50)
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as exc:
            call_command("import", kind, str(big), stdout=io.StringIO(), stderr=io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(exc.value) == (
        "copies.txt: ไฟล์มีขนาด 50.0 MB เกินกำหนด 5 MB "
        "(แบ่งเป็นหลายไฟล์ หรือให้ผู้ดูแลระบบปรับ TIDTAM_MAX_IMPORT_MB)")
    assert peak < 10 * 1024 * 1024  # loading the command, not the 50 MB
    assert not ImportedSheet.objects.exists()


def test_thai_repair_bounds_what_it_reads_from_a_file_and_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CommandError, match=r"big\.txt: ไฟล์มีขนาด 8\.0 MB เกินกำหนด 5 MB"):
        call_command("thai-repair", str(_sparse(tmp_path / "big.txt", 8)))

    class Stdin:
        buffer = io.BytesIO(b"a" * (6 * 1024 * 1024))

    monkeypatch.setattr(sys, "stdin", Stdin)
    with pytest.raises(CommandError, match="stdin: ข้อมูลยาวเกินกำหนด 5 MB"):
        call_command("thai-repair")
