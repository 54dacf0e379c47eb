"""A narrative block is written once per office, topic and period, and pinned when sent."""

from __future__ import annotations

from typing import Any

import pytest

from tidtam.frameworks.models import FrameworkNode
from tidtam.measures.models import Period
from tidtam.narratives import store
from tidtam.narratives.loader import assign_topics
from tidtam.narratives.models import Block, BlockKind, blocks_for, topic_of
from tidtam.reporting import editing, narratives, workflow
from tidtam.reporting.errors import Conflict, InvalidInput
from tidtam.reporting.models import Submission

pytestmark = pytest.mark.django_db


def _node(framework: str, code: str) -> FrameworkNode:
    return FrameworkNode.objects.get(framework__code=framework, framework__fiscal_year=2566,
                                     code=code)


def test_a_block_shows_in_every_node_of_its_topic_and_only_there(spm: Any) -> None:
    qp2, esa342, qp1 = _node("qp", "2"), _node("esa", "3.4.2"), _node("qp", "1")
    assert topic_of(qp2) == topic_of(esa342) and topic_of(qp2).code == "dropouts"
    period = Period.of(2566, "12m")
    block = store.create(None, spm, qp2, period, BlockKind.objects.get(code="drive"),
                         content={"text": "ตั้งศูนย์ประสานงานพาน้องกลับมาเรียนทุกโรงเรียน"})
    assert list(blocks_for(spm, esa342, period)) == [block]
    assert list(blocks_for(spm, qp1, period)) == []  # another topic
    assert list(blocks_for(spm, qp2, Period.of(2566, "6m"))) == []  # another period


def test_concurrent_edits_of_one_block_conflict_and_a_delete_keeps_it(spm: Any) -> None:
    period = Period.of(2566, "12m")
    block = store.create(None, spm, _node("qp", "2"), period,
                         BlockKind.objects.get(code="drive"), content={"text": "ก"})
    store.save(None, block, {"text": "ข"}, 1)
    with pytest.raises(store.BlockConflict) as exc:
        store.save(None, Block.objects.get(pk=block.pk), {"text": "ค"}, 1)
    assert exc.value.block.text == "ข"
    store.delete(None, exc.value.block, 2)
    assert Block.objects.get(pk=block.pk).deleted_at is not None
    assert not blocks_for(spm, _node("qp", "2"), period).exists()
    assert list(Block.objects.get(pk=block.pk).revisions.values_list("text", flat=True)) == [
        "ก", "ข"]
    with pytest.raises(store.BlockRefused, match="เกินกำหนด 500 ตัวอักษร"):
        store.clean({"title": "ก" * 501})


def test_a_sent_report_keeps_the_text_it_was_sent_with(
    submission: Submission, reporter: Any, evaluator: Any
) -> None:
    from tests.reporting.test_workflow import fill_quality_schools

    fill_quality_schools(submission, reporter)
    report = editing.report_for(submission, _node("qp", "2"))
    sent_text = "ติดตามเด็กครบ 28 คน"
    block = editing.save_narrative(reporter, report, "drive", sent_text, 0)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    # The office goes on writing the same topic's block elsewhere (the inspection form).
    store.save(reporter, block, {"text": "ติดตามเด็กครบ 30 คน"}, block.version)
    (drive,) = [s for s in narratives.slots(sub, report.node) if s.code == "drive"]
    assert [b.content.text for b in drive.blocks] == [sent_text]
    # A block written after sending is not in the sent report either.
    store.create(reporter, sub.org, report.node, narratives.period_of(sub),
                 BlockKind.objects.get(code="drive"), content={"text": "ย่อหน้าใหม่"})
    (drive,) = [s for s in narratives.slots(sub, report.node) if s.code == "drive"]
    assert len(drive.blocks) == 1
    sub = workflow.apply(evaluator, sub, "return", "กรุณาปรับปรุง")
    (drive,) = [s for s in narratives.slots(sub, report.node) if s.code == "drive"]
    assert [b.content.text for b in drive.blocks] == ["ติดตามเด็กครบ 30 คน", "ย่อหน้าใหม่"]


def test_a_form_cannot_edit_a_block_it_does_not_show(
    submission: Submission, reporter: Any
) -> None:
    other_topic = store.create(None, submission.org, _node("qp", "1"),
                               Period.of(2566, "12m"), BlockKind.objects.get(code="problem"))
    report = editing.report_for(submission, _node("qp", "2"))
    with pytest.raises(InvalidInput, match="ไม่ได้อยู่ในตัวชี้วัดนี้"):
        editing.save_problem(reporter, report, other_topic, "x", "y", 1)
    with pytest.raises(Conflict):
        editing.save_narrative(reporter, report, "drive", "x", 3)  # it was deleted meanwhile


def test_blocks_get_their_topic_when_the_crosswalk_arrives(spm: Any) -> None:
    block = store.create(None, spm, _node("qp", "2"), Period.of(2566, "12m"),
                         BlockKind.objects.get(code="drive"), content={"text": "ก"})
    Block.objects.filter(pk=block.pk).update(topic=None)  # as a migration leaves it
    assert assign_topics() == 1 and assign_topics() == 0
    assert Block.objects.get(pk=block.pk).topic.code == "dropouts"
