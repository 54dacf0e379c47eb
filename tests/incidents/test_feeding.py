"""The register feeds QP1: counts by group and closing level, the cases in the source."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.incidents.helpers import new_case, staff, walk_to_closed
from tidtam.incidents import feeding
from tidtam.measures.models import Observation, SourceKind
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def _obs(code: str, category: str) -> Observation | None:
    return Observation.objects.filter(org__code="SPM-52-51", measure__code=code,
                                      measure__fiscal_year=2566, period__fiscal_year=2566,
                                      period__start__month=10, period__end__month=9,
                                      category=category).first()


def _count(code: str, category: str) -> int:
    obs = _obs(code, category)
    return int(obs.value_decimal) if obs is not None and obs.value_decimal is not None else 0


def test_closing_a_case_changes_the_qp1_observation_with_the_case_in_its_source() -> None:
    s = staff()
    reported_before = _count("incidents_reported", "violence")
    closed_before = _count("incidents_closed", "violence+school")
    case = new_case()
    assert _count("incidents_reported", "violence") == reported_before + 1
    assert case.pk in _obs("incidents_reported", "violence").source["cases"]
    walk_to_closed(case, s)
    obs = _obs("incidents_closed", "violence+school")
    assert obs is not None and _count("incidents_closed", "violence+school") == closed_before + 1
    assert obs.source_kind == SourceKind.REGISTER
    assert obs.source["register"] == "incidents" and case.pk in obs.source["cases"]
    assert obs.source["url"].startswith("/incidents/?org=SPM-52-51&year=2566")
    assert "group=violence" in obs.source["url"] and "level=school" in obs.source["url"]
    total = _obs("incidents_closed", "")
    assert total is not None and case.pk in total.source["cases"]
    # nothing personal in the figures
    assert "สมศรี" not in str(obs.source) + obs.text


def test_schools_get_no_figure_of_their_own() -> None:
    new_case()
    assert not Observation.objects.filter(org__code="SCH-1",
                                          measure__code__startswith="incidents_").exists()


def test_every_category_is_written_zeros_included() -> None:
    new_case(group="accident")
    rows = feeding.compute(OrgUnit.objects.get(code="SPM-52-51"), 2566)
    assert ("closed", "right+above") in rows and rows[("closed", "right+above")][0] == 0
    assert len([k for k in rows if k[0] == "reported"]) == 5  # total and four groups
    assert len([k for k in rows if k[0] == "closed"]) == 13  # total and 4 × 3


def test_a_register_figure_is_not_typed_over_and_recompute_restores_a_drifted_one() -> None:
    from decimal import Decimal

    from tidtam.measures import store
    from tidtam.measures.models import Observation

    new_case()
    obs = _obs("incidents_reported", "")
    assert obs is not None
    right = obs.text
    with pytest.raises(store.ValueRefused) as exc:  # a form or an import may not
        store.write(None, obs.org, obs.measure, obs.period, "999", obs.version)
    assert "ทะเบียนเหตุความปลอดภัย" in str(exc.value)
    # a row changed behind the application's back (a restore, a hand-made SQL fix)
    Observation.objects.filter(pk=obs.pk).update(text="999", value_decimal=Decimal(999))
    call_command("incidents", "recompute", "--org", "SPM-52-51", "--year", "2566")
    assert _obs("incidents_reported", "").text == right


def test_the_six_month_round_counts_the_cases_of_its_months_and_links_to_them(
        client: Any) -> None:
    import datetime as dt

    from tidtam.measures.models import Period

    s = staff()
    half = Period.of(2566, "6m")

    def six_months(code: str, category: str = "") -> Observation | None:
        return Observation.objects.filter(org__code="SPM-52-51", measure__code=code,
                                          period=half, category=category).first()

    before = six_months("incidents_reported")
    n_before = int(before.value_decimal or 0) if before else 0
    early = new_case(day=dt.date(2023, 1, 20))
    late = new_case(day=dt.date(2023, 6, 10))  # the second half: the year only
    obs = six_months("incidents_reported")
    assert obs is not None and int(obs.value_decimal or 0) == n_before + 1
    assert early.pk in obs.source["cases"] and late.pk not in obs.source["cases"]
    assert late.pk in _obs("incidents_reported", "").source["cases"]
    assert "from=2022-10-01" in obs.source["url"] and "to=2023-03-31" in obs.source["url"]
    client.force_login(s["office_op"])
    page = client.get(obs.source["url"]).content.decode()
    assert early.tracking_code in page and late.tracking_code not in page
    assert "เฉพาะเหตุที่เกิดระหว่าง" in page
    bad = client.get("/incidents/?org=SPM-52-51&from=2023-13-01&to=x", follow=True)
    assert "ช่วงวันที่เกิดเหตุไม่ถูกต้อง" in bad.content.decode()


def test_a_figure_typed_before_the_register_fed_it_is_kept_for_review() -> None:
    from decimal import Decimal

    from tidtam.measures.models import Disagreement

    new_case()
    obs = _obs("incidents_reported", "")
    assert obs is not None
    counted = obs.text
    # what the office typed in QP1 before its schools reported through the register
    Observation.objects.filter(pk=obs.pk).update(
        text="7", value_decimal=Decimal(7), source_kind=SourceKind.TYPED,
        source={"form": "qp"})
    feeding.recompute(obs.org, 2566)
    obs.refresh_from_db()
    assert obs.text == counted and obs.source_kind == SourceKind.REGISTER
    kept = Disagreement.objects.get(observation=obs)
    assert kept.text == "7" and kept.source_kind == SourceKind.TYPED
    assert kept.source == {"form": "qp"}
    feeding.recompute(obs.org, 2566)  # the register again: nothing new to review
    assert Disagreement.objects.filter(observation=obs).count() == 1
