"""``tidtam init --demo`` loads everything, and running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tidtam.demo.loader import load_demo
from tidtam.frameworks.loader import load_all
from tidtam.frameworks.models import Framework, FrameworkNode

pytestmark = pytest.mark.django_db


def test_second_run_changes_nothing() -> None:
    # The session fixture already ran both loaders once.
    assert load_all().changed == 0
    assert load_demo() == 0


def test_init_command_reports_no_change(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("init", "--demo", stdout=out)
    text = out.getvalue()
    assert "กรอบการประเมิน: เปลี่ยนแปลง 0 รายการ" in text
    assert "ข้อมูลตัวอย่าง: เปลี่ยนแปลง 0 รายการ" in text
    assert "ชื่อผู้ใช้ demo" in text


def test_fy2566_frameworks_are_loaded() -> None:
    codes = list(Framework.objects.filter(fiscal_year=2566).values_list("code", flat=True))
    # The inspection form (rt) is a framework too; it is on no result sheet.
    assert codes == ["qp", "ap", "esa", "plan", "rt"]
    assert list(Framework.objects.on_sheet(2566).values_list("code", flat=True)) == [
        "qp", "ap", "esa"]
    qp = list(FrameworkNode.objects.filter(framework__code="qp").values_list("code", flat=True))
    assert qp == ["1", "2", "3", "4", "5", "6a", "6b", "7", "8", "9", "10", "X1", "X2"]
    ap = list(FrameworkNode.objects.filter(framework__code="ap").values_list("code", flat=True))
    assert ap == ["2", "3", "4", "10", "11", "12", "13", "14", "17", "21", "24"]
    esa = FrameworkNode.objects.filter(framework__code="esa")
    assert esa.get(code="3.4.3.2").heading == "3.2"
    assert esa.get(code="3.4.3.2").applies_to == "secondary"
    assert not esa.filter(code="3.5").exists()
