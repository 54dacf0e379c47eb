"""Chromium through Playwright, against the live test server with the demo loaded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser(live_server: Any) -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    # Playwright's sync API runs an event loop; Django refuses ORM calls from
    # inside one unless told this thread is not async code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from tidtam.demo.loader import load_demo
    from tidtam.frameworks.loader import load_all
    from tidtam.validation.loader import load_all_rules

    load_all()  # the live server's transactional DB starts empty
    load_all_rules()
    from tidtam.incidents.loader import load_threats

    load_threats()
    load_demo()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        b.base_url = live_server.url
        yield b
        b.close()
    from django.db import connections

    connections.close_all()


@pytest.fixture
def login(browser: Any) -> Callable[..., Any]:
    """A signed-in page for a user, in a context of its own (a separate person)."""

    def open_as(username: str, password: str, phone: bool = False) -> Any:
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        page = browser.new_context(viewport=viewport, accept_downloads=True).new_page()
        page.set_default_timeout(15000)
        page.base_url = browser.base_url
        page.goto(f"{browser.base_url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{browser.base_url}/**")
        if "/accounts/2fa/" in page.url:
            pass_second_factor(page, username)
        return page

    return open_as


def pass_second_factor(page: Any, username: str) -> None:
    """Give the TOTP code an approver's or administrator's app would show.

    A first sign-in enrols the app on the enrolment page (the code is
    computed from the key the page was made for) and moves past the backup
    codes; later ones answer the verification page.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.totp import code_for

    page.wait_for_url("**/accounts/2fa/**")
    enrolling = "/accounts/2fa/verify/" not in page.url
    device = TOTPDevice.objects.filter(
        user__username=username, confirmed=not enrolling).order_by("-pk").first()
    assert device is not None, f"{username} has no authenticator device"
    page.fill("input[name=code]", code_for(device))
    page.click("form.code-form button[type=submit]")
    if enrolling:
        page.click("text=ดำเนินการต่อ")
    page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
