"""Error pages in Thai, with a way back and nothing of the machinery behind them.

Django's own pages name models ("No Submission matches the given query"), URL
patterns (``Resolver404``) or, with DEBUG on, whole settings dumps. These
views render the Thai templates instead, and ``ThaiErrorPages`` makes them
the pages shown in ``make run`` too (DEBUG on), where Django would otherwise
answer with its technical pages. ``TIDTAM_TECHNICAL_ERRORS=1`` brings those
back for a developer.

A message is shown only when it is one of ours: every ``Http404`` or
``PermissionDenied`` the code raises carries a Thai sentence meant for the
user, and Django's internal ones are English — so "has Thai letters" is the
test, and anything else gets the page's own wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    DisallowedHost,
    PermissionDenied,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response
from django.views.decorators.cache import never_cache

THAI = re.compile("[\u0e00-\u0e7f]")
# The header tells site.js that a save failed only because the page's token is
# stale (the user signed in again in another tab): fetch a fresh one, resend.
STALE_TOKEN_HEADER = "X-Tidtam-Csrf"


def user_message(exception: BaseException | None) -> str:
    """The exception's own message when it is a Thai sentence we wrote, else ""."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) and THAI.search(message) else ""


def back_url(request: HttpRequest) -> str:
    """Where the user came from, if that is a page of this site; else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the very error a 400 page may be answering
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ) and referer != request.build_absolute_uri():
        return referer
    return ""


def _page(request: HttpRequest, template: str, status: int, message: str = "",
          **extra: Any) -> HttpResponse:
    context = {"message": message, "back": back_url(request), **extra}
    response = render(request, template, context, status=status)
    response.tidtam_error_page = True  # type: ignore[attr-defined]
    return response


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(request, "400.html", 400, user_message(exception))


def permission_denied(request: HttpRequest,
                      exception: BaseException | None = None) -> HttpResponse:
    return _page(request, "403.html", 403, user_message(exception))


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(request, "404.html", 404, user_message(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: rendered without the request's context processors, which
    may be what failed (the database, a template), and without base.html."""
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a token the server no longer accepts.

    In tidtam that is nearly always a page opened before the user signed in
    again (signing in issues a new token): an htmx save is answered with a
    short Thai note and a header site.js acts on, a whole-page form with a
    page that explains and leads back to the form, where the autosaved text
    is offered back from the browser's storage.
    """
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(
            '<span class="save-error" role="status">หน้านี้เปิดไว้ก่อนเข้าสู่ระบบครั้งล่าสุด '
            "ระบบยังไม่ได้บันทึก ข้อความยังอยู่ในช่อง กรุณาโหลดหน้าใหม่แล้วกดบันทึกอีกครั้ง</span>",
            status=403,
        )
        response[STALE_TOKEN_HEADER] = "stale"
        return response
    return _page(request, "403_csrf.html", 403, no_cookie=reason == REASON_NO_CSRF_COOKIE)


@never_cache
def csrf_token(request: HttpRequest) -> JsonResponse:
    """The current token, for a page whose token went stale (see site.js)."""
    return JsonResponse({"token": get_token(request),
                         "signed_in": request.user.is_authenticated})


def signed_in_elsewhere(request: HttpRequest) -> HttpResponse:
    """Where the sign-in link of an expired-session message leads: "go back"."""
    return render(request, "signed_in.html")


class ThaiErrorPages:
    """With DEBUG on, answer with the Thai error pages instead of Django's technical ones.

    With DEBUG off Django already calls the handlers in ``tidtam.urls``; this
    covers ``make run``. An unmatched URL never reaches a view, so its 404 is
    recognised on the way out (no view was resolved).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return bool(settings.DEBUG) and not getattr(settings, "TIDTAM_TECHNICAL_ERRORS", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (self.active() and response.status_code == 404
                and getattr(request, "resolver_match", None) is None
                and not getattr(response, "tidtam_error_page", False)):
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if not self.active():
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return bad_request(request, exception)
        response = server_error(request)
        # The traceback still reaches the console of `tidtam runserver`.
        log_response("Internal Server Error: %s", request.path, response=response,
                     request=request, exception=exception)
        return response
