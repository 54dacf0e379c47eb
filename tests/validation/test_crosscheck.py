"""The same office rated far apart on two frameworks of one topic is listed for the evaluator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tidtam.evaluation.models import Rating
from tidtam.orgs.models import OrgUnit
from tidtam.validation.crosscheck import level_gaps

pytestmark = pytest.mark.django_db


def test_seed_004_qp2_five_and_esa_342_two_are_flagged(spm: OrgUnit) -> None:
    gaps = {g.topic.code: g for g in level_gaps(spm, 2566)}
    gap = gaps["dropouts"]
    assert (gap.high.node.framework.code, gap.high.node.code, gap.high.value) == (
        "qp", "2", Decimal(5))
    assert (gap.low.node.framework.code, gap.low.node.code, gap.low.value) == (
        "esa", "3.4.2", Decimal(2))
    assert "ตัวชี้วัดที่ 2" in gap.message_th and "ประเด็นการพิจารณาที่ 2" in gap.message_th
    assert gap.high.sources and gap.low.sources  # traceable to the ratings


def test_close_ratings_and_inferred_links_are_not_flagged(spm: OrgUnit) -> None:
    Rating.objects.filter(org=spm, node__framework__code="esa", node__code="3.4.2").update(
        level=4)
    assert "dropouts" not in {g.topic.code for g in level_gaps(spm, 2566)}
    # QP9 (3.50) and ESA 3.3.4 are linked only by inference: never compared.
    assert "history_civics" not in {g.topic.code for g in level_gaps(spm, 2566)}


def test_the_evaluator_sees_it_on_the_rating_screen(
    client: Client, submission: Any, evaluator: Any, reporter: Any
) -> None:
    from tests.reporting.test_workflow import fill_quality_schools
    from tidtam.reporting import workflow

    fill_quality_schools(submission, reporter)
    workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    client.force_login(evaluator)
    page = client.get(f"/submissions/{submission.pk}/rate/").content.decode()
    assert "ข้อสังเกตสำหรับผู้ประเมิน" in page and "พาน้องกลับมาเรียน" in page
