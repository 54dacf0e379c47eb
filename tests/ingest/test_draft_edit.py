"""Correcting an imported e-MES draft before accepting it (/imports/<pk>/edit/)."""

from __future__ import annotations

import pytest

from tests import seed004
from tests.ingest.reviewers import signed_in, trial_office
from tests.ingest.seeds import SEED_004, seed_text
from tidtam.accounts.models import Role
from tidtam.audit.models import AuditEntry
from tidtam.evaluation.models import Rating, Recommendation
from tidtam.ingest.drafts import create_draft
from tidtam.ingest.edit import version
from tidtam.ingest.emes_sheet import parse_emes_sheet
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> OrgUnit:
    return trial_office("SPM-98", "ทดลองแก้ไข")


@pytest.fixture
def draft(office: OrgUnit) -> ImportedSheet:
    raw = seed_text(SEED_004)
    return create_draft(parse_emes_sheet(raw, source_name=SEED_004, org=office), raw)


def row_index(draft: ImportedSheet, node: str, rnd: str) -> int:
    for i, r in enumerate(draft.ratings):
        if (r["framework"], r["node"], r["round"]) == ("qp", node, rnd):
            return i
    raise AssertionError(f"no row qp {node} {rnd}")


def test_a_corrected_level_is_what_accepting_writes(
    draft: ImportedSheet, office: OrgUnit
) -> None:
    c = signed_in(Role.EVALUATOR, office)
    i = row_index(draft, "4", "6m")
    assert draft.ratings[i]["level"] == "2"  # 004 prints 2 5 3.50 for QP4
    form = c.get(f"/imports/{draft.pk}/edit/").content.decode()
    assert f'name="level-{i}" value="2"' in form and 'href="#L84"' in form
    response = c.post(f"/imports/{draft.pk}/edit/", {
        "version": version(draft), f"level-{i}": "๓",  # Thai digit as typed
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.ratings[i]["level"] == "3"
    audit = AuditEntry.objects.get(org=office, action="import_edit")
    assert audit.before[0]["level"] == "2" and audit.after[0]["level"] == "3"
    assert "ตัวชี้วัดที่ 4" in audit.comment
    page = c.get(f"/imports/{draft.pk}/").content.decode()
    # QP4 now (3 + 5) / 2 = 4.00 ดีมาก in the sheet that will be accepted.
    assert "แก้ไขก่อนรับเข้า" in page and "4.00" in page
    c.post(f"/imports/{draft.pk}/accept/")
    stored = Rating.objects.get(org=office, framework__code="qp", node__code="4", round="6m")
    assert stored.level == 3
    assert Rating.objects.filter(org=office).count() == 67


def test_a_corrected_recommendation(draft: ImportedSheet, office: OrgUnit) -> None:
    c = signed_in(Role.EVALUATOR, office)
    c.post(f"/imports/{draft.pk}/edit/", {
        "version": version(draft), "rec-0": "ควรส่งเสริมให้สถานศึกษาใช้ระบบ MOE Safety Center",
    })
    c.post(f"/imports/{draft.pk}/accept/")
    first = Recommendation.objects.get(org=office, node__code="1", node__framework__code="qp")
    assert first.text == "ควรส่งเสริมให้สถานศึกษาใช้ระบบ MOE Safety Center"


def test_a_level_of_seven_is_refused_and_what_was_typed_stays(
    draft: ImportedSheet, office: OrgUnit
) -> None:
    c = signed_in(Role.EVALUATOR, office)
    i, j = row_index(draft, "4", "6m"), row_index(draft, "5", "12m")
    response = c.post(f"/imports/{draft.pk}/edit/", {
        "version": version(draft), f"level-{i}": "7", f"level-{j}": "4",
    })
    assert response.status_code == 422
    page = response.content.decode()
    assert "ตัวชี้วัดที่ 4" in page and "(รอบ 6 เดือน)" in page and "แต่กรอก 7" in page
    assert f'name="level-{i}" value="7"' in page  # typed values kept
    assert f'name="level-{j}" value="4"' in page
    before = list(draft.ratings)
    draft.refresh_from_db()
    assert draft.ratings == before  # nothing written, not even the valid row
    assert not AuditEntry.objects.filter(org=office, action="import_edit").exists()


def test_a_concurrent_edit_is_caught(draft: ImportedSheet, office: OrgUnit) -> None:
    first = signed_in(Role.EVALUATOR, office, "first")
    second = signed_in(Role.EVALUATOR, office, "second")
    seen = version(draft)
    i = row_index(draft, "1", "6m")
    assert first.post(f"/imports/{draft.pk}/edit/",
                      {"version": seen, f"level-{i}": "5"}).status_code == 302
    late = second.post(f"/imports/{draft.pk}/edit/", {"version": seen, f"level-{i}": "2"})
    assert late.status_code == 422
    page = late.content.decode()
    assert "มีผู้แก้ไขร่างนี้หลังจากที่คุณเปิดหน้า" in page
    assert f'name="level-{i}" value="2"' in page
    draft.refresh_from_db()
    assert draft.ratings[i]["level"] == "5"


def test_who_may_edit(draft: ImportedSheet, office: OrgUnit) -> None:
    url = f"/imports/{draft.pk}/edit/"
    assert signed_in(Role.VIEWER, office, "viewer").get(url).status_code == 403
    other = OrgUnit.objects.get(code=seed004.ORG)
    assert signed_in(Role.EVALUATOR, other, "elsewhere").get(url).status_code == 404
    evaluator = signed_in(Role.EVALUATOR, office)
    evaluator.post(f"/imports/{draft.pk}/accept/")
    draft.refresh_from_db()
    assert draft.status == ImportStatus.ACCEPTED
    assert evaluator.get(url).status_code == 404  # an accepted draft is history


def test_a_recommendation_with_a_nul_byte_is_refused(draft: ImportedSheet, office: OrgUnit
                                                      ) -> None:
    c = signed_in(Role.EVALUATOR, office)
    response = c.post(f"/imports/{draft.pk}/edit/", {
        "version": version(draft), "rec-0": "ควรส่งเสริม\x00ต่อไป"})
    assert response.status_code == 422
    assert "ข้อเสนอแนะ" in response.content.decode() and "U+0000" in response.content.decode()
    before = list(draft.recommendations)
    draft.refresh_from_db()
    assert draft.recommendations == before
