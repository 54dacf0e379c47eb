"""`tidtam demo --scale …`: the synthetic country, and a second run that changes nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from tidtam.analytics.national import SCALES
from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgType, OrgUnit
from tidtam.reporting.models import Submission


def _seed004_fy2566() -> list[str]:
    rows = Rating.objects.filter(org__code="SPM-52-51", framework__fiscal_year=2566)
    return sorted(map(str, rows.values_list("node__code", "round", "level")))


def test_small_country_then_nothing_to_do(db: None) -> None:
    seed004_levels = _seed004_fy2566()
    out = io.StringIO()
    call_command("demo", "--scale", "small", stdout=out)
    assert "สร้าง สพท." in out.getvalue()
    scale = SCALES["small"]
    assert OrgUnit.objects.filter(type=OrgType.PRIMARY_AREA).count() == scale.primary
    assert OrgUnit.objects.filter(type=OrgType.SECONDARY_AREA).count() == scale.secondary
    # FY2565 is a copy of the FY2566 framework in the database, not a new fixture.
    fy65 = Framework.objects.get(code="qp", fiscal_year=2565)
    fy66 = Framework.objects.get(code="qp", fiscal_year=2566)
    assert list(fy65.nodes.values_list("code", flat=True)) == list(
        fy66.nodes.values_list("code", flat=True))
    assert Submission.objects.filter(framework=fy65).exists()
    # Every generated office is linked to a province; schools sit under offices.
    assert not OrgUnit.objects.area_offices().filter(provinces__isnull=True).exists()
    school = OrgUnit.objects.filter(type=OrgType.SCHOOL, code__contains="-S").first()
    assert school is not None and school.parent is not None and school.parent.is_area_office
    assert school.path == f"{school.parent.path}{school.code}/"
    # The seed-004 office keeps exactly the ratings the seed prints.
    assert _seed004_fy2566() == seed004_levels
    # Search finds the generated texts straight away: the command rebuilt the index.
    assert "ดัชนีค้นหา" in out.getvalue()
    from django.contrib.auth import get_user_model

    from tidtam.search.models import SearchDocument
    from tidtam.search.query import parse_query, search

    admin = get_user_model()(is_superuser=True, is_active=True)
    generated = Submission.objects.filter(framework=fy65).first()
    assert generated is not None
    assert SearchDocument.objects.filter(org=generated.org, fiscal_year=2565).exists()
    assert search(admin, parse_query("ภาคีเครือข่าย")).filter(fiscal_year=2565).exists()

    again = io.StringIO()
    call_command("demo", "--scale", "small", stdout=again)
    assert "มีอยู่แล้ว" in again.getvalue()
