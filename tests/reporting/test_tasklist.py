"""The task page for people with many offices: filters, sorting, pages, a year switcher,
and progress counted over the offices the user oversees."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.conftest import framework_of_another_year, make_user
from tidtam.analytics.dashboard import readable_offices
from tidtam.frameworks.models import Framework
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.models import State, Submission

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


def _submitted(code: str, fw: str = "qp", rnd: str = "12m", at: dt.datetime | None = None,
               year: int = 2566) -> Submission:
    return Submission.objects.create(
        org=OrgUnit.objects.get(code=code), framework=Framework.objects.get(code=fw,
                                                                            fiscal_year=year),
        round=rnd, state=State.SUBMITTED,
        submitted_at=at or dt.datetime(2023, 10, 1, 10, 0, tzinfo=BKK))


def _rows(body: str, section: str) -> list[str]:
    part = body[body.index(f'id="{section}"'):]
    part = part[:part.index("</table>")] if "</table>" in part else ""
    return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>', part)


@pytest.fixture
def evaluator_client(client: Client) -> Client:
    client.force_login(make_user("tl-eva", "evaluator", "OBEC"))
    return client


def test_filter_by_office_report_and_round(evaluator_client: Client) -> None:
    _submitted("SPM-52-51")
    _submitted("SPP-52-1")
    _submitted("SPP-52-1", rnd="6m")
    _submitted("SPP-52-1", fw="ap", rnd="year")
    body = evaluator_client.get("/tasks/?q=ลำปาง").content.decode()
    assert len(_rows(body, "to-rate")) == 4
    body = evaluator_client.get("/tasks/?q=SPP-52-1&framework=qp&round=6m").content.decode()
    assert _rows(body, "to-rate") == ["สพป.ลำปาง เขต 1"]
    assert "รอบ 6 เดือน" in body
    none = evaluator_client.get("/tasks/?q=ไม่มีเขตนี้").content.decode()
    assert "ไม่พบรายงานตามเงื่อนไขที่เลือก" in none and "ล้างตัวกรอง" in none


def test_late_is_judged_on_the_bangkok_day(evaluator_client: Client) -> None:
    # Due 15 Oct 2023. 20:00 that evening in Bangkok is 13:00 UTC: on time.
    _submitted("SPM-52-51", at=dt.datetime(2023, 10, 15, 20, 0, tzinfo=BKK))
    # 01:00 on the 16th in Bangkok is still the 15th in UTC: late.
    _submitted("SPP-52-1", at=dt.datetime(2023, 10, 16, 1, 0, tzinfo=BKK))
    body = evaluator_client.get("/tasks/?late=1").content.decode()
    assert _rows(body, "to-rate") == ["สพป.ลำปาง เขต 1"]
    assert "ส่งช้า" in body


def test_sorting_and_pages(evaluator_client: Client) -> None:
    offices = list(OrgUnit.objects.area_offices().order_by("code"))[:26]
    base = dt.datetime(2023, 9, 1, 9, 0, tzinfo=BKK)
    for i, office in enumerate(offices):  # 52 submissions: more than one page of 50
        _submitted(office.code, rnd="6m", at=base + dt.timedelta(hours=i))
        _submitted(office.code, rnd="12m", at=base + dt.timedelta(days=30, hours=i))
    first = evaluator_client.get("/tasks/?sort=-submitted").content.decode()
    rows = _rows(first, "to-rate")
    assert len(rows) == 50 and rows[0] == offices[-1].display_name
    assert "หน้า 1 จาก 2 (52 รายการ)" in first
    second = evaluator_client.get("/tasks/?sort=-submitted&page=2").content.decode()
    assert _rows(second, "to-rate") == [offices[1].display_name, offices[0].display_name]
    by_office = _rows(evaluator_client.get("/tasks/?sort=office").content.decode(), "to-rate")
    assert by_office[:2] == [offices[0].display_name] * 2
    # The pager keeps the filters.
    assert 'href="?year=2566&amp;sort=-submitted&amp;page=2"' in first


def test_year_switcher_offers_the_years_with_data(evaluator_client: Client) -> None:
    framework_of_another_year("qp", 2565)
    _submitted("SPM-52-51", year=2565)
    _submitted("SPP-52-1")
    body = evaluator_client.get("/tasks/").content.decode()
    assert '<option value="2565">2565</option>' in body
    assert _rows(body, "to-rate") == ["สพป.ลำปาง เขต 1"]
    old = evaluator_client.get("/tasks/?year=2565").content.decode()
    assert "ปีงบประมาณ พ.ศ. 2565" in old and _rows(old, "to-rate") == ["สพม.ลำปาง ลำพูน"]
    assert "ปีงบประมาณ พ.ศ. 2566" in evaluator_client.get("/tasks/?year=1999").content.decode()


def test_a_regional_viewer_counts_the_offices_of_its_provinces(client: Client) -> None:
    viewer = make_user("tl-reo15", "viewer", "REO15")
    _submitted("SPM-52-51")  # สพม.ลำปาง ลำพูน serves Lampang, in region 15
    _submitted("SPP-75")  # สมุทรสงคราม: not region 15's
    client.force_login(viewer)
    body = client.get("/tasks/").content.decode()
    n = len(readable_offices(viewer))
    assert n > 0 and f"({n} เขตพื้นที่)" in body
    row = next(r for r in re.findall(r"<tr><td>Quick Policy.*?</tr>|<tr><td>QP.*?</tr>", body)
               if "12 เดือน" in r)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    # offices, not started, then one count per state: draft 0, submitted 1, …
    assert cells[2:5] == [str(n), str(n - 1), "0"] and cells[5] == "1"
