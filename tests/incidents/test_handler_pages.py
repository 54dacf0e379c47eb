"""The handlers' pages: the list with its overdue cases, the dashboard's SC notice, files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.conftest import make_user
from tests.incidents.helpers import new_case, staff
from tidtam.audit.models import Action, AuditEntry
from tidtam.incidents.models import Incident, IncidentFile

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_case_past_its_state_deadline_is_listed_as_overdue(client: Client) -> None:
    s = staff()
    late, fresh = new_case(), new_case()
    Incident.objects.filter(pk=late.pk).update(
        state_since=timezone.now() - dt.timedelta(hours=25))  # แจ้งเหตุ: 24 hours
    client.force_login(s["office_op"])
    page = client.get("/incidents/", {"org": "SPM-52-51"}).content.decode()
    overdue = page.split("เกินกำหนดเวลา", 1)[1].split("รายการเหตุ", 1)[0]
    assert late.tracking_code in overdue and fresh.tracking_code not in overdue


def test_a_school_with_fewer_than_two_sc_operators_is_told(client: Client) -> None:
    op = make_user("dash-op1", "sc_operator", "SCH-2")
    client.force_login(op)
    page = client.get("/incidents/office/SCH-2/").content.decode()
    assert 'id="sc-operator-notice"' in page and "อย่างน้อย 2 คน" in page
    make_user("dash-op2", "sc_operator", "SCH-2")
    assert 'id="sc-operator-notice"' not in client.get("/incidents/office/SCH-2/").content.decode()


def test_steps_through_the_case_page_and_a_refusal_in_thai(client: Client) -> None:
    s = staff()
    case = new_case()
    client.force_login(s["school_action"])
    r = client.post(f"/incidents/{case.pk}/act/", {"action": "close", "note": "x",
                                                  "version": case.version}, follow=True)
    assert "ทำได้เมื่อเหตุอยู่ในสถานะ ดำเนินการ เท่านั้น" in r.content.decode()
    client.force_login(s["school_op"])
    client.post(f"/incidents/{case.pk}/act/", {"action": "receive", "version": case.version})
    assert Incident.objects.get(pk=case.pk).state == "received"


def test_evidence_files_are_checked_and_served_to_handlers_only(client: Client) -> None:
    s = staff()
    case = new_case()
    client.force_login(s["school_op"])
    fake = SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")
    r = client.post(f"/incidents/{case.pk}/files/", {"file": fake}, follow=True)
    assert "ไม่ตรงกับนามสกุล" in r.content.decode() and not case.files.exists()
    exe = SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")
    r = client.post(f"/incidents/{case.pk}/files/", {"file": exe}, follow=True)
    assert "ชนิดที่ไม่รับ" in r.content.decode() and not case.files.exists()
    client.post(f"/incidents/{case.pk}/files/",
                {"file": SimpleUploadedFile("ok.png", PNG, "image/png"), "caption": "ภาพ"})
    f = IncidentFile.objects.get(incident=case)
    assert AuditEntry.objects.filter(action=Action.INCIDENT_FILE, object_id=f.pk).exists()
    r = client.get(f"/incidents/files/{f.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG")
    client.force_login(make_user("file-outsider", "sc_operator", "SPP-52-1"))
    assert client.get(f"/incidents/files/{f.pk}/").status_code == 404
    client.force_login(make_user("file-reporter", "reporter", "SCH-1"))
    assert client.get(f"/incidents/files/{f.pk}/").status_code == 404


def test_the_school_page_carries_the_notice_and_the_report_link(client: Client) -> None:
    client.force_login(make_user("page-viewer", "viewer", "SPM-52-51"))
    page = client.get("/orgs/SCH-3/").content.decode()
    assert 'id="sc-operator-notice"' in page and "/incidents/office/SCH-3/" in page
    assert "/incidents/report/?school=SCH-3" in page
    client.force_login(make_user("page-outsider", "viewer", "SPP-52-1"))
    assert "/incidents/office/SCH-3/" not in client.get("/orgs/SCH-3/").content.decode()
