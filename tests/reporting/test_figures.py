"""A submission's figures are views over the one store: typed once, shown everywhere, pinned."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tidtam.frameworks.models import DataElement
from tidtam.measures.models import Observation, ObservationRevision, Period
from tidtam.reporting import editing, workflow
from tidtam.reporting.errors import Conflict
from tidtam.reporting.figures import figures, values_of
from tidtam.reporting.models import Submission

pytestmark = pytest.mark.django_db


def _element(sub: Submission, node: str, code: str) -> DataElement:
    return DataElement.objects.get(node__framework=sub.framework, node__code=node, code=code)


def _type(user: Any, sub: Submission, node: str, code: str, text: str) -> Any:
    el = _element(sub, node, code)
    version = figures(sub, [el.node])[el.pk].version
    return editing.save_value(user, editing.report_for(sub, el.node), el, text, version)


def test_the_learner_count_typed_in_qp1_is_what_qp3_and_qp8_show(
    submission: Submission, reporter: Any
) -> None:
    saved = _type(reporter, submission, "1", "learners_total", "42,753")
    shown = figures(submission)
    others = [shown[_element(submission, n, "learners_total").pk] for n in ("3", "8")]
    assert [f.text for f in others] == ["42,753", "42,753"]
    assert {f.observation_id for f in others} == {saved.observation_id}
    assert Observation.objects.filter(org=submission.org,
                                      measure__code="learners_total").count() == 1
    assert values_of(submission)["8.learners_total"] == Decimal(42753)
    # Corrected from QP8's form, it is corrected in QP1's too: one fact.
    _type(reporter, submission, "8", "learners_total", "41,965")
    assert figures(submission)[_element(submission, "1", "learners_total").pk].text == "41,965"


def test_a_report_whose_indicators_share_a_fact_is_sent_with_that_fact_pinned_once(
    submission: Submission, reporter: Any
) -> None:
    """QP1, QP3 and QP8 read one learner count: sending the report pins it, once."""
    from tidtam.measures.models import Pin

    saved = _type(reporter, submission, "1", "learners_total", "42,753")
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    assert Pin.objects.filter(observation_id=saved.observation_id).count() == 1
    assert [figures(sub)[_element(sub, n, "learners_total").pk].text
            for n in ("1", "3", "8")] == ["42,753"] * 3


def test_two_forms_saving_one_fact_from_the_same_version_conflict(
    submission: Submission, reporter: Any
) -> None:
    first = _type(reporter, submission, "4", "schools_total", "57")
    el5 = _element(submission, "5", "schools_total")
    editing.save_value(reporter, editing.report_for(submission, el5.node), el5, "58",
                       first.version)
    el9 = _element(submission, "9", "schools_total")
    with pytest.raises(Conflict) as exc:  # QP9's form still holds the version QP4 saved
        editing.save_value(reporter, editing.report_for(submission, el9.node), el9, "59",
                           first.version)
    assert exc.value.current == {"text": "58"}


def test_a_sent_report_shows_what_it_was_sent_with_until_it_is_returned(
    submission: Submission, reporter: Any, evaluator: Any
) -> None:
    from tests.reporting.test_workflow import fill_quality_schools

    fill_quality_schools(submission, reporter)
    _type(reporter, submission, "2", "dropouts_found", "28")
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    el = _element(sub, "2", "dropouts_found")
    # Another form (the inspection, or the next round's report) changes the live fact.
    obs = Observation.objects.get(org=sub.org, measure__code="dropouts_found")
    from tidtam.measures import store

    store.write(None, sub.org, obs.measure, obs.period, "30", obs.version)
    sent = figures(sub)[el.pk]
    assert sent.text == "28" and sent.changed_since_sent
    assert values_of(sub)["2.dropouts_found"] == Decimal(28)  # the rules check what was sent
    sub = workflow.apply(evaluator, sub, "return", "กรุณาตรวจสอบตัวเลขอีกครั้ง")
    assert figures(sub)[el.pk].text == "30"  # back with the office: the live value
    assert list(ObservationRevision.objects.filter(observation=obs)
                .values_list("text", flat=True)) == ["28", "30"]  # the pin holds the first


def test_a_figure_the_report_did_not_have_when_sent_stays_empty(
    submission: Submission, reporter: Any
) -> None:
    from tests.reporting.test_workflow import fill_quality_schools

    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    el = _element(sub, "7", "learners_screened")
    from tidtam.measures import store

    store.write(None, sub.org, el.measure, Period.of(2566, "12m"), "5,213", 0)
    assert figures(sub)[el.pk].text == ""


def test_a_binding_may_ask_for_another_period_than_the_round(
    submission: Submission, reporter: Any
) -> None:
    """ESA 3.4.2 asks for the year's dropouts: the 12-month round's figure is that figure."""
    _type(reporter, submission, "2", "dropouts_found", "28")
    esa = Submission.objects.create(org=submission.org, round="year",
                                    framework=submission.framework.__class__.objects.get(
                                        code="esa", fiscal_year=2566))
    shown = figures(esa)
    el = DataElement.objects.get(node__framework=esa.framework, node__code="3.4.2",
                                 code="dropouts_found")
    assert shown[el.pk].text == "28"
    assert Period.of(2566, "year") == Period.of(2566, "12m") == Period.of(2566, "r2")
