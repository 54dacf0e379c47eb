"""Error pages: Thai, a way back, no internals — with DEBUG off and on (`make run`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.failing_urls")]

INTERNALS = ("Resolver404", "matches the given query", "Traceback", "DEBUG = True",
             "Page not found", "Forbidden", "CSRF verification failed", "Server Error",
             "urlpatterns", "tried")
HX = {"HTTP_HX_REQUEST": "true"}


def _thai_page(response: Any, status: int, heading: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert heading in body, body[:500]
    for word in INTERNALS:
        assert word not in body, f"{word!r} shown on the {status} page"
    assert 'href="/"' in body  # a way back: at least the home page
    return body


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return bool(request.param)


@pytest.fixture
def signed_in(client: Client) -> Client:
    client.force_login(make_user("err-rep", "reporter", "SPM-52-51"))
    return client


def test_unknown_address_is_the_thai_404(debug: bool, signed_in: Client) -> None:
    body = _thai_page(signed_in.get("/no/such/page/"), 404, "ไม่พบหน้าที่ต้องการ")
    assert "งานของฉัน" in body  # the signed-in menu and a way to one's tasks


def test_missing_object_never_names_the_model(debug: bool, signed_in: Client) -> None:
    # get_object_or_404's own message is "No Submission matches the given query."
    _thai_page(signed_in.get("/submissions/987654/"), 404, "ไม่พบหน้าที่ต้องการ")
    _thai_page(signed_in.get("/files/987654/"), 404, "ไม่พบหน้าที่ต้องการ")


def test_our_thai_404_message_is_kept(debug: bool, signed_in: Client) -> None:
    body = _thai_page(signed_in.get("/sheets/2566/OBEC/"), 404, "ไม่พบหน้าที่ต้องการ")
    assert "หน่วยงานนี้ไม่ใช่สำนักงานเขตพื้นที่การศึกษา" in body


def test_back_link_goes_to_the_referring_page_of_this_site(signed_in: Client) -> None:
    body = signed_in.get("/no/such/", HTTP_REFERER="http://testserver/tasks/").content.decode()
    assert 'href="http://testserver/tasks/"' in body and "กลับไปหน้าก่อนหน้า" in body
    foreign = signed_in.get("/no/such/", HTTP_REFERER="http://evil.example/").content.decode()
    assert "evil.example" not in foreign


def test_forbidden_is_thai(debug: bool, client: Client, submission: Any) -> None:
    # A viewer of the office may read its report but not write in it.
    client.force_login(make_user("err-viewer", "viewer", "SPM-52-51"))
    response = client.post(f"/submissions/{submission.pk}/i/1/narrative/drive/",
                           {"text": "x", "version": 0})
    body = _thai_page(response, 403, "ไม่มีสิทธิ์เข้าถึง")
    assert "คุณไม่มีสิทธิ์ดำเนินการนี้กับหน่วยงานนี้" in body


def test_bad_request_is_thai(debug: bool, signed_in: Client) -> None:
    _thai_page(signed_in.get("/test-errors/bad-request/"), 400, "คำขอไม่ถูกต้อง")


def test_server_error_is_thai(debug: bool, signed_in: Client) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(make_user("err-500", "reporter", "SPM-52-51"))
    body = _thai_page(client.get("/test-errors/boom/"), 500, "ระบบขัดข้องชั่วคราว")
    assert "secret detail" not in body


@pytest.mark.unscanned
def test_technical_pages_come_back_for_a_developer(settings: Any, signed_in: Client) -> None:
    settings.DEBUG = True
    settings.TIDTAM_TECHNICAL_ERRORS = True
    assert "DEBUG = True" in signed_in.get("/no/such/page/").content.decode()


def test_csrf_failure_of_a_form_is_a_thai_page(debug: bool, submission: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("err-csrf", "reporter", "SPM-52-51"))
    client.get(f"/submissions/{submission.pk}/")  # the page sets the CSRF cookie
    response = client.post(f"/submissions/{submission.pk}/action/", {"action": "submit"},
                           HTTP_REFERER=f"http://testserver/submissions/{submission.pk}/")
    body = _thai_page(response, 403, "ส่งแบบฟอร์มไม่สำเร็จ")
    assert "นำข้อความนั้นกลับมา" in body  # how to get the typed text back
    assert f'href="http://testserver/submissions/{submission.pk}/"' in body
    cookieless = Client(enforce_csrf_checks=True)
    cookieless.force_login(make_user("err-csrf3", "reporter", "SPM-52-51"))
    body = _thai_page(cookieless.post(f"/submissions/{submission.pk}/action/"), 403,
                      "ส่งแบบฟอร์มไม่สำเร็จ")
    assert "เปิดการใช้คุกกี้" in body


def test_csrf_failure_of_an_autosave_tells_the_page_to_refresh_its_token(
    submission: Any,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("err-csrf2", "reporter", "SPM-52-51"))
    response = client.post(f"/submissions/{submission.pk}/i/1/narrative/drive/",
                           {"text": "ข้อความ", "version": 0}, HTTP_X_CSRFTOKEN="stale" * 5, **HX)
    assert response.status_code == 403 and response["X-Tidtam-Csrf"] == "stale"
    assert "ข้อความยังอยู่ในช่อง" in response.content.decode()


def test_token_endpoint_gives_the_current_token(client: Client) -> None:
    anonymous = client.get("/session/csrf/").json()
    assert anonymous["signed_in"] is False and len(anonymous["token"]) == 64
    client.force_login(make_user("err-tok", "reporter", "SPM-52-51"))
    data = client.get("/session/csrf/").json()
    assert data["signed_in"] is True
    assert client.get("/session/csrf/")["Cache-Control"].startswith("max-age=0")


def test_expired_session_form_post_returns_to_the_form_after_sign_in(
    client: Client, submission: Any,
) -> None:
    page = f"http://testserver/submissions/{submission.pk}/i/1/"
    response = client.post(f"/submissions/{submission.pk}/i/1/problems/", HTTP_REFERER=page)
    assert response.status_code == 302
    assert "next=http%3A//testserver/submissions/" in response["Location"]
    assert "problems" not in response["Location"]
