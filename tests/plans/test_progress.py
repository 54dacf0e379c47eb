"""Quarterly progress: owner enters, office reviews, everything audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import make_user
from tidtam.audit.models import AuditEntry
from tidtam.plans.dashboard import plan_dashboard
from tidtam.plans.progress import ProgressDenied, ProgressError, save_progress, transition


@pytest.fixture
def owner(db: None) -> Any:
    return make_user("plan-owner", "reporter", "SPM-65-53")


@pytest.fixture
def head(db: None) -> Any:
    return make_user("plan-head", "approver", "SPM-65-53")


def test_owner_records_a_quarter_and_the_dashboard_moves(plan: Any, owner: Any) -> None:
    project = plan.projects.get(number=9)  # budget 43,135.20 (003 L2522)
    before = plan_dashboard(plan).spending[0]["spent"]
    indicator = project.indicators.get(source="003 L3193")
    progress = save_progress(owner, project, 1, {
        "activities_done": "ประชุมจัดทำแผน", "money_spent": "๑๐,๐๐๐.๕๐",
        f"indicator_{indicator.pk}": "95", "problems": "",
    }, 0)
    assert progress.money_spent == Decimal("10000.50") and progress.state == "draft"
    dash = plan_dashboard(plan)
    assert dash.spending[0]["spent"] == before + Decimal("10000.50")
    status = next(s for s in dash.indicators if s.indicator.pk == indicator.pk)
    assert (status.value, status.quarter, status.on_track) == (Decimal("95"), 1, True)
    entry = AuditEntry.objects.filter(action="plan_progress").first()
    assert entry is not None and entry.after["money_spent"] == "10000.50"


def test_bad_input_names_the_field_and_writes_nothing(plan: Any, owner: Any) -> None:
    project = plan.projects.get(number=11)  # budget 5,000
    with pytest.raises(ProgressError, match="เงินที่ใช้ในไตรมาส: \"abc\" ไม่ใช่ตัวเลข"):
        save_progress(owner, project, 2, {"money_spent": "abc"}, 0)
    with pytest.raises(ProgressError, match=r"เกินงบประมาณโครงการ 5,000\.00 บาท"):
        save_progress(owner, project, 2, {"money_spent": "5000.01"}, 0)
    assert not project.progress.exists()
    law = plan.projects.get(number=13)  # its indicator's target is ร้อยละ 100 (003 L3231)
    indicator = law.indicators.get()
    with pytest.raises(ProgressError, match="ร้อยละต้องไม่เกิน 100"):
        save_progress(owner, law, 2, {"money_spent": "1", f"indicator_{indicator.pk}": "120"}, 0)
    assert not law.progress.exists()


def test_workflow_and_permissions(plan: Any, owner: Any, head: Any, reporter: Any) -> None:
    project = plan.projects.get(number=1)
    with pytest.raises(ProgressDenied):
        save_progress(reporter, project, 1, {"money_spent": "1"}, 0)  # another office's reporter
    progress = save_progress(owner, project, 1, {"money_spent": "1000"}, 0)
    transition(owner, progress, "submit")
    with pytest.raises(ProgressError, match="แก้ไขไม่ได้"):
        save_progress(owner, project, 1, {"money_spent": "2000"}, progress.version)
    with pytest.raises(ProgressDenied):
        transition(owner, progress, "accept")
    with pytest.raises(ProgressError, match="ต้องระบุเหตุผล"):
        transition(head, progress, "return")
    transition(head, progress, "return", "ยอดเงินไม่ตรงกับทะเบียนคุมงบ")
    save_progress(owner, project, 1, {"money_spent": "900"}, progress.version)
    transition(owner, progress, "submit")
    transition(head, progress, "accept")
    progress.refresh_from_db()
    assert progress.state == "accepted" and progress.money_spent == Decimal("900")
    states = list(AuditEntry.objects.filter(action="plan_progress_state")
                  .order_by("at", "pk").values_list("after", flat=True))
    assert states == ["submitted", "returned", "submitted", "accepted"]


def test_two_people_saving_one_quarter_the_second_is_refused_with_the_firsts_figures(
    plan: Any, owner: Any
) -> None:
    from tidtam.reporting.errors import Conflict

    colleague = make_user("plan-owner-2", "reporter", "SPM-65-53")
    project = plan.projects.get(number=9)
    # Both open Q2 before it has a report (version 0); the colleague saves first.
    first = save_progress(colleague, project, 2, {"money_spent": "1,000",
                                                  "activities_done": "อบรมครู"}, 0)
    assert first.version == 1
    with pytest.raises(Conflict) as exc:
        save_progress(owner, project, 2, {"money_spent": "2,000",
                                          "activities_done": "นิเทศโรงเรียน"}, 0)
    assert exc.value.version == 1 and exc.value.by == "plan-owner-2"
    assert exc.value.current["activities_done"] == "อบรมครู"
    assert exc.value.current["money_spent"] == Decimal("1000")
    stored = project.progress.get(quarter=2)
    assert (stored.activities_done, stored.money_spent) == ("อบรมครู", Decimal("1000"))
    assert AuditEntry.objects.filter(action="plan_progress").count() == 1
    # Having seen version 1, the owner merges and saves.
    merged = save_progress(owner, project, 2, {"money_spent": "3,000",
                                               "activities_done": "อบรมครู; นิเทศโรงเรียน"}, 1)
    assert merged.version == 2 and merged.money_spent == Decimal("3000")
    # Saving again what is stored is no conflict, whatever version the page had.
    assert save_progress(owner, project, 2, {"money_spent": "3,000",
                                             "activities_done": "อบรมครู; นิเทศโรงเรียน"},
                         1).version == 2


def test_figures_and_texts_beyond_the_limits_are_refused_naming_the_field(
    plan: Any, owner: Any
) -> None:
    project = plan.projects.get(number=9)
    indicator = project.indicators.get(source="003 L3193")
    with pytest.raises(ProgressError, match=r"^เงินที่ใช้ในไตรมาส: ตัวเลขต้องน้อยกว่า "
                                            r"1,000,000,000,000"):
        save_progress(owner, project, 1, {"money_spent": "9999999999999999"}, 0)
    with pytest.raises(ProgressError, match=r"^เงินที่ใช้ในไตรมาส: ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"):
        save_progress(owner, project, 1, {"money_spent": "10.005"}, 0)
    with pytest.raises(ProgressError, match=r"^ผลตัวชี้วัด .*: ตัวเลขต้องน้อยกว่า"):
        save_progress(owner, project, 1, {f"indicator_{indicator.pk}": "9" * 16}, 0)
    with pytest.raises(ProgressError, match=r"^กิจกรรมที่ดำเนินการ: มีอักขระที่ไม่ใช่ข้อความ"):
        save_progress(owner, project, 1, {"activities_done": "ประชุม\x00"}, 0)
    with pytest.raises(ProgressError, match=r"^ปัญหา อุปสรรค: ยาว 20,001 ตัวอักษร"):
        save_progress(owner, project, 1, {"problems": "ก" * 20_001}, 0)
    assert not project.progress.exists()
