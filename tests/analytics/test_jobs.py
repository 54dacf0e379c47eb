"""The jobs page: batch progress for OBEC's staff, each user's own tasks, a task's own page."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_user
from tidtam.jobs.worker import run
from tidtam.orgs.models import OrgUnit
from tidtam.search.tasks import reindex_search


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_report_all_in_process_then_again(db: None, tmp_path: Path) -> None:
    out, err = tmp_path / "out", io.StringIO()
    call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json",
                 "-o", str(out), "--workers", "0", stderr=err)
    offices = OrgUnit.objects.area_offices().count()
    assert len(list(out.glob("*.json"))) == offices
    assert f"สร้างใหม่ {offices} ข้าม (ข้อมูลเดิม) 0" in err.getvalue()
    err = io.StringIO()
    call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json",
                 "-o", str(out), "--workers", "0", stderr=err)
    assert f"สร้างใหม่ 0 ข้าม (ข้อมูลเดิม) {offices}" in err.getvalue()
    assert re.search(r"กระบวนการนี้: หน่วยความจำสูงสุด \d+ MB เวลา CPU \d+\.\d วินาที", err.getvalue())
    with pytest.raises(CommandError, match="โฟลเดอร์"):
        call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json")
    with pytest.raises(CommandError, match="2599"):
        call_command("report", "esa-sheet", "--all", "--year", "2599", "-o", str(tmp_path / "y"))
    with pytest.raises(CommandError, match="NOPE"):
        call_command("report", "esa-sheet", "--all", "--year", "2566", "--under", "NOPE",
                     "-o", str(tmp_path / "z"))


def test_an_unfinished_batch_is_taken_up_again(db: None, tmp_path: Path) -> None:
    args = ["report", "esa-sheet", "--all", "--year", "2566", "--format", "json",
            "-o", str(tmp_path), "--under", "REO15"]
    call_command(*args, "--enqueue-only", stderr=io.StringIO())
    assert run(["documents"], max_tasks=2) == 2
    err = io.StringIO()
    call_command(*args, "--workers", "0", stderr=err)
    assert "ต่อจากครั้งก่อน: เพิ่ม 0 เขต" in err.getvalue()
    assert "สร้างใหม่ 6 ข้าม (ข้อมูลเดิม) 0" in err.getvalue()
    assert DBTaskResult.objects.count() == 6  # nothing queued twice


def test_jobs_page_shows_batches_to_obec_and_own_tasks_to_each(db: None,
                                                               tmp_path: Path) -> None:
    call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json",
                 "-o", str(tmp_path), "--under", "REO15", "--enqueue-only", stderr=io.StringIO())
    run(["documents"], max_tasks=2)
    obec = _client(make_user("obec-viewer", "viewer", "OBEC"))
    page = obec.get("/analytics/jobs/", headers={"HX-Request": "true"}).content.decode()
    assert "สร้างเอกสารผลการประเมินของเขตพื้นที่" in page
    assert "<td>6</td><td>4</td><td>0</td><td>2</td><td>0</td><td>2</td><td>0</td>" in page
    region_user = make_user("reo-viewer", "viewer", "REO15")
    mine = reindex_search.enqueue(user_id=region_user.pk)
    region = _client(region_user)
    page = region.get("/analytics/jobs/").content.decode()
    assert "สร้างเอกสารผลการประเมิน" not in page and "ชุดงาน" not in page
    assert "สร้างดัชนีค้นหาใหม่" in page and "รอดำเนินการ" in page
    assert region.get(f"/analytics/jobs/{mine.id}/").status_code == 200
    someone = reindex_search.enqueue(user_id=obec.session["_auth_user_id"])
    assert region.get(f"/analytics/jobs/{someone.id}/").status_code == 404
    assert region.get("/analytics/jobs/not-a-uuid/").status_code == 404


def test_a_process_reports_its_own_peak_not_its_parents() -> None:
    """A worker forked from a big command reports its own high-water mark."""
    code = ("from tidtam.analytics.usage import own_usage; "
            "x = bytearray({size}); x[::4096] = b'1' * len(x[::4096]); "
            "print(own_usage()[0]); sum(range(10**6))")
    def peak(size: int) -> float:
        out = subprocess.run([sys.executable, "-c", code.format(size=size)],
                             capture_output=True, text=True, check=True).stdout
        return float(out.split()[-1])
    ballast = bytearray(300_000_000)  # this process: well over 300 MB, the child's parent
    ballast[::4096] = b"1" * len(ballast[::4096])
    small, big = peak(1), peak(150_000_000)
    assert small < 150 < big < 300
    del ballast
