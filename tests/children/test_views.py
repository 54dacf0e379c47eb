"""The phone pages of a handler: find, step, import, coordinate, count."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.children.lists import as_csv, child, list_a
from tests.conftest import make_user
from tidtam.accounts.models import RoleAssignment
from tidtam.children.models import Case, ImportBatch, State, Step
from tidtam.children.nationalid import keyed_hash
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def _case(n: int = 5) -> Case:
    return Case.objects.get(id_hash=keyed_hash(child(n)[0]))


def test_a_teacher_walks_a_case_through_the_pages(
        client: Client, imported: dict[str, Any], handler: Any) -> None:
    client.force_login(handler)
    case = _case()
    page = client.get(f"/children/{case.pk}/").content.decode()
    assert "ตรวจสอบรายชื่อ" in page and 'name="kind" value="verify"' in page
    steps = [{"kind": "verify"}, {"kind": "find", "latitude": "18.2888", "longitude": "99.4928"},
             {"kind": "help", "help_kind": "transport"},
             {"kind": "return", "school": "โรงเรียนบุญวาทย์วิทยาลัย"}]
    for data in steps:
        case.refresh_from_db()
        r = client.post(f"/children/{case.pk}/step/", {**data, "version": case.version})
        assert r.status_code == 302, r.content.decode()[:500]
    case.refresh_from_db()
    assert case.state == State.RETURNED
    page = client.get(f"/children/{case.pk}/").content.decode()
    assert "การเดินทางมาเรียน" in page and "กลับเข้าเรียน" in page


def test_a_step_out_of_order_on_the_page_says_why_and_stores_nothing(
        client: Client, imported: dict[str, Any], handler: Any) -> None:
    client.force_login(handler)
    case = _case()
    r = client.post(f"/children/{case.pk}/step/", {"kind": "return", "version": case.version})
    assert r.status_code == 400
    assert "ขั้นตอนนี้ทำได้เมื่ออยู่ในสถานะ 'ช่วยเหลือแล้ว รอผล' เท่านั้น" in html.unescape(
        r.content.decode())
    assert not Step.objects.filter(case=case).exists()


def test_the_import_page_reports_and_refuses(client: Client, handler: Any) -> None:
    client.force_login(handler)
    ok = client.post("/children/import/", {"file": SimpleUploadedFile(
        "a.csv", as_csv(list_a()), "text/csv"), "name": "รายชื่อ ก"})
    assert ok.status_code == 200 and "เด็กรายใหม่ 15 ราย" in ok.content.decode()
    bad = client.post("/children/import/", {"file": SimpleUploadedFile(
        "b.csv", as_csv(list_a(), bom=False).decode().encode("cp874"), "text/csv")})
    assert bad.status_code == 400 and "TIS-620" in bad.content.decode()
    assert ImportBatch.objects.count() == 1
    reporter = make_user("rep-x", "reporter", "SPM-52-51")
    client.force_login(reporter)
    assert client.get("/children/import/").status_code == 403


def test_overdue_coordination_and_dashboard(
        client: Client, imported: dict[str, Any], handler: Any) -> None:
    client.force_login(handler)
    # listed on 1 Nov 2022, 15 days allowed: every open case is late by now
    late = client.get("/children/overdue/").content.decode()
    assert "เกินกำหนด" in late and child(0)[1] in late
    viewer = make_user("reo", "viewer", "REO15")
    RoleAssignment.objects.create(user=viewer, role="viewer",
                                  org=OrgUnit.objects.get(code="P52"))
    client.force_login(viewer)
    assert "/children/coordination/P52/" in client.get("/children/").content.decode()
    page = client.get("/children/coordination/P52/").content.decode()
    assert "สพม.ลำปาง ลำพูน" in page and "รวม 29 ราย" in page
    assert child(0)[1] not in page
    client.force_login(handler)
    page = client.get("/children/dashboard/SPM-52-51/?year=2566").content.decode()
    assert "พบตัวเทียบกับกลับเข้าเรียน" in page and "ต.ค. 2565" in page
