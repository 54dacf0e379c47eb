"""Hold a signed-in session at the second-factor step until a code is given.

Runs after django-otp's OTPMiddleware (which sets ``user.is_verified()``).
Checked per view, after URL resolution, so the exemptions are URL names, not
path prefixes. The API is not redirected: an unverified session simply does
not count there (the request is anonymous unless it carries a token).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from tidtam.accounts import twofactor

# Pages a half-signed-in user may still open: the code and enrolment pages,
# signing out, and the public password pages.
EXEMPT = frozenset({
    "accounts:verify", "accounts:second_factor", "login", "logout",
    "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete",
})


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any
                     ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in EXEMPT or not twofactor.must_verify(request.user):
            return None
        if match and match.namespace == "api":
            request.user = AnonymousUser()
            return None
        page = "accounts:verify" if twofactor.enrolled(request.user) else "accounts:second_factor"
        return HttpResponseRedirect(
            f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
