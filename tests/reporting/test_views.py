"""The reporting pages: rights, uploads, autosave answers, expired sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.frameworks.models import DataElement
from tidtam.narratives.models import Block
from tidtam.reporting import editing
from tidtam.reporting.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def as_reporter(client: Client, reporter: Any) -> Client:
    client.force_login(reporter)
    return client


def test_task_list_shows_what_is_owed(as_reporter: Client, submission: Any) -> None:
    body = as_reporter.get("/tasks/").content.decode()
    assert "รายงานที่ต้องส่ง" in body
    assert "สพม.ลำปาง ลำพูน" in body and "กำหนดส่ง" in body
    assert "เริ่มกรอกข้อมูล" in body  # the rounds without a submission yet


def test_start_creates_a_draft_once(as_reporter: Client) -> None:
    from tidtam.reporting.models import RoundSchedule, Submission

    sched = RoundSchedule.objects.get(framework__code="qp", round="6m")
    r1 = as_reporter.post("/submissions/start/", {"org": "SPM-52-51", "schedule": sched.pk})
    r2 = as_reporter.post("/submissions/start/", {"org": "SPM-52-51", "schedule": sched.pk})
    assert r1["Location"] == r2["Location"]
    assert Submission.objects.filter(org__code="SPM-52-51", round="6m").count() == 1
    refused = as_reporter.post("/submissions/start/", {"org": "SPP-52-1", "schedule": sched.pk})
    assert refused.status_code == 403


def test_other_offices_pages_and_files_are_refused(
    as_reporter: Client, other_submission: Any, other_reporter: Any
) -> None:
    report = editing.report_for(other_submission, other_submission.framework.nodes.get(code="1"))
    from tidtam.reporting.files import attach

    att = attach(other_reporter, report, SimpleUploadedFile("x.png", PNG), "image")
    pk = other_submission.pk
    for url in [f"/submissions/{pk}/", f"/submissions/{pk}/i/1/", f"/submissions/{pk}/audit/",
                f"/submissions/{pk}/rate/", f"/files/{att.pk}/"]:
        assert as_reporter.get(url).status_code == 404, url
    for url in [f"/submissions/{pk}/i/1/narrative/drive/", f"/submissions/{pk}/action/",
                f"/files/{att.pk}/delete/"]:
        assert as_reporter.post(url, {"text": "x", "version": 0}).status_code == 404, url


def test_narrative_autosave_and_conflict(as_reporter: Client, submission: Any) -> None:
    url = f"/submissions/{submission.pk}/i/1/narrative/drive/"
    ok = as_reporter.post(url, {"text": "ฉบับแรก", "version": 0}, **HX)
    assert ok.status_code == 200 and "บันทึกแล้ว" in ok.content.decode()
    assert 'value="1"' in ok.content.decode()  # the new version, swapped into the form
    stale = as_reporter.post(url, {"text": "ของฉัน", "version": 0}, **HX)
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "บันทึกข้อความนี้ก่อนคุณ" in body and "ฉบับแรก" in body
    assert Block.objects.get(org=submission.org, kind__code="drive").text == "ฉบับแรก"


def test_malformed_number_is_refused_in_thai(as_reporter: Client, submission: Any) -> None:
    el = DataElement.objects.filter(node__framework=submission.framework,
                                    measure__value_type="integer").first()
    assert el is not None
    url = f"/submissions/{submission.pk}/i/{el.node.code}/value/{el.pk}/"
    bad = as_reporter.post(url, {"text": "12,3,4", "version": 0}, **HX)
    assert bad.status_code == 422 and "12,3,4" in bad.content.decode()
    good = as_reporter.post(url, {"text": "๑๒,๓๔๕", "version": 0}, **HX)
    assert good.status_code == 200


def test_expired_session_mid_edit_keeps_the_page(client: Client, submission: Any) -> None:
    url = f"/submissions/{submission.pk}/i/1/narrative/drive/"
    response = client.post(url, {"text": "ข้อความที่พิมพ์ไว้", "version": 0}, **HX)
    assert response.status_code == 401
    assert "หมดเวลาการเข้าสู่ระบบ" in response.content.decode()
    assert not Block.objects.filter(org=submission.org).exists()
    # Without htmx, the usual redirect to the login page.
    assert client.get(f"/submissions/{submission.pk}/")["Location"].startswith("/login/")


def _bp_url(client: Client, submission: Any) -> str:
    base = f"/submissions/{submission.pk}/i/1/practices/"
    client.post(base)
    return f"{base}{Block.objects.get(org=submission.org, kind__code='best_practice').pk}/"


def test_upload_wrong_type_or_disguised_file_is_refused(
    as_reporter: Client, submission: Any
) -> None:
    url = _bp_url(as_reporter, submission)
    exe = as_reporter.post(url, {"image": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
                           follow=True)
    assert "เป็นชนิดที่ไม่รับ" in exe.content.decode()
    fake = as_reporter.post(url, {"image": SimpleUploadedFile("photo.png", b"<html>")},
                            follow=True)
    assert "ไม่ตรงกับนามสกุล" in fake.content.decode()
    assert not Attachment.objects.exists()


def test_upload_oversize_is_refused(as_reporter: Client, submission: Any) -> None:
    url = _bp_url(as_reporter, submission)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024))
    response = as_reporter.post(url, {"image": big}, follow=True)
    assert "เกินกำหนด 5 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_image_is_stored_outside_the_database_and_served_to_readers_only(
    as_reporter: Client, submission: Any, client: Client
) -> None:
    url = _bp_url(as_reporter, submission)
    as_reporter.post(url, {"image": SimpleUploadedFile("ok.png", PNG), "caption": "ภาพกิจกรรม"})
    att = Attachment.objects.get()
    assert att.file.path.endswith(".png") and att.sha256
    response = as_reporter.get(f"/files/{att.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("code", ["SCH-1", "PEO52"])
def test_no_qp_report_for_a_unit_the_framework_does_not_evaluate(client: Client, code: str) -> None:
    """The Quick Policy's indicators apply to area offices (data): a school or a ศธจ. gets none."""
    from tests.conftest import make_user
    from tidtam.reporting.models import RoundSchedule, Submission

    client.force_login(make_user("unit-rep", "reporter", code))
    sched = RoundSchedule.objects.get(framework__code="qp", round="6m")
    page = client.post("/submissions/start/", {"org": code, "schedule": sched.pk},
                       follow=True).content.decode()
    assert "ไม่ได้ประเมิน" in page and "ใช้กับ" in page
    api = client.post("/api/submissions", {"org": code, "framework": "qp", "fiscal_year": 2566,
                                           "round": "6m"}, content_type="application/json")
    assert api.status_code == 422 and "ไม่ได้ประเมิน" in api.json()["detail"]
    assert not Submission.objects.filter(org__code=code).exists()


def test_starting_a_report_is_audited(as_reporter: Client) -> None:
    from tidtam.audit.models import Action, AuditEntry
    from tidtam.reporting.models import RoundSchedule, Submission

    sched = RoundSchedule.objects.get(framework__code="qp", round="6m")
    as_reporter.post("/submissions/start/", {"org": "SPM-52-51", "schedule": sched.pk})
    sub = Submission.objects.get(org__code="SPM-52-51", round="6m")
    assert AuditEntry.objects.about(sub).get().action == Action.CREATE


def _integer_element(submission: Any) -> DataElement:
    el = DataElement.objects.filter(node__framework=submission.framework,
                                    measure__value_type="integer").first()
    assert el is not None
    return el


def _pages(submission: Any, el: DataElement) -> list[str]:
    pk = submission.pk
    return [f"/submissions/{pk}/", f"/submissions/{pk}/i/{el.node.code}/",
            f"/submissions/{pk}/rate/", f"/api/submissions/{pk}"]


def test_a_figure_beyond_the_limit_is_refused_naming_field_and_limit(
    as_reporter: Client, submission: Any
) -> None:
    from tidtam.measures.models import Observation

    el = _integer_element(submission)
    url = f"/submissions/{submission.pk}/i/{el.node.code}/value/{el.pk}/"
    refused = as_reporter.post(url, {"text": "9999999999999999", "version": 0}, **HX)
    body = refused.content.decode()
    assert refused.status_code == 422
    assert el.name_th in body and "ตัวเลขต้องน้อยกว่า 100,000,000,000" in body
    # nothing typed (the demo's AP results are the imported e-MES sheet's)
    assert not Observation.objects.filter(org=submission.org, source_kind="typed").exists()
    assert as_reporter.get(f"/submissions/{submission.pk}/").status_code == 200


def test_a_stored_figure_wider_than_its_column_still_reads_and_can_be_corrected(
    as_reporter: Client, submission: Any, reporter: Any, evaluator: Any
) -> None:
    """A value written before the limits (or by hand) must not break any page."""
    from decimal import Decimal

    from tidtam.measures.models import Observation
    from tidtam.reporting.models import State

    el = _integer_element(submission)
    saved = editing.save_value(reporter, editing.report_for(submission, el.node), el, "12", 0)
    stored = Observation.objects.filter(pk=saved.observation_id)
    # Past every check, as the probe's 16-digit figure was stored.
    stored.update(text="9999999999999999", value_decimal=Decimal("9999999999999999"))
    overview, indicator, rate, api = _pages(submission, el)
    for url in (overview, indicator, api):
        assert as_reporter.get(url).status_code == 200, url
    url = f"/submissions/{submission.pk}/i/{el.node.code}/value/{el.pk}/"
    fixed = as_reporter.post(url, {"text": "1,234", "version": saved.version}, **HX)
    assert fixed.status_code == 200
    assert stored.get().value_decimal == Decimal("1234")
    submission.state = State.SUBMITTED
    submission.save()
    stored.update(value_decimal=Decimal("9999999999999999"))
    as_reporter.force_login(evaluator)
    assert as_reporter.get(rate).status_code == 200


def test_the_rating_screen_saves_all_or_nothing(
    client: Client, submission: Any, reporter: Any, evaluator: Any
) -> None:
    from tidtam.evaluation.models import Rating
    from tidtam.frameworks.models import FrameworkNode
    from tidtam.reporting.models import State

    submission.state = State.SUBMITTED
    submission.save()
    one, two = (FrameworkNode.objects.get(framework=submission.framework, code=c) for c in "12")
    stored = Rating.objects.get(org=submission.org, node=one, round="6m").level
    assert stored != 1
    client.force_login(evaluator)
    url = f"/submissions/{submission.pk}/rate/"
    refused = client.post(url, {f"level-{one.pk}-6m": "1", f"level-{two.pk}-6m": "9"},
                          follow=True)
    assert "ตัวชี้วัดที่ 2 รอบ 6 เดือน: ระดับคุณภาพต้องเป็น 1–5 แต่พบ 9" in (
        refused.content.decode())
    assert Rating.objects.get(org=submission.org, node=one, round="6m").level == stored
    saved = client.post(url, {f"level-{one.pk}-6m": "1", f"level-{two.pk}-6m": "5"},
                        follow=True)
    assert "บันทึกระดับคุณภาพแล้ว 2 รายการ" in saved.content.decode()
    assert Rating.objects.get(org=submission.org, node=one, round="6m").level == 1


def test_typed_markup_is_escaped_in_save_errors(as_reporter: Client, submission: Any) -> None:
    el = _integer_element(submission)
    url = f"/submissions/{submission.pk}/i/{el.node.code}/value/{el.pk}/"
    refused = as_reporter.post(url, {"text": "<img src=x onerror=alert(1)>", "version": 0},
                               **HX)
    body = refused.content.decode()
    assert refused.status_code == 422
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def test_a_nul_byte_or_an_overlong_name_is_refused_and_nothing_stored(
    as_reporter: Client, submission: Any
) -> None:
    narrative = as_reporter.post(f"/submissions/{submission.pk}/i/1/narrative/drive/",
                                 {"text": "ก่อน\x00หลัง", "version": 0}, **HX)
    assert narrative.status_code == 422
    assert ("ตัวชี้วัดที่ 1 · การขับเคลื่อนการดำเนินงาน: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+0000)"
            in narrative.content.decode())
    assert not Block.objects.filter(org=submission.org, kind__code="drive").exists()
    url = _bp_url(as_reporter, submission)
    long_name = as_reporter.post(url, {"unit_name": "ก" * 1000, "model_name": "", "steps": "",
                                       "version": 1}, **HX)
    assert long_name.status_code == 422
    assert "หน่วยงาน/สถานศึกษา: ยาว 1,000 ตัวอักษร เกินกำหนด 255 ตัวอักษร" in (
        long_name.content.decode())
    assert Block.objects.get(org=submission.org, kind__code="best_practice").unit_name == ""
