"""Walking a child to school: each step stored and audited; out of order, nothing changes;
QP2's counts of the office follow, with the cases as their source."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.children.lists import child
from tests.conftest import make_user
from tidtam.audit.models import Action, AuditEntry
from tidtam.children.indicators import recompute_all
from tidtam.children.models import Case, State, Step
from tidtam.children.nationalid import keyed_hash
from tidtam.children.steps import NotHandler, StepInput, StepRefused, take_step
from tidtam.measures.models import Observation, Period, SourceKind

pytestmark = pytest.mark.django_db


def _case(n: int = 5) -> Case:
    return Case.objects.get(id_hash=keyed_hash(child(n)[0]))


def walk(user: Any, case: Case, kinds: list[str], start: dt.date, **extra: str) -> None:
    for i, kind in enumerate(kinds):
        case.refresh_from_db()
        take_step(user, case, StepInput(kind=kind, on=start + dt.timedelta(days=7 * i),
                                        version=case.version, latitude="18.2888",
                                        longitude="99.4928", help_kind="scholarship",
                                        agency="skr", **extra))


def _obs(measure: str, ptype: str) -> Observation | None:
    return Observation.objects.filter(org__code="SPM-52-51", measure__code=measure,
                                      measure__fiscal_year=2566,
                                      period=Period.of(2566, ptype)).first()


def test_walking_one_child_to_returned_raises_qp2_returned_by_one(
        imported: dict[str, Any], handler: Any) -> None:
    before = _obs("dropouts_returned", "12m")
    assert before is not None and before.text == "0"  # the import wrote the office's zeros
    case = _case()
    walk(handler, case, ["verify", "find", "help", "return"], dt.date(2023, 1, 10))
    case.refresh_from_db()
    assert case.state == State.RETURNED and case.latitude is not None
    assert list(case.steps.values_list("kind", flat=True)) == ["verify", "find", "help", "return"]
    assert AuditEntry.objects.filter(action=Action.CHILD_STEP, object_id=case.pk).count() == 4
    for ptype in ("12m", "6m"):  # returned on 31 Jan 2023: in both rounds of FY2566
        returned = _obs("dropouts_returned", ptype)
        assert returned is not None and returned.text == "1", ptype
        assert returned.source_kind == SourceKind.REGISTER
        assert returned.source["register"] == "children"
        assert returned.source["cases"] == [case.pk]
        assert "/children/?org=SPM-52-51&year=2566" in returned.source["url"]
        found = _obs("dropouts_found", ptype)
        assert found is not None and found.text == "1"
    # counts only: nothing personal in the observation or its revisions
    obs = _obs("dropouts_returned", "12m")
    assert obs is not None
    stored = str(obs.source) + obs.text + str(list(obs.revisions.values_list("source", "text")))
    assert child(5)[0] not in stored and child(5)[1] not in stored
    assert recompute_all() == 0  # the command finds nothing to change
    # The office's QP2 form shows the count read-only, from the register, with its cases.
    from django.test import Client

    from tidtam.frameworks.models import Framework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting.models import Submission

    sub, _ = Submission.objects.get_or_create(
        org=OrgUnit.objects.get(code="SPM-52-51"), round="12m",
        framework=Framework.objects.get(code="qp", fiscal_year=2566))
    reporter = make_user("rep-kids", "reporter", "SPM-52-51")
    client = Client()
    client.force_login(reporter)
    page = client.get(f"/submissions/{sub.pk}/i/2/").content.decode()
    assert "จากทะเบียนพาน้องกลับมาเรียน · 1 ราย" in page


def test_the_6m_round_counts_by_the_steps_date(imported: dict[str, Any], handler: Any) -> None:
    walk(handler, _case(), ["verify", "find", "help", "refer"], dt.date(2023, 3, 20))
    # found 27 March (6m), referred 10 April: after the 6-month round
    assert _obs("dropouts_found", "6m").text == "1"  # type: ignore[union-attr]
    assert _obs("dropouts_referred", "6m").text == "0"  # type: ignore[union-attr]
    assert _obs("dropouts_referred", "12m").text == "1"  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["return", "help", "find", "refer"])
def test_a_step_out_of_order_is_refused_and_changes_nothing(
        imported: dict[str, Any], handler: Any, kind: str) -> None:
    case = _case()
    steps, audits = Step.objects.count(), AuditEntry.objects.count()
    with pytest.raises(StepRefused) as exc:
        take_step(handler, case, StepInput(kind=kind, on=dt.date(2023, 1, 10),
                                           version=case.version, latitude="18.1",
                                           longitude="99.1", help_kind="scholarship",
                                           agency="skr"))
    assert "ไม่ได้: เด็กรายนี้อยู่ในสถานะ 'รอตรวจสอบรายชื่อ'" in exc.value.message
    case.refresh_from_db()
    assert case.state == State.LISTED and case.version == 1
    assert (Step.objects.count(), AuditEntry.objects.count()) == (steps, audits)


def test_bad_details_and_stale_forms_are_refused(imported: dict[str, Any], handler: Any) -> None:
    case = _case()
    walk(handler, case, ["verify"], dt.date(2023, 1, 10))
    case.refresh_from_db()
    cases = [
        (StepInput(kind="find", on=dt.date(2023, 1, 11), version=case.version), "ปักหมุดบ้าน"),
        (StepInput(kind="find", on=dt.date(2023, 1, 11), version=case.version,
                   latitude="91", longitude="99"), "ละติจูด ต้องอยู่ระหว่าง -90 ถึง 90"),
        (StepInput(kind="find", on=dt.date(2023, 1, 1), version=case.version,
                   latitude="18", longitude="99"), "ต้องไม่ก่อนขั้นตอนล่าสุด"),
        (StepInput(kind="find", on=dt.date(2023, 1, 11), version=case.version - 1,
                   latitude="18", longitude="99"), "มีผู้บันทึกข้อมูลเด็กรายนี้ไปก่อนแล้ว"),
    ]
    for data, message in cases:
        with pytest.raises(StepRefused) as exc:
            take_step(handler, case, data)
        assert message in exc.value.message
    case.refresh_from_db()
    assert case.state == State.VERIFIED and case.steps.count() == 1


def test_only_a_handler_of_the_case_takes_its_steps(imported: dict[str, Any]) -> None:
    case = _case()
    for user in (make_user("kru-b", "child_handler", "SPP-52-1"),
                 make_user("rep-x", "reporter", "SPM-52-51")):
        with pytest.raises(NotHandler):
            take_step(user, case, StepInput(kind="verify", version=case.version))
    case.refresh_from_db()
    assert case.state == State.LISTED
