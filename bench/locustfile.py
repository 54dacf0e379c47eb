"""Locust users for benchmark (c); run by ``bench/analytics_load.py``, not on its own.

Two kinds of people use tidtam at once during a reporting round:

- **reporters** (an area office's staff) on their indicator's entry page: they
  open it, type a figure and a narrative, and htmx saves each (the same POSTs
  with ``HX-Request`` the page's ``hx-post`` sends, carrying the version the
  page gave them, as the browser does);
- **executives** (OBEC and regional viewers) reading the analytics dashboard
  for one indicator, year and round, sometimes filtered by office type.

The accounts (usernames, passwords, which draft each reporter edits, which
indicators exist) come from the JSON file named by ``TIDTAM_LOAD_ACCOUNTS``,
written by the set-up, which signed each account in through the real login
form with its password before the load (the session cookies are in the
file: 50 password checks in the same second would measure PBKDF2, not the
pages). Each reporter edits its own indicator report, so a
409 (someone else saved first) would be a real error, not contention the
benchmark made up.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

import gevent
from locust import HttpUser, between, task

ACCOUNTS: dict[str, Any] = json.loads(
    open(os.environ["TIDTAM_LOAD_ACCOUNTS"], encoding="utf-8").read()  # noqa: SIM115
)
_reporters = itertools.cycle(ACCOUNTS["reporters"])
_executives = itertools.cycle(ACCOUNTS["executives"])
# Seconds a person pauses between actions (reading, typing); set by the driver.
THINK = tuple(float(x) for x in os.environ.get("TIDTAM_LOAD_THINK", "5,15").split(","))
# locust starts each second's users within a few milliseconds of each other, and
# each would open its first page at that instant: ten people clicking in the same
# 100 ms, every second of the spawn. People arrive spread over the second; the
# deadline day (0) keeps everyone at once on purpose.
ARRIVAL = float(os.environ.get("TIDTAM_LOAD_ARRIVAL", "0"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _version(html: str, dom_id: str) -> int | None:
    # Once a narrative has a block, the page names its version input after the block
    # (``v-narrative-drive-<pk>``); the slot's POST saves that first block.
    found = re.search(rf'id="{re.escape(dom_id)}(?:-\d+)?" value="(\d+)"', html)
    return int(found.group(1)) if found else None


class SignedIn(HttpUser):
    abstract = True
    account: dict[str, Any]
    csrf = ""

    def sign_in(self) -> None:
        """The session the set-up got by signing this account in with its password,
        at the moment this person arrives."""
        if ARRIVAL:
            gevent.sleep(random.uniform(0, ARRIVAL))
        for name, value in self.account["cookies"].items():
            self.client.cookies.set(name, value)
        self.csrf = self.account["cookies"].get("csrftoken", "")


class Reporter(SignedIn):
    """Types on one indicator's entry page; htmx autosaves figure and narrative."""

    fixed_count = int(os.environ.get("TIDTAM_LOAD_REPORTERS", "40"))
    wait_time = between(*THINK)  # reading, typing, then htmx's 2 s autosave delay

    def on_start(self) -> None:
        self.account = next(_reporters)
        self.sign_in()
        self.url = self.account["url"]
        self.versions: dict[str, int] = {}
        self.open_page()

    def open_page(self) -> None:
        with self.client.get(self.url, name="entry page (GET)", catch_response=True) as resp:
            if resp.status_code != 200 or 'id="v-narrative-' not in resp.text:
                resp.failure(f"entry page not editable ({resp.status_code})")
                return
            for dom_id in (self.account["narrative_id"], self.account["value_id"]):
                v = _version(resp.text, dom_id)
                if v is not None:
                    self.versions[dom_id] = v
            token = CSRF.search(resp.text)
            if token:
                self.csrf = token.group(1)

    def autosave(self, path: str, dom_id: str, text: str, name: str) -> None:
        with self.client.post(
            path, name=name, catch_response=True,
            data={"text": text, "version": self.versions.get(dom_id, 0),
                  "csrfmiddlewaretoken": self.csrf},
            headers={"HX-Request": "true", "Referer": f"{self.host}{self.url}"},
        ) as resp:
            v = _version(resp.text, dom_id)
            if resp.status_code != 200 or v is None:
                resp.failure(f"not saved ({resp.status_code}): {resp.text[:120]}")
                return
            self.versions[dom_id] = v

    @task(2)
    def reopen(self) -> None:
        self.open_page()

    @task(3)
    def type_narrative(self) -> None:
        words = random.choices(ACCOUNTS["words"], k=random.randint(20, 80))
        self.autosave(self.account["narrative_url"], self.account["narrative_id"],
                      " ".join(words), "autosave narrative (htmx POST)")

    @task(2)
    def type_figure(self) -> None:
        self.autosave(self.account["value_url"], self.account["value_id"],
                      str(random.randint(100, 90000)), "autosave figure (htmx POST)")


class Executive(SignedIn):
    """Reads the dashboard: one indicator, year and round, sometimes one office type."""

    fixed_count = int(os.environ.get("TIDTAM_LOAD_EXECUTIVES", "10"))
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.account = next(_executives)
        self.sign_in()

    @task
    def dashboard(self) -> None:
        params = {"year": random.choice(ACCOUNTS["years"]),
                  "indicator": random.choice(ACCOUNTS["indicators"]),
                  "round": random.choice(ACCOUNTS["rounds"])}
        if random.random() < 0.3:
            params["type"] = random.choice(["primary_area", "secondary_area"])
        with self.client.get("/analytics/dashboard/", params=params, name="dashboard (GET)",
                             catch_response=True) as resp:
            if resp.status_code != 200 or "<svg" not in resp.text:
                resp.failure(f"dashboard {resp.status_code}")
