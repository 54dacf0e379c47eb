"""draft → submitted → returned → resubmitted → rated → approved, and who may do each."""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.audit.models import AuditEntry
from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import FrameworkNode
from tidtam.reporting import workflow
from tidtam.reporting.errors import InvalidInput, Locked, NotAllowed, TransitionRefused
from tidtam.reporting.models import State

pytestmark = pytest.mark.django_db


def fill_quality_schools(sub: Any, reporter: Any) -> None:
    """QP10 asks for the quality schools by name with their count (an error if missing)."""
    from tidtam.frameworks.models import DataElement
    from tidtam.reporting import editing

    for code, text in [("schools_total", "1"), ("school_names", "โรงเรียนบุญวาทย์วิทยาลัย")]:
        el = DataElement.objects.get(node__framework=sub.framework, node__code="10", code=code)
        report = editing.report_for(sub, el.node)
        from tidtam.reporting.figures import figures

        version = figures(sub, [el.node])[el.pk].version
        editing.save_value(reporter, report, el, text, version)


def _rate_everything(sub: Any, evaluator: Any, level: int = 4) -> None:
    for node in workflow.rated_nodes(sub):
        for rnd in workflow.ratable_rounds(sub):
            workflow.set_rating(evaluator, sub, node, rnd, level)


def test_full_cycle(submission: Any, reporter: Any, evaluator: Any, approver: Any) -> None:
    # Start from an office nobody has rated yet (the demo holds seed 004's ratings).
    Rating.objects.filter(org=submission.org, framework=submission.framework).delete()
    from tidtam.frameworks.models import DataElement
    from tidtam.reporting import editing

    total = DataElement.objects.get(node__framework=submission.framework, node__code="10",
                                    code="schools_total")
    editing.save_value(reporter, editing.report_for(submission, total.node), total, "2", 0)
    with pytest.raises(TransitionRefused) as refused:
        workflow.apply(reporter, submission, "submit")  # "2 quality schools", none named
    assert "ยังส่งไม่ได้" in refused.value.message and refused.value.problems
    editing.save_value(reporter, editing.report_for(submission, total.node), total, "", 1)
    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    assert sub.state == State.SUBMITTED and sub.submitted_at
    with pytest.raises(InvalidInput):
        workflow.apply(evaluator, sub, "return")  # a comment is required
    sub = workflow.apply(evaluator, sub, "return", "กรุณาเพิ่มข้อมูลตัวชี้วัดที่ 2")
    assert sub.state == State.RETURNED and sub.return_comment
    sub = workflow.apply(reporter, sub, "resubmit", confirm_incomplete=True)
    assert sub.state == State.RESUBMITTED
    with pytest.raises(TransitionRefused) as exc:
        workflow.apply(evaluator, sub, "finish_rating")
    assert "ยังไม่ได้ให้ระดับคุณภาพ" in exc.value.message
    _rate_everything(sub, evaluator)
    sub = workflow.apply(evaluator, sub, "finish_rating")
    assert sub.state == State.RATED
    sub = workflow.apply(approver, sub, "approve")
    assert sub.state == State.APPROVED
    node = FrameworkNode.objects.get(framework=sub.framework, code="1")
    with pytest.raises(Locked):
        workflow.set_rating(evaluator, sub, node, "12m", 5)
    sub = workflow.apply(approver, sub, "reopen", "แก้ไขระดับตามมติคณะกรรมการ")
    assert sub.state == State.RATED
    workflow.set_rating(evaluator, sub, node, "12m", 5)
    actions = list(AuditEntry.objects.filter(submission=sub, action="workflow")
                   .order_by("at", "pk").values_list("target", flat=True))
    assert actions == ["ส่งรายงาน", "ส่งกลับให้แก้ไข", "ส่งรายงานฉบับแก้ไข",
                       "ยืนยันผลการประเมิน", "อนุมัติผลการประเมิน", "เปิดแก้ไขหลังอนุมัติ"]
    rating = Rating.objects.get(org=sub.org, node=node, round="12m")
    rating_log = AuditEntry.objects.about(rating).filter(submission=sub, action="rating")
    assert rating_log.filter(after__level=5).exists()
    assert rating_log.first().target == "ตัวชี้วัดที่ 1 · รอบ 12 เดือน"


def test_roles_are_enforced(submission: Any, reporter: Any, evaluator: Any,
                            other_reporter: Any) -> None:
    with pytest.raises(NotAllowed):
        workflow.apply(evaluator, submission, "submit")
    with pytest.raises(NotAllowed):
        workflow.apply(other_reporter, submission, "submit")
    with pytest.raises(NotAllowed):
        workflow.apply(reporter, submission, "approve")
    with pytest.raises(Locked):
        workflow.apply(evaluator, submission, "finish_rating")  # still a draft


def test_ratings_are_limited_to_1_to_5_and_the_submissions_rounds(
    submission: Any, reporter: Any, evaluator: Any
) -> None:
    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    node = FrameworkNode.objects.get(framework=sub.framework, code="1")
    with pytest.raises(InvalidInput, match="1–5"):
        workflow.set_rating(evaluator, sub, node, "12m", 6)
    six_a = FrameworkNode.objects.get(framework=sub.framework, code="6a")
    with pytest.raises(InvalidInput):
        workflow.set_rating(evaluator, sub, six_a, "12m", 4)  # primary only
    rating = workflow.set_rating(evaluator, sub, node, "6m", 2)
    assert Rating.objects.get(pk=rating.pk).rated_by == evaluator


def test_stale_version_is_refused(submission: Any, reporter: Any) -> None:
    with pytest.raises(Locked, match="โหลดหน้าใหม่"):
        workflow.apply(reporter, submission, "submit", expected_version=submission.version + 1)


def test_a_rating_form_with_one_bad_cell_changes_nothing_and_names_the_cell(
    submission: Any, reporter: Any, evaluator: Any
) -> None:
    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    one, two = (FrameworkNode.objects.get(framework=sub.framework, code=c) for c in "12")
    before = list(Rating.objects.filter(org=sub.org, framework=sub.framework)
                  .values_list("node_id", "round", "level", "status"))
    with pytest.raises(InvalidInput) as exc:
        workflow.set_ratings(evaluator, sub, [(one, "6m", "1"), (two, "6m", "9"),
                                              (two, "12m", "ดี")])
    assert exc.value.message == (
        "ยังไม่ได้บันทึกระดับคุณภาพใดเลย: ตัวชี้วัดที่ 2 รอบ 6 เดือน: ระดับคุณภาพต้องเป็น 1–5 "
        "แต่พบ 9; ตัวชี้วัดที่ 2 รอบ 12 เดือน: ระดับ 'ดี' ไม่ถูกต้อง")
    assert list(Rating.objects.filter(org=sub.org, framework=sub.framework)
                .values_list("node_id", "round", "level", "status")) == before
    assert not AuditEntry.objects.filter(submission=sub, action="rating").exists()
    assert workflow.set_ratings(evaluator, sub, [(one, "6m", "1"), (two, "6m", "5")]) == 2
    assert Rating.objects.get(org=sub.org, node=one, round="6m").level == 1


def test_an_actual_beyond_the_limit_is_refused_naming_the_cell(
    submission: Any, reporter: Any, evaluator: Any
) -> None:
    from decimal import Decimal

    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    node = FrameworkNode.objects.get(framework=sub.framework, code="1")
    with pytest.raises(InvalidInput, match=r"^ตัวชี้วัดที่ 1 รอบ 12 เดือน: ผลการดำเนินงาน: "
                                           r"ตัวเลขต้องน้อยกว่า 10,000,000,000"):
        workflow.set_rating(evaluator, sub, node, "12m", None, actual=Decimal("1e16"))
