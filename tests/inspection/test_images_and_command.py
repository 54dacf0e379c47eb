"""Images travel into the DOCX; the command line makes the same documents."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from tests.inspection.helpers import contributors
from tidtam.inspection.compile import gather, report_for
from tidtam.inspection.contributions import EntryData, save_entry
from tidtam.inspection.models import EntryKind
from tidtam.inspection.render import render
from tidtam.orgs.models import OrgUnit


def _png() -> bytes:
    """A valid 1×1 white PNG, built here so the test needs no image file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


PNG = _png()


def test_best_practice_images_in_the_docx(framework: Any) -> None:
    users = contributors(["PEO75", "DOLE-75"])
    issue = framework.issues().get(code="2.7")
    for name, data in (("good.png", PNG), ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)):
        save_entry(users["DOLE-75"], OrgUnit.objects.get(code="DOLE-75"), issue, EntryData(
            "best_practice", kind=EntryKind.IMAGE, text=f"ภาพกิจกรรม {name}",
            image=SimpleUploadedFile(name, data)), final=True)
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    gather(users["PEO75"], report)
    doc = Document(io.BytesIO(render(report, "docx")))
    assert len(doc.inline_shapes) == 1
    texts = [p.text for p in doc.paragraphs]
    assert "1. สำนักงานส่งเสริมการเรียนรู้จังหวัดสมุทรสงคราม ภาพกิจกรรม good.png" in texts
    assert "[ภาพ: เปิดไฟล์ภาพไม่ได้]" in texts
    pdf = render(report, "pdf")  # images are read from disk; the broken one is left out
    assert pdf.startswith(b"%PDF") and b"/Image" in pdf


def test_command_writes_the_report(framework: Any, tmp_path: Path) -> None:
    out = tmp_path / "peo75.docx"
    call_command("inspection", "report", "--org", "PEO75", "--year", "2566",
                 "--format", "docx", "-o", str(out))
    doc = Document(str(out))
    assert sum(p.text.startswith("นโยบายที่ ") for p in doc.paragraphs) == 6
    assert doc.paragraphs[0].text == "แบบ รต.66"
