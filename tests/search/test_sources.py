"""Every kind of text is indexed when written the way the apps write it, and links open it."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client

from tests.conftest import make_user
from tests.inspection.helpers import add_units
from tidtam.evaluation.models import Recommendation
from tidtam.frameworks.models import FrameworkNode
from tidtam.ingest import thai_corrupt
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.inspection.contributions import EntryData, save_entry
from tidtam.inspection.models import EntryKind, InspectionFramework
from tidtam.orgs.models import OrgUnit
from tidtam.reporting import editing
from tidtam.reporting.models import Submission
from tidtam.search.models import SearchDocument, SourceKind
from tidtam.search.query import parse_query, search

pytestmark = pytest.mark.django_db


def found(user: Any, query: str, kind: str = "") -> list[SearchDocument]:
    return list(search(user, parse_query(query), kind))


def opens(user: Any, doc: SearchDocument) -> str:
    """The page a result links to, as that user sees it."""
    client = Client()
    client.force_login(user)
    response = client.get(doc.url, follow=True)
    assert response.status_code == 200, doc.url
    return response.content.decode()


def test_a_narrative_typed_in_the_reporting_editor_is_found(
    submission: Submission, reporter: Any
) -> None:
    node = FrameworkNode.objects.get(framework=submission.framework, code="2")
    report = editing.report_for(submission, node)
    broken = thai_corrupt.body_font("สำนักงานติดตามเด็กออกกลางคันครบทุกคน", random.Random(2))
    narrative = editing.save_narrative(reporter, report, "drive", broken, 0)
    [doc] = found(reporter, "สำนักงาน", SourceKind.NARRATIVE)
    assert doc.source_id == narrative.pk and doc.org.code == "SPM-52-51"
    assert doc.fiscal_year == 2566 and "ตัวชี้วัดที่ 2" in doc.title
    assert doc.url == f"/narratives/{narrative.pk}/"
    opens(reporter, doc)
    editing.save_narrative(reporter, report, "drive", "แก้เป็นโครงการพาน้องกลับมาเรียน", 1)
    assert not found(reporter, "กลางคัน", SourceKind.NARRATIVE)
    assert found(reporter, "พาน้องกลับมาเรียน", SourceKind.NARRATIVE)


def test_problem_rows_and_best_practices_are_found_and_forgotten(
    submission: Submission, reporter: Any
) -> None:
    node = FrameworkNode.objects.get(framework=submission.framework, code="3")
    report = editing.report_for(submission, node)
    row = editing.add_problem(reporter, report)
    row = editing.save_problem(reporter, report, row, "ครูย้ายบ่อย",
                               "จัดพี่เลี้ยงให้ครูบรรจุใหม่", row.version)
    [doc] = found(reporter, "พี่เลี้ยง")
    assert (doc.kind, doc.source_id) == (SourceKind.NARRATIVE, row.pk)
    assert doc.text == "ครูย้ายบ่อย\nจัดพี่เลี้ยงให้ครูบรรจุใหม่"
    bp = editing.add_best_practice(reporter, report)
    editing.save_best_practice(reporter, report, bp, "โรงเรียนบ้านทุ่ง", "ห้องเรียนกลับด้าน",
                               "1. วางแผน 2. ทดลอง", bp.version)
    [doc] = found(reporter, "ห้องเรียนกลับด้าน")
    assert doc.kind == SourceKind.NARRATIVE and "ห้องเรียนกลับด้าน" in doc.title
    row.refresh_from_db()
    bp.refresh_from_db()
    editing.delete_problem(reporter, report, row, row.version)
    editing.delete_best_practice(reporter, report, bp)
    assert not found(reporter, "พี่เลี้ยง") and not found(reporter, "ห้องเรียนกลับด้าน")


def test_an_inspection_entry_is_found_by_its_unit_not_by_others() -> None:
    from tidtam.frameworks.loader import load_all

    load_all()
    add_units()
    fw = InspectionFramework.objects.get(code="rt", fiscal_year=2566)
    issue = fw.issues().get(code="2.1")
    writer = make_user("u-ps-75", "reporter", "PS-75")
    unit = OrgUnit.objects.get(code="PS-75")
    saved = save_entry(writer, unit, issue, EntryData(
        "best_practice", kind=EntryKind.MODEL, title="โมเดลบ้านปลอดภัย",
        steps=["สำรวจความเสี่ยง", "ซ้อมอพยพหนีไฟ"]), final=True)
    [doc] = found(writer, "อพยพ")
    assert (doc.kind, doc.source_id, doc.org.code) == (SourceKind.INSPECTION, saved.entry.pk,
                                                        "PS-75")
    assert doc.text == "โมเดลบ้านปลอดภัย\nสำรวจความเสี่ยง\nซ้อมอพยพหนีไฟ"
    assert "โมเดลบ้านปลอดภัย" in opens(writer, doc)
    assert found(make_user("u-other", "reporter", "SPM-52-51"), "อพยพ") == []


def test_the_demo_texts_are_indexed_with_links_that_open() -> None:
    root = get_user_model().objects.create_superuser("root", "r@example.invalid", "x-long-pw-1")
    kinds = dict(SearchDocument.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds[SourceKind.RECOMMENDATION] == Recommendation.objects.count() == 18
    assert kinds[SourceKind.PROJECT] == 14 + 2 and kinds[SourceKind.PLAN] == 2  # 003 + demo
    for kind in (SourceKind.RECOMMENDATION, SourceKind.PROJECT, SourceKind.PLAN):
        doc = SearchDocument.objects.filter(kind=kind).order_by("pk").first()
        assert doc is not None
        page = opens(root, doc)
        assert doc.text.split("\n")[0][:20] in page or kind == SourceKind.PLAN
    [rec] = found(root, "เขลางค์นคร", SourceKind.RECOMMENDATION)
    assert rec.org.code == "SPM-52-51" and rec.url == "/sheets/2566/SPM-52-51/"


def test_records_an_accepted_import_wrote_in_bulk_are_indexed(
    spm: OrgUnit, django_capture_on_commit_callbacks: Any
) -> None:
    from tidtam.jobs.worker import run

    node = FrameworkNode.objects.get(framework__code="qp", framework__fiscal_year=2566, code="9")
    office = OrgUnit.objects.get(code="SPP-52-1")
    Recommendation.objects.filter(org=office, node=node).delete()
    [rec] = Recommendation.objects.bulk_create([
        Recommendation(org=office, node=node, text="ควรจัดค่ายวิทยาศาสตร์ดาราศาสตร์")])
    root = get_user_model().objects.create_superuser("root", "r@example.invalid", "x-long-pw-1")
    assert found(root, "ดาราศาสตร์") == []  # bulk_create sends no signal …
    draft = ImportedSheet.objects.create(org=office, fiscal_year=2566, source_name="x.txt",
                                         raw_text="x", repaired_text="ข้อความ")
    assert found(root, "ดาราศาสตร์") == []  # … nor does a draft …
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = ImportStatus.ACCEPTED
        draft.save()  # … accepting one does, through a background task
    assert found(root, "ดาราศาสตร์") == []
    run(batch=True)
    assert [d.source_id for d in found(root, "ดาราศาสตร์")] == [rec.pk]
