"""The database job queue behind `tidtam report esa-sheet --all`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tidtam.analytics.jobs import (
    batch_progress,
    claim,
    enqueue_sheets,
    requeue_dead_local,
    requeue_stale,
    work,
)
from tidtam.analytics.models import Job
from tidtam.orgs.models import OrgUnit


def test_queue_claims_each_job_once_and_resumes(db: None, tmp_path: Path) -> None:
    offices = OrgUnit.objects.area_offices().count()
    batch, added = enqueue_sheets(2566, "json", tmp_path)
    assert added == offices
    assert enqueue_sheets(2566, "json", tmp_path) == (batch, 0)  # resumable: nothing doubled
    a, b = claim("host-a:1", batch), claim("host-b:2", batch)
    assert a is not None and b is not None and a.pk != b.pk
    assert a.state == Job.State.RUNNING and a.worker == "host-a:1"
    # A worker of this machine that died leaves its job running; it goes back to the queue.
    import socket

    Job.objects.filter(pk=a.pk).update(worker=f"{socket.gethostname()}:999999999")
    assert requeue_dead_local(batch) == 1
    assert work(batch, "test:1") == offices - 1  # b stays with its (live, remote) worker
    p = batch_progress(batch)
    assert (p.done, p.running, p.queued, p.failed) == (offices - 1, 1, 0, 0)
    made = sorted(tmp_path.glob("*.json"))
    assert len(made) == offices - 1
    sheet = json.loads(made[0].read_text(encoding="utf-8"))
    assert sheet["fiscal_year"] == 2566
    assert made[0].name.endswith(f"{sheet['office']['code']}-2566.json")


def test_a_failing_job_is_recorded_and_retried(db: None, tmp_path: Path) -> None:
    Job.objects.create(batch="x", kind="esa-sheet", key="NOPE",
                       params={"org": "NOPE", "year": 2566, "format": "json",
                               "output": str(tmp_path / "nope.json")})
    assert work("x") == 1
    job = Job.objects.get(batch="x")
    assert job.state == Job.State.FAILED and "OrgUnit" in job.error
    assert requeue_stale("x") == 1
    assert Job.objects.get(batch="x").state == Job.State.QUEUED


def test_report_all_in_process(db: None, tmp_path: Path, capsys: Any) -> None:
    call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json",
                 "-o", str(tmp_path / "out"), "--workers", "0")
    assert len(list((tmp_path / "out").glob("*.json"))) == OrgUnit.objects.area_offices().count()
    call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json",
                 "-o", str(tmp_path / "out"), "--workers", "0")
    err = capsys.readouterr().err
    assert "เพิ่มใหม่ 0" in err
    assert re.search(r"กระบวนการนี้: หน่วยความจำสูงสุด \d+ MB เวลา CPU \d+\.\d วินาที", err)
    with pytest.raises(CommandError, match="โฟลเดอร์"):
        call_command("report", "esa-sheet", "--all", "--year", "2566", "--format", "json")
    with pytest.raises(CommandError, match="2599"):
        call_command("report", "esa-sheet", "--all", "--year", "2599", "-o", str(tmp_path / "y"))


def test_jobs_page_shows_progress_to_obec_only(db: None, tmp_path: Path) -> None:
    from django.test import Client

    from tests.conftest import make_user

    batch, added = enqueue_sheets(2566, "json", tmp_path)
    work(batch, "test:1", limit=2)
    obec = Client()
    obec.force_login(make_user("obec-viewer", "viewer", "OBEC"))
    page = obec.get("/analytics/jobs/", headers={"HX-Request": "true"}).content.decode()
    assert batch in page and f"<td>{added}</td><td>{added - 2}</td><td>0</td><td>2</td>" in page
    region = Client()
    region.force_login(make_user("reo-viewer", "viewer", "REO15"))
    assert region.get("/analytics/jobs/").status_code == 404



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
