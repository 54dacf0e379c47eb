"""The minimal web UI: signed-in users browse orgs, frameworks and sheets."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests import seed004
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client: Client) -> Client:
    """A viewer of seed 004's office: the sheet is theirs to read."""
    client.force_login(make_user("viewer", "viewer", seed004.ORG))
    return client


def test_pages_need_a_login(client: Client) -> None:
    for url in ["/", "/orgs/", f"/sheets/2566/{seed004.ORG}/", f"/sheets/2566/{seed004.ORG}.pdf"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_login_page_is_thai(client: Client) -> None:
    body = client.get("/login/").content.decode()
    assert "เข้าสู่ระบบ" in body and 'lang="th"' in body


def test_wrong_password_says_so_in_thai(client: Client) -> None:
    body = client.post("/login/", {"username": "demo", "password": "wrong"}).content.decode()
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in body


def test_home_lists_the_year_and_frameworks(user_client: Client) -> None:
    body = user_client.get("/").content.decode()
    assert "ปีงบประมาณ พ.ศ. 2566" in body
    assert "Quick Policy" in body
    assert seed004.OFFICE_NAME in body


def test_org_search_and_detail(user_client: Client) -> None:
    body = user_client.get("/orgs/", {"q": "ลำปาง ลำพูน"}).content.decode()
    assert seed004.OFFICE_NAME in body
    detail = user_client.get(f"/orgs/{seed004.ORG}/").content.decode()
    assert "ลำปาง" in detail and "ลำพูน" in detail
    assert "/sheets/2566/SPM-52-51/" in detail


def test_framework_page_shows_the_tree(user_client: Client) -> None:
    body = user_client.get("/frameworks/2566/esa/").content.decode()
    assert "ประเด็นการพิจารณาที่" in body
    assert "ติดตามแต่ไม่ประเมินผล" in body
    assert "เฉพาะ สพป." in body


def test_sheet_page_prints_the_figures_and_flags_the_difference(user_client: Client) -> None:
    body = user_client.get(f"/sheets/2566/{seed004.ORG}/").content.decode()
    assert "คะแนนเฉลี่ยรวม 12 ตัวชี้วัด" in body
    assert "3.83" in body and "4.80" in body
    assert "ระบบคำนวณได้ 4 (ดีมาก)" in body  # standard 3: 4.40 computed, 5 given


def test_downloads(user_client: Client) -> None:
    for fmt, magic in [("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")]:
        response = user_client.get(f"/sheets/2566/{seed004.ORG}.{fmt}")
        assert response.status_code == 200
        assert response.content.startswith(magic)
        assert "attachment" in response["Content-Disposition"]
    data = json.loads(user_client.get(f"/sheets/2566/{seed004.ORG}.json").content)
    assert data["qp"]["overall"]["average"] == "3.83"


def test_unknown_office_year_or_format_is_404(user_client: Client) -> None:
    assert user_client.get("/sheets/2566/NOPE/").status_code == 404
    assert user_client.get("/sheets/2599/SPM-52-51/").status_code == 404
    assert user_client.get("/sheets/2566/SPM-52-51.exe").status_code == 404
    assert user_client.get("/sheets/2566/OBEC/").status_code == 404


def test_sheet_page_links_the_offices_other_years(user_client: Client) -> None:
    from tests.conftest import framework_of_another_year
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    assert "ปีงบประมาณอื่น" not in user_client.get(f"/sheets/2566/{seed004.ORG}/").content.decode()
    Submission.objects.create(org=OrgUnit.objects.get(code=seed004.ORG),
                              framework=framework_of_another_year("qp", 2565), round="12m")
    body = user_client.get(f"/sheets/2566/{seed004.ORG}/").content.decode()
    assert f'href="/sheets/2565/{seed004.ORG}/">พ.ศ. 2565</a>' in body
