"""Figures an inspection question asks are observations: typed once, shown everywhere.

Issue 3.1's question 3 binds the dropouts found, returned and referred — the
measures QP2 binds. What an office typed in QP2's 12-month round is what its
inspection contribution (round 2, the same period) shows, editable there; the
province's report prints it with the observation's id, and once sent keeps the
value it was sent with while the office edits on.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.conftest import make_user
from tests.inspection.helpers import answer_everything, contributors
from tidtam.audit.models import Action, AuditEntry
from tidtam.inspection import figures as figs
from tidtam.inspection.compile import gather, report_for, send
from tidtam.measures import store
from tidtam.measures.models import Measure, Observation, Period
from tidtam.orgs.models import OrgUnit

OFFICE = "SPM-74-75"


def _asked(framework: Any) -> list[Any]:
    return figs.bindings(framework, framework.issues().get(code="3.1").questions)


def _typed_in_qp2(user: Any, office: OrgUnit, code: str, text: str) -> Observation:
    measure = Measure.objects.get(fiscal_year=2566, code=code)
    obs = store.find(office, measure, Period.of(2566, "12m"))
    return store.write(user, office, measure, Period.of(2566, "12m"), text,
                       obs.version if obs else 0).observation


def _figures_in(doc: dict[str, Any], issue: str) -> list[dict[str, Any]]:
    found = [i for p in doc["policies"] for i in p["issues"] if i["code"] == issue]
    progress = found[0]["sections"][0]
    return [f for q in progress["questions"] for f in q["figures"]]


def test_question_binds_the_measures_qp2_binds(framework: Any) -> None:
    asked = _asked(framework)
    assert [e.measure.code for e in asked] == [
        "dropouts_found", "dropouts_returned", "dropouts_referred"]
    assert {e.node.code for e in asked} == {"3.1/3"}
    # Round 2 of inspection is the 12-month round and the fiscal year: one period.
    assert figs.round_period(framework, 2) == Period.of(2566, "12m")


def test_contribution_reads_and_writes_the_one_observation(framework: Any) -> None:
    users = contributors()
    office = OrgUnit.objects.get(code=OFFICE)
    found = _typed_in_qp2(users[OFFICE], office, "dropouts_found", "28")
    c = Client()
    c.force_login(users[OFFICE])
    page = c.get(f"/inspection/unit/{OFFICE}/issue/3.1/").content.decode()
    assert f'data-observation="{found.pk}"' in page and 'value="28"' in page
    asked = {e.measure.code: e for e in _asked(framework)}
    e = asked["dropouts_found"]
    r = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "figures", f"figure-{e.pk}": "30", f"version-{e.pk}": str(found.version),
        f"figure-{asked['dropouts_returned'].pk}": "22",
        f"version-{asked['dropouts_returned'].pk}": "0"})
    assert r.status_code == 302
    found.refresh_from_db()
    assert found.text == "30" and found.version == 2  # the same row QP2 reads
    assert Observation.objects.filter(org=office, measure__code="dropouts_returned",
                                      period=Period.of(2566, "12m")).get().text == "22"
    assert AuditEntry.objects.about(found).filter(action=Action.OBSERVATION).count() == 1
    # A stale form is refused with the stored value, and a bad value changes nothing.
    stale = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "figures", f"figure-{e.pk}": "31", f"version-{e.pk}": "1"})
    assert stale.status_code == 400 and "ค่าล่าสุด: 30" in stale.content.decode()
    bad = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/", {
        "action": "figures", f"figure-{e.pk}": "สามสิบ", f"version-{e.pk}": "2"})
    assert bad.status_code == 400 and "เด็กออกกลางคันที่ค้นพบ" in bad.content.decode()
    found.refresh_from_db()
    assert found.text == "30"


def test_report_prints_the_observation_and_keeps_what_it_sent(framework: Any) -> None:
    users = contributors()
    office = OrgUnit.objects.get(code=OFFICE)
    found = _typed_in_qp2(users[OFFICE], office, "dropouts_found", "28")
    answer_everything(framework, users)
    report = report_for(framework, OrgUnit.objects.get(code="PEO75"))
    c = Client()
    c.force_login(users["PEO75"])
    doc = json.loads(c.get("/inspection/report/PEO75/file.json").content)
    printed = [f for f in _figures_in(doc, "3.1") if f["unit"] == OFFICE]
    assert printed == [{"measure": "dropouts_found", "label": "เด็กออกกลางคันที่ค้นพบ",
                        "unit": OFFICE, "unit_name": office.name_th,
                        "period": Period.of(2566, "12m").code, "value": "28",
                        "display": "28 คน", "observation": found.pk}]
    assert "เด็กออกกลางคันที่ค้นพบ 28 คน" in c.get("/inspection/report/PEO75/view/").content.decode()
    gather(users["PEO75"], report)
    send(users["PEO75"], report)
    _typed_in_qp2(users[OFFICE], office, "dropouts_found", "35")  # the office edits on
    doc = json.loads(c.get("/inspection/report/PEO75/file.json").content)
    sent = [f for f in _figures_in(doc, "3.1") if f["unit"] == OFFICE]
    assert [(f["value"], f["observation"]) for f in sent] == [("28", found.pk)]
    live = figs.figures(framework, [office], 2, _asked(framework)[:1])
    assert live[0].text == "35"
    # Another user cannot write the office's figures from its contribution page.
    other = make_user("u-other-figures", "reporter", "SPP-75")
    c.force_login(other)
    assert c.get(f"/inspection/unit/{OFFICE}/issue/3.1/").status_code == 404


def test_figures_typed_as_entries_move_into_the_store(framework: Any) -> None:
    from tidtam.inspection.models import Entry, EntryKind
    from tidtam.measures.models import Disagreement, SourceKind

    users = contributors()
    office, other = OrgUnit.objects.get(code=OFFICE), OrgUnit.objects.get(code="SPP-75")
    issue = framework.issues().get(code="3.1")
    q = issue.questions.get(number="3")
    province = OrgUnit.objects.get(code="P75")

    def typed(unit: OrgUnit, value: str) -> Entry:
        return Entry.objects.create(framework=framework, province=province, unit=unit,
                                    issue=issue, section="progress", question=q,
                                    kind=EntryKind.FIGURE, title="เด็กออกกลางคันที่ค้นพบ",
                                    value=value, value_unit="คน", author=users[OFFICE])

    first, second = typed(office, "28"), typed(other, "28")
    existing = _typed_in_qp2(users[OFFICE], other, "dropouts_found", "30")
    assert figs.move_entry_values() == 2
    obs = Observation.objects.get(org=office, measure__code="dropouts_found",
                                  period=Period.of(2566, "12m"))
    assert obs.text == "28" and obs.source_kind == SourceKind.MIGRATED
    assert obs.source["inspection_entry"] == first.pk
    # The other unit had typed 30 in QP2: 28 waits for review, 30 stays.
    d = Disagreement.objects.get(observation=existing)
    assert d.text == "28" and d.source["inspection_entry"] == second.pk
    existing.refresh_from_db()
    assert existing.text == "30"
    first.refresh_from_db()
    assert first.value is None and first.title == "เด็กออกกลางคันที่ค้นพบ"
    assert figs.move_entry_values() == 0
