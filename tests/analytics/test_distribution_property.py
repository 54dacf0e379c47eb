"""Whatever levels evaluators give, the distribution counts each rated office once."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidtam.analytics.aggregate import aggregate
from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgUnit

LEVEL = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(levels=st.lists(LEVEL, min_size=29, max_size=29))
def test_level_counts_add_up_to_rated_offices(db: None, levels: list[int | None]) -> None:
    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    node = fw.nodes.get(code="1")
    offices = list(OrgUnit.objects.area_offices().order_by("code"))
    assert len(offices) == 29  # the real offices of the demo
    Rating.objects.filter(node=node, round="6m").delete()
    Rating.objects.bulk_create([
        Rating(org=o, framework=fw, node=node, round="6m", level=lv)
        for o, lv in zip(offices, levels, strict=True) if lv is not None
    ])
    ind = aggregate(OrgUnit.objects.get(code="MOE"), fw, "6m").indicator("1")
    wanted = Counter(lv for lv in levels if lv is not None)
    assert {lv: n for lv, n in ind.levels.items() if n} == dict(wanted)
    assert sum(ind.levels.values()) == sum(ind.labels.values()) == len(ind.rated_offices)
    assert len(ind.rated_offices) == sum(wanted.values())
