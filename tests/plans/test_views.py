"""Pages, downloads and their permissions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def owner(db: None) -> Any:
    return make_user("view-owner", "reporter", "SPM-65-53")


def test_pages_for_a_reader_of_the_office(plan: Any, owner: Any) -> None:
    c = client_for(owner)
    assert plan.office.name_th in c.get("/plans/").content.decode()
    page = c.get(f"/plans/{plan.pk}/").content.decode()
    assert "ตัวชี้วัดบรรลุค่าเป้าหมาย 48 จาก 51 ตัวชี้วัด คิดเป็นร้อยละ 94.12" in page
    assert "ระบุคงเหลือ 5.20" in page
    dash = c.get(f"/plans/{plan.pk}/dashboard/").content.decode()
    assert "1,570,474.20" in dash  # Q4 planned, cumulative = the 14 budgets (DOMAIN §9)
    project = plan.projects.get(number=9)
    assert "งบประมาณ 43,135.20 บาท (สี่หมื่นสามพันหนึ่งร้อยสามสิบห้าบาทยี่สิบสตางค์)" in \
        c.get(f"/plans/project/{project.pk}/").content.decode()
    report = c.get(f"/plans/{plan.pk}/report/").content.decode()
    assert "<td>318,223,938.00</td>" in report
    assert "<td>๓๑๘,๒๒๓,๙๓๘.๐๐</td>" in c.get(f"/plans/{plan.pk}/report/?thai=1").content.decode()
    docx = c.get(f"/plans/{plan.pk}/report/?format=docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx["Content-Disposition"]


def test_other_offices_get_404_everywhere(plan: Any, reporter: Any) -> None:
    c = client_for(reporter)  # reporter of สพม.ลำปาง ลำพูน
    project = plan.projects.get(number=1)
    assert plan.office.name_th not in c.get("/plans/").content.decode()
    for url in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/dashboard/", f"/plans/{plan.pk}/report/",
                f"/plans/{plan.pk}/report/?format=pdf", f"/plans/{plan.pk}/emenscr.csv",
                f"/plans/{plan.pk}/emenscr.xlsx", f"/plans/project/{project.pk}/"):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/plans/project/{project.pk}/q/1/", {"money_spent": "1"}).status_code == 404
    assert not project.progress.exists()


def test_anonymous_is_sent_to_login(plan: Any) -> None:
    response = Client().get(f"/plans/{plan.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_owner_saves_a_quarter_through_the_form(plan: Any, owner: Any) -> None:
    c = client_for(owner)
    project = plan.projects.get(number=2)
    response = c.post(f"/plans/project/{project.pk}/q/1/",
                      {"money_spent": "๕,๐๐๐", "activities_done": "ประชุมชี้แจง"}, follow=True)
    assert "บันทึกความก้าวหน้าไตรมาส 1 แล้ว" in response.content.decode()
    assert project.progress.get(quarter=1).money_spent == Decimal(5000)
    bad = c.post(f"/plans/project/{project.pk}/q/2/", {"money_spent": "ห้าพัน"}, follow=True)
    assert "เงินที่ใช้ในไตรมาส: &quot;ห้าพัน&quot; ไม่ใช่ตัวเลข" in bad.content.decode()
    assert not project.progress.filter(quarter=2).exists()
    csv = c.get(f"/plans/{plan.pk}/emenscr.csv").content.decode("utf-8-sig")
    assert "ประชุมชี้แจง" in csv


def test_a_viewer_reads_but_cannot_enter(plan: Any) -> None:
    viewer = make_user("view-viewer", "viewer", "SPM-65-53")
    c = client_for(viewer)
    project = plan.projects.get(number=1)
    assert "บันทึกไตรมาส" not in c.get(f"/plans/project/{project.pk}/").content.decode()
    assert c.post(f"/plans/project/{project.pk}/q/1/", {"money_spent": "1"}).status_code == 404


def test_admin_pages_open(plan: Any) -> None:
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("plans-admin", password="x-long-pw")
    c = client_for(admin_user)
    project = plan.projects.get(number=6)
    page = c.get(f"/admin/plans/project/{project.pk}/change/").content.decode()
    assert "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน" in page
    assert c.get(f"/admin/plans/plan/{plan.pk}/change/").status_code == 200


def test_audit_page_of_a_project(plan: Any, owner: Any, reporter: Any) -> None:
    project = plan.projects.get(number=4)
    c = client_for(owner)
    c.post(f"/plans/project/{project.pk}/q/1/", {"money_spent": "2,500"})
    c.post(f"/plans/project/{project.pk}/q/1/submit/")
    page = c.get(f"/plans/project/{project.pk}/audit/").content.decode()
    assert page.count("<td>view-owner</td>") == 2 and "2500.00" in page
    # in Thai words: the state's label and the field's name, not the code
    assert "ส่งแล้ว" in page and "submitted" not in page and "เงินที่ใช้ในไตรมาส" in page
    # the history is keyed to the quarter's row: renaming the project keeps it
    project.title = "ชื่อโครงการใหม่"
    project.save()
    renamed = c.get(f"/plans/project/{project.pk}/audit/").content.decode()
    assert renamed.count("<td>view-owner</td>") == 2
    assert client_for(reporter).get(f"/plans/project/{project.pk}/audit/").status_code == 404


def test_second_save_of_a_quarter_is_refused_with_the_other_persons_figures(
    plan: Any, owner: Any
) -> None:
    colleague = make_user("view-owner-2", "reporter", "SPM-65-53")
    project = plan.projects.get(number=2)
    url = f"/plans/project/{project.pk}/q/2/"
    page = client_for(owner).get(f"/plans/project/{project.pk}/").content.decode()
    assert f'action="{url}">' in page and 'name="version" value="0"' in page
    first = client_for(colleague).post(url, {"version": "0", "money_spent": "1,000",
                                             "activities_done": "อบรมครูแกนนำ"}, follow=True)
    assert "บันทึกความก้าวหน้าไตรมาส 2 แล้ว" in first.content.decode()
    second = client_for(owner).post(url, {"version": "0", "money_spent": "2,500",
                                          "activities_done": "นิเทศติดตามโรงเรียน"})
    body = second.content.decode()
    assert second.status_code == 409
    assert "บันทึกข้อความนี้ก่อนคุณ" in body and "view-owner-2" in body
    assert "อบรมครูแกนนำ" in body and "1,000.00" in body  # theirs, shown
    assert "นิเทศติดตามโรงเรียน" in body and 'value="2,500"' in body  # mine, kept in the form
    assert 'name="version" value="1"' in body  # a resave compares with what was shown
    stored = project.progress.get(quarter=2)
    assert (stored.activities_done, stored.money_spent) == ("อบรมครูแกนนำ", Decimal(1000))
    merged = client_for(owner).post(url, {"version": "1", "money_spent": "2,500",
                                          "activities_done": "อบรมและนิเทศ"}, follow=True)
    assert "บันทึกความก้าวหน้าไตรมาส 2 แล้ว" in merged.content.decode()
    assert project.progress.get(quarter=2).money_spent == Decimal(2500)
