"""A figure a register computes is read from the register: shown read-only, never typed over."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tidtam.frameworks.models import DataElement
from tidtam.measures import store
from tidtam.measures.models import Observation, Period, SourceKind
from tidtam.reporting import editing
from tidtam.reporting.errors import InvalidInput
from tidtam.reporting.figures import figures
from tidtam.reporting.models import Submission

pytestmark = pytest.mark.django_db


def _from_register(sub: Submission, code: str, text: str, cases: list[int]) -> Observation:
    el = DataElement.objects.get(node__framework=sub.framework, node__code="2", code=code)
    period = Period.of(sub.framework.fiscal_year, el.period or sub.round)
    return store.write(None, sub.org, el.measure, period, text, 0,
                       source_kind=SourceKind.REGISTER,
                       source={"register": "children", "name_th": "ทะเบียนเด็กนอกระบบการศึกษา",
                               "cases": cases, "url": f"/children/?org={sub.org.code}"}
                       ).observation


def test_a_register_figure_is_shown_with_its_cases_and_cannot_be_typed_over(
    submission: Submission, reporter: Any
) -> None:
    obs = _from_register(submission, "dropouts_returned", "3", [11, 12, 13])
    el = DataElement.objects.get(node__framework=submission.framework, node__code="2",
                                 code="dropouts_returned")
    shown = figures(submission, [el.node])[el.pk]
    assert shown.register is not None and shown.register["case_count"] == 3
    with pytest.raises(InvalidInput) as exc:
        editing.save_value(reporter, editing.report_for(submission, el.node), el, "5",
                           shown.version)
    assert "ทะเบียนเด็กนอกระบบการศึกษา" in str(exc.value)
    obs.refresh_from_db()
    assert obs.text == "3" and obs.version == 1  # nothing written

    client = Client()
    client.force_login(reporter)
    page = client.get(f"/submissions/{submission.pk}/i/2/").content.decode()
    assert "จากทะเบียนเด็กนอกระบบการศึกษา · 3 ราย" in page
    field = page[page.index(f'id="el-{el.pk}"'):]
    assert "readonly" in field[:field.index(">")]

    api = client.get(f"/api/submissions/{submission.pk}").json()
    (two,) = [r for r in api["reports"] if r["node"] == "2"]
    assert two["values"]["dropouts_returned"]["register"]["cases"] == [11, 12, 13]
    assert two["values"]["dropouts_returned"]["source_kind"] == "register"


def test_the_register_itself_may_update_its_figure(submission: Submission) -> None:
    obs = _from_register(submission, "dropouts_found", "3", [1, 2, 3])
    written = store.write(None, submission.org, obs.measure, obs.period, "4", obs.version,
                          source_kind=SourceKind.REGISTER,
                          source={"register": "children", "cases": [1, 2, 3, 4]})
    assert written.changed and written.observation.text == "4"
