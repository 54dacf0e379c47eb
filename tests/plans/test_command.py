from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def test_load_fixture_and_check(db: None) -> None:
    out = StringIO()
    call_command("plans", "load-fixture", stdout=out)
    assert "14 โครงการ 51 ตัวชี้วัด" in out.getvalue()
    out = StringIO()
    call_command("plans", "check", "--org", "SPM-65-53", "--year", "2565", stdout=out)
    assert "ระบุคงเหลือ 5.20" in out.getvalue()


def test_bad_file_is_refused_in_thai(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("office: NOPE\nfiscal_year: 2565\ntitle: x\nprojects: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ไม่พบหน่วยงานรหัส"):
        call_command("plans", "load-fixture", str(bad))


def test_report_to_a_file(db: None, tmp_path: Path) -> None:
    call_command("plans", "load-fixture", stdout=StringIO())
    out = tmp_path / "report.docx"
    call_command("plans", "report", "--org", "SPM-65-53", "--year", "2565", "--format", "docx",
                 "-o", str(out))
    assert out.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="ต้องระบุไฟล์ด้วย -o"):
        call_command("plans", "report", "--org", "SPM-65-53", "--year", "2565", "--format", "pdf")
    with pytest.raises(CommandError, match="ไม่พบแผนปฏิบัติการของหน่วยงาน SPM-52-51"):
        call_command("plans", "report", "--org", "SPM-52-51", "--year", "2565")
