"""Only approved ratings appear in a sheet anyone but the evaluators and approvers sees.

Seed 004's ratings of สพม.ลำปาง ลำพูน arrive by CSV import (official). An
evaluator then changes levels through a submission: until an approver
approves it, the office's reporter, its viewers and every listing see the
approved values; the evaluator and the approver see their working values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.reporting.test_workflow import _rate_everything, fill_quality_schools
from tidtam.documents.esa_sheet import SheetNotReadable, sheet_for
from tidtam.evaluation.importer import import_ratings
from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import FrameworkNode
from tidtam.reporting import workflow
from tidtam.reporting.approval import official, visible_to_readers

pytestmark = pytest.mark.django_db


def _level(sheet: dict[str, Any], code: str, round_: str) -> int | None:
    row = next(r for r in sheet["qp"]["rows"] if r["code"] == code)
    return row["rounds"][round_]


def _readers_agree(org: Any) -> None:
    """The listing's SQL rule and the sheet's rule name the same ratings."""
    ratings = list(Rating.objects.filter(org=org))
    in_sql = set(Rating.objects.filter(org=org).filter(visible_to_readers())
                 .values_list("pk", flat=True))
    assert in_sql == {r.pk for r in official(ratings)}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pending_levels_are_for_evaluators_and_approvers_only(
    submission: Any, reporter: Any, evaluator: Any, approver: Any
) -> None:
    org = submission.org
    viewer = make_user("obec-viewer", "viewer", "OBEC")
    node = FrameworkNode.objects.get(framework=submission.framework, code="1")
    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    workflow.set_rating(evaluator, sub, node, "12m", 1)  # seed 004 says 3
    for reader in (reporter, viewer):
        sheet = sheet_for(reader, org, 2566)
        assert _level(sheet, "1", "12m") == 3 and sheet["qp"]["overall"]["average"] == "3.83"
        assert sheet["ratings"] == {"approved_only": True, "unapproved": 1}
    for worker in (evaluator, approver):
        sheet = sheet_for(worker, org, 2566)
        assert _level(sheet, "1", "12m") == 1
        assert sheet["ratings"] == {"approved_only": False, "unapproved": 1}
    _readers_agree(org)

    # every way out of the system says the same: page, downloads, API, ratings, audit log
    as_reporter, as_evaluator = _client(reporter), _client(evaluator)
    data = json.loads(as_reporter.get("/sheets/2566/SPM-52-51.json").content)
    assert _level(data, "1", "12m") == 3
    assert _level(as_reporter.get("/api/sheets/2566/SPM-52-51").json(), "1", "12m") == 3
    assert _level(as_evaluator.get("/api/sheets/2566/SPM-52-51").json(), "1", "12m") == 1
    page = as_reporter.get("/sheets/2566/SPM-52-51/").content.decode()
    assert "ยังไม่ได้รับอนุมัติ" in page
    levels = {(r["node"], r["round"]): r["level"]
              for r in as_reporter.get(f"/api/submissions/{sub.pk}/ratings").json()}
    assert levels[("1", "12m")] == 3
    assert not [e for e in as_reporter.get(f"/api/submissions/{sub.pk}/audit").json()
                if e["action"] == "rating"]
    assert [e for e in as_evaluator.get(f"/api/submissions/{sub.pk}/audit").json()
            if e["action"] == "rating"]
    assert "ให้ระดับคุณภาพ" not in as_reporter.get(f"/submissions/{sub.pk}/audit/").content.decode()

    # approved: everyone sees the evaluators' levels
    _rate_everything(sub, evaluator, level=4)
    sub = workflow.apply(evaluator, sub, "finish_rating")
    assert _level(sheet_for(reporter, org, 2566), "1", "12m") == 3  # rated, not approved
    sub = workflow.apply(approver, sub, "approve")
    sheet = sheet_for(reporter, org, 2566)
    assert _level(sheet, "1", "12m") == 4 and sheet["ratings"]["unapproved"] == 0
    _readers_agree(org)

    # reopened and changed: readers keep the approved level until the next approval
    sub = workflow.apply(approver, sub, "reopen", "แก้ไขตามมติคณะกรรมการ")
    workflow.set_rating(evaluator, sub, node, "12m", 2)
    assert _level(sheet_for(reporter, org, 2566), "1", "12m") == 4
    assert _level(sheet_for(evaluator, org, 2566), "1", "12m") == 2
    _readers_agree(org)
    workflow.apply(approver, sub, "approve")
    assert _level(sheet_for(reporter, org, 2566), "1", "12m") == 2


def test_a_rating_that_exists_only_unapproved_is_not_shown_or_listed(
    other_submission: Any, other_reporter: Any, evaluator: Any
) -> None:
    org = other_submission.org
    Rating.objects.filter(org=org).delete()  # an office nobody has rated yet
    viewer = make_user("b-viewer", "viewer", org.code)
    fill_quality_schools(other_submission, other_reporter)
    sub = workflow.apply(other_reporter, other_submission, "submit", confirm_incomplete=True)
    node = FrameworkNode.objects.get(framework=sub.framework, code="1")
    workflow.set_rating(evaluator, sub, node, "12m", 5)
    assert _level(sheet_for(viewer, org, 2566), "1", "12m") is None
    assert _level(sheet_for(evaluator, org, 2566), "1", "12m") == 5
    _readers_agree(org)
    # listings: the year is listed for the evaluator, not for the office's viewer
    assert f"/sheets/2566/{org.code}/" in _client(evaluator).get("/").content.decode()
    assert f"/sheets/2566/{org.code}/" not in _client(viewer).get("/").content.decode()
    assert f"/sheets/2566/{org.code}/" not in _client(viewer).get(
        f"/orgs/{org.code}/").content.decode()


def test_imported_ratings_are_official_even_over_pending_ones(
    submission: Any, reporter: Any, evaluator: Any
) -> None:
    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    node = FrameworkNode.objects.get(framework=sub.framework, code="1")
    workflow.set_rating(evaluator, sub, node, "12m", 1)
    import_ratings(b"org_code,year,framework,node,round,level\nSPM-52-51,2566,qp,1,12m,2\n",
                   comment="ไฟล์ผลการประเมินที่อนุมัติแล้ว")
    assert _level(sheet_for(reporter, sub.org, 2566), "1", "12m") == 2
    _readers_agree(sub.org)


def test_the_sheet_is_read_by_the_office_and_those_above_it_only(
    reporter: Any, other_reporter: Any, evaluator: Any
) -> None:
    from tidtam.orgs.models import OrgUnit

    org = OrgUnit.objects.get(code="SPM-52-51")
    assert sheet_for(reporter, org, 2566)["office"]["code"] == "SPM-52-51"
    assert sheet_for(make_user("moe", "viewer", "MOE"), org, 2566)
    assert sheet_for(evaluator, org, 2566)
    for outsider in (other_reporter, make_user("reo", "viewer", "REO15"),
                     make_user("school", "reporter", "SCH-1")):
        with pytest.raises(SheetNotReadable):
            sheet_for(outsider, org, 2566)
    c = _client(other_reporter)
    for url in ["/sheets/2566/SPM-52-51/", *(f"/sheets/2566/SPM-52-51.{f}"
                                             for f in ("pdf", "docx", "xlsx", "json", "html")),
                "/api/sheets/2566/SPM-52-51"]:
        assert c.get(url).status_code == 404, url
    home = c.get("/").content.decode()
    assert "/sheets/2566/SPM-52-51/" not in home and "/sheets/2566/SPP-52-1/" in home
    assert "/sheets/" not in c.get("/orgs/SPM-52-51/").content.decode()
