"""The inspection pages: contributors, the provincial compiler, downloads, 404s."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from docx import Document

from tests.conftest import make_user
from tests.inspection.helpers import add_units, answer_everything, contributors
from tidtam.inspection.models import Entry, InspectionReport, Placement


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_unit_answers_and_bad_input_keeps_the_text(framework: Any) -> None:
    users = contributors(["PS-75"])
    c = _client(users["PS-75"])
    assert c.get("/inspection/").status_code == 200
    page = c.get("/inspection/unit/PS-75/")
    assert "1.1 การดำเนินงานตามแผน/มาตรการด้านความปลอดภัย" in page.content.decode()
    q = framework.issues().get(code="1.1").questions.get(number="1")
    url = "/inspection/unit/PS-75/issue/1.1/"
    r = c.post(url, {"section": "progress", "question": q.pk, "kind": "date",
                     "text": "ตรวจอาคารเรียน", "day": "31 ก.พ. 2566", "final": "1"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "ตรวจอาคารเรียน" in body and "31 ก.พ. 2566" in body
    assert not Entry.objects.filter(unit__code="PS-75").exists()
    r = c.post(url, {"section": "progress", "question": q.pk, "kind": "text",
                     "text": "ตรวจอาคารเรียนทุกภาคเรียน", "final": "1"})
    assert r.status_code == 302
    e = Entry.objects.get(unit__code="PS-75")
    assert e.text == "ตรวจอาคารเรียนทุกภาคเรียน" and e.is_final
    assert "ตรวจอาคารเรียนทุกภาคเรียน" in c.get(url).content.decode()


def test_outsiders_get_404(framework: Any) -> None:
    users = contributors(["PS-75"])
    add_units()
    other = make_user("u-vc33", "reporter", "VC-33")
    c = _client(other)
    assert c.get("/inspection/unit/PS-75/").status_code == 404
    assert c.get("/inspection/report/PEO75/").status_code == 404
    assert c.get("/inspection/report/PEO75/file.docx").status_code == 404
    # a contributor cannot delete another unit's entry, even by posting to its own page
    q = framework.issues().get(code="1.1").questions.get(number="1")
    _client(users["PS-75"]).post("/inspection/unit/PS-75/issue/1.1/", {
        "section": "progress", "question": q.pk, "kind": "text", "text": "ของ สช.", "final": "1"})
    e = Entry.objects.get(unit__code="PS-75")
    assert c.post(f"/inspection/unit/VC-33/entry/{e.pk}/delete/").status_code == 404
    assert Entry.objects.filter(pk=e.pk).exists()


def test_compiler_gathers_merges_moves_and_downloads(framework: Any) -> None:
    users = contributors()
    answer_everything(framework, users)
    c = _client(users["PEO75"])
    assert c.get("/inspection/report/PEO75/").status_code == 200
    assert c.post("/inspection/report/PEO75/do/gather/").status_code == 302
    report = InspectionReport.objects.get(org__code="PEO75")
    page = c.get("/inspection/report/PEO75/?issue=2.1").content.decode()
    assert "รวมกับย่อหน้าที่ซ้ำของ" in page
    first, second = report.placements.filter(
        entry__issue__code="2.1", entry__section="factors").order_by("order")
    c.post("/inspection/report/PEO75/do/duplicate/", {"line": second.pk, "of": first.pk})
    assert Placement.objects.get(pk=second.pk).duplicate_of_id == first.pk
    c.post("/inspection/report/PEO75/do/move/", {"line": second.pk, "dir": "up"})
    a, b = report.placements.filter(entry__issue__code="2.1", entry__section="factors"
                                     ).order_by("order")
    assert (a.pk, b.pk) == (second.pk, first.pk)
    r = c.get("/inspection/report/PEO75/file.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    assert sum(p.text.startswith("นโยบายที่ ") for p in doc.paragraphs) == 6
    view = c.get("/inspection/report/PEO75/view/").content.decode()
    assert view.count('class="rt-problems"') == 24
    assert c.post("/inspection/report/PEO75/do/send/").status_code == 302
    report.refresh_from_db()
    assert report.is_sent
    audit = c.get("/inspection/report/PEO75/audit/").content.decode()
    for label in ("รวบรวมข้อมูล", "รวม/แยกย่อหน้าที่ซ้ำ", "จัดลำดับ", "ส่งรายงาน"):
        assert label in audit
    # a school of the province reads nothing of the compiled report
    assert _client(users["PS-75"]).get("/inspection/report/PEO75/").status_code == 404


def test_figures_and_dates_are_shown_in_thai(framework: Any) -> None:
    users = contributors(["VC-75"])
    c = _client(users["VC-75"])
    q = framework.issues().get(code="4.1").questions.get(number="2")
    url = "/inspection/unit/VC-75/issue/4.1/"
    c.post(url, {"section": "progress", "question": q.pk, "kind": "figure",
                 "text": "ครูฝึกประสบการณ์ในสถานประกอบการ", "value": "๑,๒๐๕",
                 "value_unit": "คน", "final": "1"})
    r = c.post(url, {"section": "progress", "question": q.pk, "kind": "date",
                     "text": "ลงนามความร่วมมือ", "day": "10 มิ.ย. 2566", "final": "1"},
               follow=True)
    body = r.content.decode()
    assert "จำนวน 1,205 คน" in body
    assert "วันที่ 10 มิถุนายน 2566" in body
    assert "10 มิ.ย. 2566" in body  # the edit form offers the date as typed in Thai


def test_the_demo_has_a_provincial_and_a_regional_compiler(framework: Any) -> None:
    """`tidtam init --demo` signs in ศธจ.สมุทรสงคราม's and ศธภ.5's compilers."""
    from django.contrib.auth import get_user_model

    from tidtam.demo.loader import DEMO_PASSWORD

    for username, code in [("peo75-rt", "PEO75"), ("reo5-rt", "REO5")]:
        c = Client()
        signed_in = c.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, username
        page = c.get(f"/inspection/report/{code}/")
        assert page.status_code == 200 and page.context["can_compile"], username
        person = get_user_model().objects.get(username=username)
        assert person.first_name and person.last_name and person.profile.position, username
