"""A child's name and ID reach the case's handlers only — through pages, API, exports
and search alike — and every read of them is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.children.lists import child
from tests.conftest import make_user
from tidtam.accounts.models import ApiToken
from tidtam.audit.models import Action, AuditEntry
from tidtam.children.models import Case
from tidtam.children.nationalid import formatted, keyed_hash, mask

pytestmark = pytest.mark.django_db


def _urls(case: Case, name: str) -> list[str]:
    return ["/children/", f"/children/?q={name}", f"/children/?q={case.id_tail}",
            f"/children/{case.pk}/", "/children/overdue/", "/children/export.csv",
            "/children/export.csv?org=SPM-52-51", "/children/coordination/SPM-52-51/",
            "/children/coordination/P52/", "/children/dashboard/SPM-52-51/",
            "/children/?org=SPM-52-51&year=2566&measure=dropouts_found",
            "/api/children/cases", f"/api/children/cases/{case.pk}",
            "/api/children/cases?org=SPM-52-51", f"/search/?q={name}"]


def _secrets() -> list[str]:
    out = []
    for n in range(29):
        row = child(n)
        out += [row[0], formatted(row[0]), row[1], row[7]]
    return out


@pytest.mark.parametrize("who", ["other_office_handler", "reporter_of_the_office",
                                 "viewer_of_the_region"])
def test_no_name_or_id_without_the_handling_role(
        client: Client, imported: dict[str, Any], who: str) -> None:
    user = {"other_office_handler": lambda: make_user("kru-b", "child_handler", "SPP-52-1"),
            "reporter_of_the_office": lambda: make_user("rep-x", "reporter", "SPM-52-51"),
            "viewer_of_the_region": lambda: make_user("reo", "viewer", "REO15")}[who]()
    client.force_login(user)
    case = Case.objects.get(id_hash=keyed_hash(child(5)[0]))
    secrets = _secrets()
    reads = AuditEntry.objects.filter(action=Action.CHILD_READ).count()
    for url in _urls(case, child(5)[1]):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        body = response.content.decode()
        # (what the user typed is echoed back in the search box: that is not a leak)
        leaks = [s for s in secrets if s in body and s not in url]
        assert not leaks, f"{who} reads {leaks[:2]} at {url}"
    for q in (child(5)[1], case.id_tail, child(5)[0]):  # the search is posted
        body = client.post("/children/", {"q": q}).content.decode()
        leaks = [s for s in secrets if s in body and s != q]
        assert not leaks, f"{who} finds {leaks[:2]} searching {q}"
    # a reporter of the office sees the list masked, with the states
    if who == "reporter_of_the_office":
        body = client.get("/children/?org=SPM-52-51").content.decode()
        assert mask(child(5)[0]) in body and "รอตรวจสอบรายชื่อ" in body
        assert client.get(f"/children/{case.pk}/").status_code == 404
        api = client.get(f"/api/children/cases/{case.pk}").json()
        assert api["national_id"] == mask(child(5)[0]) and api["first_name"] is None
    assert AuditEntry.objects.filter(action=Action.CHILD_READ).count() == reads
    # nor through a bearer token
    _, key = ApiToken.issue(user, "school system")
    body = client.get("/api/children/cases", HTTP_AUTHORIZATION=f"Bearer {key}").content.decode()
    assert not [s for s in secrets if s in body]


def test_the_handler_reads_them_and_every_read_is_audited(
        client: Client, imported: dict[str, Any], handler: Any) -> None:
    client.force_login(handler)
    case = Case.objects.get(id_hash=keyed_hash(child(5)[0]))
    body = client.get(f"/children/{case.pk}/").content.decode()
    assert child(5)[1] in body and formatted(child(5)[0]) in body
    entry = AuditEntry.objects.filter(action=Action.CHILD_READ, user=handler).latest("pk")
    assert entry.object_id == case.pk and child(5)[0] not in str(entry.after) + entry.target
    found = client.post("/children/", {"q": child(5)[1]}).content.decode()
    assert f"/children/{case.pk}/" in found
    by_tail = client.post("/children/", {"q": child(5)[0][-4:]}).content.decode()
    assert f"/children/{case.pk}/" in by_tail
    by_id = client.post("/children/", {"q": formatted(child(5)[0])}).content.decode()
    assert f"/children/{case.pk}/" in by_id
    # a name or an ID never goes into an address: the search form posts it
    page = client.get("/children/").content.decode()
    form = page[page.index('class="child-search"') - 40:]
    assert 'method="post"' in form[:200]
    assert client.get("/children/", {"q": child(5)[1]}).content.decode().count(
        f"/children/{case.pk}/") <= page.count(f"/children/{case.pk}/")
    export = client.get("/children/export.csv?org=SPM-52-51").content.decode("utf-8-sig")
    assert formatted(child(5)[0]) in export and child(5)[1] in export
    assert AuditEntry.objects.filter(action=Action.CHILD_EXPORT, user=handler).exists()
    api = client.get(f"/api/children/cases/{case.pk}").json()
    assert api["first_name"] == child(5)[1] and api["national_id"] == formatted(child(5)[0])
    assert AuditEntry.objects.filter(action=Action.CHILD_READ, user=handler).count() >= 4


def test_children_are_not_in_the_search_index(imported: dict[str, Any]) -> None:
    from tidtam.search.index import reindex
    from tidtam.search.models import SearchDocument

    reindex()
    text = " ".join(t + x for t, x in SearchDocument.objects.values_list("title", "text"))
    assert not [s for s in _secrets() if s in text]
