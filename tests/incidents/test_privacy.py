"""Another office's staff, and staff without a handling role, read nobody's name or contact.

Through the pages, the API and search; the case's handlers do, and each read is audited.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.incidents.helpers import CONTACT, INVOLVED, REPORTER_NAME, new_case, staff
from tidtam.accounts.models import ApiToken
from tidtam.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db
SECRETS = (REPORTER_NAME, CONTACT, INVOLVED)


def _no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{where} shows {secret}"


@pytest.fixture
def outsiders(db: None) -> dict[str, Any]:
    return {
        "other_office_op": make_user("p-other-op", "sc_operator", "SPP-52-1"),
        "same_school_reporter": make_user("p-sch-rep", "reporter", "SCH-1"),
        "office_viewer": make_user("p-off-view", "viewer", "SPM-52-51"),
    }


def test_outsiders_read_nothing_personal(client: Client, outsiders: dict[str, Any]) -> None:
    case = new_case()
    reads = AuditEntry.objects.filter(action=Action.INCIDENT_READ).count()
    for label, user in outsiders.items():
        client.force_login(user)
        assert client.get(f"/incidents/{case.pk}/").status_code == 404, label
        listing = client.get("/incidents/")
        assert listing.status_code in (403, 200), label
        _no_secret(listing.content.decode(), f"{label} list")
        _no_secret(client.get("/incidents/", {"org": "SPM-52-51"}).content.decode(), label)
        dash = client.get("/incidents/office/SPM-52-51/")
        _no_secret(dash.content.decode(), f"{label} dashboard")
        for secret in SECRETS:  # the page repeats the query; the results list must not
            found = client.get("/search/", {"q": secret}).content.decode()
            results = found.split('class="search-results"', 1)[-1].split("</ol>", 1)[0]
            _no_secret(results, "search")
        _no_secret(client.get("/incidents/track/", {"code": case.tracking_code})
                   .content.decode(), "track")
        _, key = ApiToken.issue(user, "t")
        h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        api_list = client.get("/api/incidents", **h)
        assert api_list.status_code == 200 and api_list.json() == [], label
        assert client.get(f"/api/incidents/{case.pk}", **h).status_code == 404, label
        client.logout()
    assert AuditEntry.objects.filter(action=Action.INCIDENT_READ).count() == reads


def test_the_office_viewer_sees_counts_only(client: Client, outsiders: dict[str, Any]) -> None:
    new_case()
    client.force_login(outsiders["office_viewer"])
    dash = client.get("/incidents/office/SPM-52-51/")
    assert dash.status_code == 200 and "ภัยที่เกิดจากการใช้ความรุนแรง" in dash.content.decode()
    assert client.get("/incidents/").status_code == 403


def test_handlers_read_them_and_each_read_is_audited(client: Client) -> None:
    s = staff()
    case = new_case()
    for user in (s["school_op"], s["office_action"]):
        client.force_login(user)
        page = client.get(f"/incidents/{case.pk}/").content.decode()
        assert REPORTER_NAME in page and CONTACT in page and INVOLVED in page
        entry = AuditEntry.objects.filter(action=Action.INCIDENT_READ, user=user).get()
        assert entry.object_id == case.pk and REPORTER_NAME not in entry.target
        _, key = ApiToken.issue(user, "t")
        got = client.get(f"/api/incidents/{case.pk}",
                         HTTP_AUTHORIZATION=f"Bearer {key}").json()
        assert got["reporter_contact"] == CONTACT
        assert AuditEntry.objects.filter(action=Action.INCIDENT_READ, user=user).count() == 2
        client.logout()


def test_the_school_loses_sight_of_nothing_it_reported_but_cannot_act_once_passed_up(
        client: Client) -> None:
    from tidtam.incidents import workflow

    s = staff()
    case = workflow.apply(s["school_op"], new_case(), "receive")
    workflow.apply(s["school_op"], case, "escalate", note="ส่งต่อ")
    client.force_login(s["school_op"])
    page = client.get(f"/incidents/{case.pk}/").content.decode()
    assert 'name="action" value="receive"' not in page
    client.force_login(s["office_op"])
    assert 'name="action" value="receive"' in client.get(f"/incidents/{case.pk}/").content.decode()
