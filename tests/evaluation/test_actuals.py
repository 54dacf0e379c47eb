"""An Action Plan result exists once, as an observation, and scoring reads it from there."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tidtam.evaluation import actuals
from tidtam.evaluation.importer import import_ratings
from tidtam.evaluation.models import Rating
from tidtam.evaluation.scoring import evaluate
from tidtam.frameworks.models import Framework, FrameworkNode
from tidtam.measures.models import Disagreement, Observation
from tidtam.reporting import figures, workflow
from tidtam.reporting.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def ap() -> Framework:
    return Framework.objects.get(code="ap", fiscal_year=2566)


@pytest.fixture
def ap_submission(spm: Any, ap: Framework) -> Submission:
    return Submission.objects.create(org=spm, framework=ap, round=ap.rounds[-1])


def _type(reporter: Any, sub: Submission, node: FrameworkNode, text: str) -> Observation:
    element = actuals.binding(node)
    assert element is not None
    current = actuals.observations_of(sub.org, sub.framework).get(node.pk)
    return figures.write(reporter, sub, element, text,
                         current.version if current is not None else 0).observation


def _result(spm: Any, ap: Framework, code: str) -> Any:
    return {n.node.code: n for n in evaluate(spm, ap).nodes()}[code]


def test_the_office_typing_its_result_changes_the_score(
    spm: Any, ap: Framework, ap_submission: Submission, reporter: Any
) -> None:
    node = ap.nodes.get(code="2")
    assert _result(spm, ap, "2").achieved is True  # seed 004: above the target of 80
    obs = _type(reporter, ap_submission, node, "70")
    res = _result(spm, ap, "2")
    assert (res.actual, res.achieved, res.actual_observation) == (Decimal(70), False, obs.pk)
    # The rating holds no copy of it.
    assert not hasattr(Rating.objects.get(org=spm, node=node), "actual_value")


def test_actual_equal_to_the_target_counts_as_achieved(
    spm: Any, ap: Framework, ap_submission: Submission, reporter: Any
) -> None:
    node = ap.nodes.get(code="2")
    _type(reporter, ap_submission, node, "80")
    res = _result(spm, ap, "2")
    assert res.target == Decimal(80) and res.actual == Decimal(80)
    assert res.achieved is True
    _type(reporter, ap_submission, node, "79.99")
    assert _result(spm, ap, "2").achieved is False


def test_a_preview_scores_results_given_in_memory(spm: Any, ap: Framework) -> None:
    node = ap.nodes.get(code="2")
    stored = actuals.observations_of(spm, ap)[node.pk]
    stand_in = Observation(pk=None, text="10", value_decimal=Decimal(10))
    res = {n.node.code: n for n in evaluate(spm, ap, actuals={node.pk: stand_in}).nodes()}
    assert (res["2"].actual, res["2"].achieved) == (Decimal(10), False)
    assert Observation.objects.get(pk=stored.pk).text == stored.text  # nothing written


def test_an_import_that_differs_from_a_typed_result_is_a_disagreement(
    spm: Any, ap: Framework, ap_submission: Submission, reporter: Any
) -> None:
    node = ap.nodes.get(code="2")
    typed = _type(reporter, ap_submission, node, "88")
    result = import_ratings(b"org_code,year,framework,node,round,level,actual\n"
                            b"SPM-52-51,2566,ap,2,year,,91\n", comment="emes.pdf")
    kept = Observation.objects.get(pk=typed.pk)
    assert (kept.text, kept.version) == ("88", typed.version)  # not overwritten
    d = Disagreement.objects.get(observation=typed)
    assert d.value_decimal == 91 and d.source_kind == "imported"
    assert d.source["file"] == "emes.pdf" and d.source["row"] == 2
    assert len(result.disagreements) == 1 and "บันทึกไว้ 88" in result.summary()
    assert _result(spm, ap, "2").actual == Decimal(88)


def test_the_evaluator_sets_the_result_through_the_store(
    spm: Any, ap: Framework, ap_submission: Submission, reporter: Any, evaluator: Any
) -> None:
    from tidtam.audit.models import AuditEntry

    sub = workflow.apply(reporter, ap_submission, "submit", confirm_incomplete=True)
    node = ap.nodes.get(code="3")
    workflow.set_rating(evaluator, sub, node, sub.round, None, actual=Decimal("66.5"))
    obs = actuals.observations_of(spm, ap)[node.pk]
    assert obs.text == "66.5" and obs.updated_by == evaluator
    assert obs.source["screen"] == "rating" and obs.source["by"] == evaluator.username
    assert AuditEntry.objects.filter(action="observation", submission=sub,
                                     object_id=obs.pk).exists()
    assert _result(spm, ap, "3").actual == Decimal("66.5")


def test_readers_see_the_result_the_report_pinned_until_it_is_approved(
    spm: Any, ap: Framework, ap_submission: Submission, reporter: Any, evaluator: Any,
    approver: Any,
) -> None:
    node = ap.nodes.get(code="2")
    typed = _type(reporter, ap_submission, node, "85")
    sub = workflow.apply(reporter, ap_submission, "submit", confirm_incomplete=True)
    workflow.set_rating(evaluator, sub, node, sub.round, None, actual=Decimal("70"))

    def shown() -> tuple[Decimal | None, int | None]:
        res = {n.node.code: n for n in evaluate(spm, ap, approved_only=True).nodes()}["2"]
        return res.actual, res.actual_observation

    assert _result(spm, ap, "2").actual == Decimal(70)  # the evaluators' working view
    assert shown() == (Decimal(85), typed.pk)  # readers: what the office sent
    sub = workflow.apply(evaluator, sub, "finish_rating")
    assert shown() == (Decimal(85), typed.pk)
    workflow.apply(approver, sub, "approve")
    assert shown() == (Decimal(70), typed.pk)  # approved: the correction is what it prints
