"""Facts an annual report states in its sentences go to the one store, once, with their line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import make_user
from tidtam.accounts.models import Role
from tidtam.ingest import facts
from tidtam.ingest.drafts import accept
from tidtam.ingest.handlers.annual_report import HANDLER
from tidtam.measures import store
from tidtam.measures.models import YEAR_TYPE, Disagreement, Measure, Observation, Period
from tidtam.orgs.models import OrgUnit
from tidtam.plans.models import Plan

from .seeds import seed_text

SEED_003 = "003_aa69ecb6a0438ce4.txt"
FIXTURE = "annual_report_facts.yaml"


def _parsed_003() -> object:
    return HANDLER.parse(seed_text(SEED_003), SEED_003, None)


@pytest.mark.django_db
def test_003_states_its_learners_twice_with_two_values_and_its_schools_as_57() -> None:
    found = _parsed_003().facts  # type: ignore[attr-defined]
    learners = [(f["line"], f["value"]) for f in found if f["measure"] == "learners_total"]
    assert learners == [(549, "42,753"), (1047, "41,965")]
    schools = {f["value"] for f in found if f["measure"] == "schools_total"}
    assert schools == {"57"}
    assert {549, 570, 1047} <= {f["line"] for f in found if f["measure"] == "schools_total"}
    assert facts.conflicts_within(found) == [
        "learners_total: บรรทัดที่ 549 ระบุ 42,753 แต่บรรทัดที่ 1047 ระบุ 41,965"]
    summary = HANDLER.summary(_parsed_003())
    assert "ค่าข้อมูลเดียวกันที่เอกสารระบุไม่ตรงกัน" in summary


def test_a_report_these_patterns_were_not_written_from() -> None:
    lines = ["ปีนี้ โรงเรียนในสังกัดทุกแห่ง จำนวน ๑๒ แห่ง ได้รับการนิเทศ".replace("๑๒", "12"),
             "นักเรียนทุกคนในสังกัด จำนวนทั้งสิ้น 3,210 คน จาก 12 โรงเรียน ได้รับการดูแล",
             "ให้แก่โรงเรียนในสังกัด จำนวน 5 โรงเรียน"]  # some schools, not all: not a fact
    assert [(f["measure"], f["value"], f["line"]) for f in facts.read(lines, FIXTURE)] == [
        ("schools_total", "12", 1), ("learners_total", "3,210", 2), ("schools_total", "12", 2)]


@pytest.mark.django_db
def test_accepting_003_writes_each_fact_once_and_keeps_the_second_learner_count_for_review(
) -> None:
    Plan.objects.filter(office__code="SPM-65-53", fiscal_year=2565).delete()
    raw = seed_text(SEED_003)
    draft = HANDLER.create_draft(HANDLER.parse(raw, SEED_003, None), raw, None)
    done = accept(draft.pk, make_user("planner", Role.REPORTER, "SPM-65-53"))
    org = OrgUnit.objects.get(code="SPM-65-53")
    period = Period.of(2565, YEAR_TYPE)
    learners = Observation.objects.get(org=org, period=period, measure__code="learners_total")
    assert learners.value_decimal == Decimal(42753)
    assert learners.source_kind == "imported"
    assert (learners.source["file"], learners.source["line"]) == (SEED_003, 549)
    (second,) = Disagreement.objects.filter(observation=learners)
    assert (second.value_decimal, second.source["line"]) == (Decimal(41965), 1047)
    schools = Observation.objects.get(org=org, period=period, measure__code="schools_total")
    assert schools.value_decimal == 57
    assert not Disagreement.objects.filter(observation=schools).exists()
    assert "บันทึกใหม่ 2 รายการ" in done.summary() and "ไม่ตรงกัน 1 รายการ" in done.summary()


@pytest.mark.django_db
def test_an_imported_value_never_writes_over_a_stored_one() -> None:
    org = OrgUnit.objects.get(code="SPM-52-51")
    measure = Measure.objects.get(fiscal_year=2566, code="learners_total")
    period = Period.of(2566, YEAR_TYPE)
    store.write(None, org, measure, period, "12,345", 0)
    done = facts.write(None, org, 2566, [
        {"measure": "learners_total", "value": "12,345", "line": 3, "text": "…"},
        {"measure": "learners_total", "value": "12,000", "line": 9, "text": "…"},
        {"measure": "no_such_measure", "value": "1", "line": 10, "text": "…"}],
        file="report.txt")
    assert (done.created, done.unchanged, len(done.disagreements)) == (0, 1, 1)
    assert done.unknown == ["no_such_measure"]
    assert Observation.objects.get(org=org, measure=measure, period=period).text == "12,345"


@pytest.mark.django_db
def test_the_review_page_lists_the_facts_and_marks_the_second_value(client: object) -> None:
    from django.test import Client

    raw = seed_text(SEED_003)
    draft = HANDLER.create_draft(HANDLER.parse(raw, SEED_003, None), raw, None)
    browser = Client()
    browser.force_login(make_user("planner", Role.REPORTER, "SPM-65-53"))
    page = browser.get(f"/imports/{draft.pk}/").content.decode()
    section = page[page.index('id="facts"'):]
    assert "ผู้เรียนทั้งหมดในสังกัด" in section and "42,753" in section
    row = section[section.index("41,965") - 400:section.index("41,965")]
    assert "finding error" in row
