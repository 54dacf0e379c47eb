"""``tidtam burden``: the learner count is one input, however many documents ask for it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _burden() -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("burden", "--org", "SPM-52-51", "--year", "2566", "--format", "json",
                 stdout=out)
    return json.loads(out.getvalue())


def test_the_learner_count_is_counted_once_for_spm_lampang_lamphun() -> None:
    data = _burden()
    learners = [s for s in data["shared_inputs"] if s["input"][1] == "learners_total"]
    # One input per period: the 6-month round (QP1, 3, 8) and the year (QP1, 3, 8 in the
    # 12-month round, and ESA 3.4.2, which asks for the year).
    assert sorted(len(s["asked_by"]) for s in learners) == [3, 4]
    year = max(learners, key=lambda s: len(s["asked_by"]))
    assert {p.split()[0] for p in year["asked_by"]} == {"qp", "esa"}
    # The schools are asked by QP4, 5, 8, 9 and the plan's adopted safety template.
    schools = [s for s in data["shared_inputs"] if s["input"][1] == "schools_total"]
    assert max(len(s["asked_by"]) for s in schools) == 5
    assert data["inputs"] == data["asks"] - sum(len(s["asked_by"]) - 1
                                                 for s in data["shared_inputs"])
    assert set(data["by_framework"]) == {"qp", "ap", "esa", "plan", "rt"}
    assert data["by_framework"]["qp"] > data["by_framework"]["esa"] > 0


def test_the_inspection_form_asks_and_shares_the_dropouts_with_qp2() -> None:
    data = _burden()
    # 24 issues a province must answer (3.5–3.7 optional): a progress answer per question
    # asked of a province (67), the 3 dropout figures of 3.1, and 5 blocks per issue for
    # the other sub-sections (suggestions in two levels).
    assert data["by_framework"]["rt"] == 67 + 3 + 24 * 5
    found = next(s for s in data["shared_inputs"] if s["input"][1] == "dropouts_found")
    assert {p.split()[0] for p in found["asked_by"]} >= {"qp", "rt"}
    assert any(p.startswith("rt 3.1 ข้อ 3") for p in found["asked_by"])


def test_qp6a_is_not_asked_of_a_secondary_office() -> None:
    asked = [p for s in _burden()["shared_inputs"] for p in s["asked_by"]]
    assert not any(p.startswith("qp 6a") for p in asked)


def test_what_a_register_fills_is_counted_apart_from_what_is_typed() -> None:
    from tests.incidents.helpers import new_case
    from tidtam.measures.models import Observation, SourceKind

    Observation.objects.filter(org__code="SPM-52-51",
                               source_kind=SourceKind.REGISTER).delete()
    before = _burden()
    assert before["from_registers"] == 0 and before["to_type"] == before["inputs"]
    new_case()  # the register now feeds QP1's incident counts, both rounds
    after = _burden()
    fed = Observation.objects.filter(org__code="SPM-52-51", source_kind=SourceKind.REGISTER,
                                     measure__code__startswith="incidents_")
    assert fed.exists()
    assert after["inputs"] == before["inputs"]
    assert 0 < after["from_registers"] <= fed.count()
    assert after["to_type"] == after["inputs"] - after["from_registers"]
    out = StringIO()
    call_command("burden", "--org", "SPM-52-51", "--year", "2566", stdout=out)
    assert "ทะเบียนของหน่วยงานกรอกให้เอง" in out.getvalue()
