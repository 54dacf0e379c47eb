"""A plan indicator adopted from a template prints the figures the office reported once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tidtam.measures import store
from tidtam.measures.models import Measure, Period
from tidtam.orgs.models import OrgUnit
from tidtam.plans.loader import PlanFixtureError, load_plan_data
from tidtam.plans.models import Plan, PlanIndicator
from tidtam.plans.render import render_report

pytestmark = pytest.mark.django_db


def _report(office: OrgUnit, code: str, text: str, period: str = "2566-12m") -> Any:
    measure = Measure.objects.get(fiscal_year=2566, code=code)
    obs = store.find(office, measure, Period.parse(period))
    return store.write(None, office, measure, Period.parse(period), text,
                       obs.version if obs else 0).observation


def test_the_dropouts_typed_in_qp2_are_the_plan_indicators_figures(spm: OrgUnit) -> None:
    plan = Plan.objects.get(office=spm, fiscal_year=2566)
    (bound,) = [i for i in plan.indicators() if i.template and i.template.code == "dropouts_back"]
    assert bound.count is None and bound.achieved() is None  # nothing reported yet
    found = _report(spm, "dropouts_found", "28")
    returned = _report(spm, "dropouts_returned", "20")
    referred = _report(spm, "dropouts_referred", "6", "2566-r2")  # the inspection's round 2
    (bound,) = [i for i in plan.indicators() if i.template_id == bound.template_id]
    assert (bound.count, bound.denominator) == (26, 28)  # returned + referred of found
    assert bound.observation_ids == ([returned.pk, referred.pk], [found.pk])
    assert bound.achieved() is True  # 92.86 % ≥ 80 %
    content = json.loads(render_report(plan, "json"))
    (figure,) = [f for f in content["figures"] if f["template"] == "dropouts_back"]
    assert figure["count"] == {"value": 26, "observations": [returned.pk, referred.pk]}
    assert figure["denominator"]["observations"] == [found.pk]
    html = render_report(plan, "html").decode()
    assert "ร้อยละ 92.86" in html
    # The row itself holds no copy of the figures.
    row = PlanIndicator.objects.get(pk=bound.pk)
    assert (row.count, row.denominator, row.actual_value) == (None, None, None)


def test_a_bound_indicator_cannot_store_figures_of_its_own(spm: OrgUnit) -> None:
    bound = PlanIndicator.objects.filter(project__plan__office=spm,
                                         template__isnull=False).first()
    assert bound is not None
    bound.count = 3
    with pytest.raises(IntegrityError), transaction.atomic():
        bound.save()


def test_a_template_row_with_figures_of_its_own_is_refused(spm: OrgUnit) -> None:
    data = {"office": "SPM-52-51", "fiscal_year": 2566, "title": "แผน", "projects": [
        {"number": 1, "title": "โครงการ", "indicators": [
            {"template": "dropouts_back", "count": 5}]}]}
    with pytest.raises(PlanFixtureError, match="ระบุ count ไม่ได้"):
        load_plan_data(data)
    data["projects"][0]["indicators"] = [{"template": "no_such_template"}]
    with pytest.raises(PlanFixtureError, match="ไม่พบตัวชี้วัดแม่แบบ"):
        load_plan_data(data)
