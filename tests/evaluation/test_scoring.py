"""Averages, labels, targets and suggestions for the office of seed 004."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import seed004
from tidtam.evaluation import actuals
from tidtam.evaluation.models import Rating
from tidtam.evaluation.scoring import evaluate, mean
from tidtam.frameworks.models import Framework
from tidtam.measures.models import Observation
from tidtam.thai.numbers import fmt_decimal

pytestmark = pytest.mark.django_db


def _fw(code: str) -> Framework:
    return Framework.objects.get(code=code, fiscal_year=seed004.YEAR)


def test_quick_policy(spm) -> None:  # type: ignore[no-untyped-def]
    res = evaluate(spm, _fw("qp"))
    rows = {n.node.code: n for n in res.nodes()}
    assert list(rows) == list(seed004.QP)
    for code, (r6, r12, avg, label) in seed004.QP.items():
        n = rows[code]
        if avg is None:
            assert not n.applicable and n.result.average is None
            continue
        assert n.rounds == {"6m": r6, "12m": r12}
        assert fmt_decimal(n.result.average) == avg, code
        assert n.result.label == label, code
    assert (fmt_decimal(res.overall.result.average), res.overall.result.label,
            res.overall.count) == seed004.QP_OVERALL
    # Exact before display: 46/12 is 3.8333…, printed 3.83.
    assert res.overall.result.average == Decimal(46) / Decimal(12)


def test_overall_traces_to_its_ratings(spm) -> None:  # type: ignore[no-untyped-def]
    res = evaluate(spm, _fw("qp"))
    sources = Rating.objects.filter(pk__in=res.overall.sources)
    assert sources.count() == 24  # 12 indicators × 2 rounds
    assert {r.node.code for r in sources} == set(seed004.QP) - {"6a"}


def test_action_plan(spm) -> None:  # type: ignore[no-untyped-def]
    res = evaluate(spm, _fw("ap"))
    rows = {n.node.code: n for n in res.nodes()}
    for code, (level, label) in seed004.AP_RATED.items():
        assert (rows[code].result.level, rows[code].result.label) == (level, label)
    assert (fmt_decimal(res.overall.result.average), res.overall.result.label,
            res.overall.count) == seed004.AP_OVERALL
    for code, (target, actual, _label) in seed004.AP_TARGET.items():
        assert rows[code].target == Decimal(target)
        assert rows[code].actual == Decimal(actual)
        assert rows[code].achieved is True
    assert rows[seed004.AP_IN_PROGRESS].status == "in_progress"
    assert rows[seed004.AP_IN_PROGRESS].achieved is None


def test_target_not_reached_is_not_achieved(spm) -> None:  # type: ignore[no-untyped-def]
    fw = _fw("ap")
    obs = actuals.observations_of(spm, fw)[fw.nodes.get(code="2").pk]
    Observation.objects.filter(pk=obs.pk).update(text="79.99", value_decimal=Decimal("79.99"))
    rows = {n.node.code: n for n in evaluate(spm, _fw("ap")).nodes()}
    assert rows["2"].achieved is False


def test_esa_standards(spm) -> None:  # type: ignore[no-untyped-def]
    res = evaluate(spm, _fw("esa"))
    rows = {n.node.code: n for n in res.nodes()}
    for code, level in seed004.ESA_LEVELS.items():
        assert rows[code].result.level == level, code
        assert rows[code].result.label == seed004.LABELS[level], code
    for code in seed004.ESA_MONITORED:
        assert rows[code].status == "monitored"
    for code in seed004.ESA_NOT_APPLICABLE:
        assert not rows[code].applicable, code
    assert "3.5" not in rows
    assert (res.overall.result.level, res.overall.result.label, res.overall.count) == \
        seed004.ESA_OVERALL
    assert rows["3.4.2"].result.label == "พอใช้"


def test_esa_suggestions_flag_where_the_evaluator_differs(spm) -> None:  # type: ignore[no-untyped-def]
    rows = {n.node.code: n for n in evaluate(spm, _fw("esa")).nodes()}
    # Standard 1: indicators 5 and 4 (1.2 monitored) → 4.50 → 5, as the evaluator set.
    assert rows["1"].suggestion.average == Decimal("4.5") and not rows["1"].differs
    # Standard 2: 5, 5, 4, 5, 5 → 4.80 → 5.
    assert rows["2"].suggestion.level == 5 and not rows["2"].differs
    # Standard 3: 3.1=4, 3.2→5, 3.3→4, 3.4→(2+5+5)/3=4, 3.6=5 → 4.40 → 4, the evaluator gave 5.
    assert rows["3"].suggestion.average == Decimal("4.4")
    assert rows["3"].suggestion.level == 4
    assert rows["3"].differs


def test_a_primary_office_counts_6a(db) -> None:  # type: ignore[no-untyped-def]
    from tidtam.orgs.models import OrgType, OrgUnit

    office = OrgUnit.objects.filter(type=OrgType.PRIMARY_AREA, ratings__isnull=False).first()
    assert office is not None
    res = evaluate(office, _fw("qp"))
    rows = {n.node.code: n for n in res.nodes()}
    assert rows["6a"].applicable
    assert res.overall.count == sum(1 for n in rows.values() if n.result.average is not None)


def test_mean_is_exact() -> None:
    assert mean([1, 2]) == Decimal("1.5")
    assert mean([]) is None
