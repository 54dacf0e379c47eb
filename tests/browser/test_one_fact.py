"""Each fact is asked once, as the planning officer of สพม.ลำปาง ลำพูน meets it.

She types the office's learner count in indicator 1 of the Quick Policy and
finds it already in indicators 3 and 8; she types the dropouts found,
returned and referred in indicator 2, and the action plan's indicator
"children brought back" prints 92.86 % from those same observations — the
API of the submission and the plan report's JSON name the same rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _element_id(node: str, code: str) -> int:
    from tidtam.frameworks.models import DataElement

    return DataElement.objects.get(node__framework__code="qp", node__framework__fiscal_year=2566,
                                   node__code=node, code=code).pk


def _type(page: Any, node: str, code: str, text: str) -> None:
    field = page.locator(f"#el-{_element_id(node, code)}")
    field.fill(text)
    field.press("Tab")  # leaving the field saves it, as it does for a person
    field.locator("xpath=ancestor::form[1]").locator(".status .save-ok").wait_for()
    page.wait_for_load_state("networkidle")


def _open_indicator(page: Any, overview: str, node: str) -> None:
    page.goto(overview)
    page.get_by_role("link", name=re.compile(f"ตัวชี้วัดที่ {node} ")).click()
    page.wait_for_load_state("networkidle")


def test_a_figure_typed_once_is_in_every_indicator_and_the_plan(
        login: Callable[..., Any]) -> None:
    from tidtam.demo.loader import DEMO_PASSWORD
    from tidtam.plans.models import Plan

    page = login("spm5251", DEMO_PASSWORD)
    base = page.base_url
    page.goto(f"{base}/tasks/?year=2566")
    row = page.locator("tr", has_text="Quick Policy").filter(has_text="รอบ 12 เดือน")
    button = row.get_by_role("button", name="เริ่มกรอกข้อมูล")
    if button.count():
        button.click()
    else:
        row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/submissions/\d+/$"))
    overview = page.url
    sub_pk = int(re.search(r"/submissions/(\d+)/$", overview).group(1))  # type: ignore[union-attr]

    _open_indicator(page, overview, "1")
    _type(page, "1", "learners_total", "12,345")
    for node in ("3", "8"):
        _open_indicator(page, overview, node)
        field = page.locator(f"#el-{_element_id(node, 'learners_total')}")
        assert field.input_value().replace(",", "") == "12345", node

    _open_indicator(page, overview, "2")
    _type(page, "2", "dropouts_found", "28")
    _type(page, "2", "dropouts_returned", "20")
    _type(page, "2", "dropouts_referred", "6")

    api = json.loads(page.request.get(f"{base}/api/submissions/{sub_pk}").text())
    nodes = {r["node"]: r["values"] for r in api["reports"]}
    learners = {nodes[n]["learners_total"]["observation"] for n in ("1", "3", "8")}
    assert len(learners) == 1 and None not in learners  # one row, shown three times
    found, returned, referred = (nodes["2"][c]["observation"] for c in
                                 ("dropouts_found", "dropouts_returned", "dropouts_referred"))

    plan = Plan.objects.get(office__code="SPM-52-51", fiscal_year=2566)
    report = json.loads(page.request.get(f"{base}/plans/{plan.pk}/report/?format=json").text())
    (figure,) = [f for f in report["figures"] if f["template"] == "dropouts_back"]
    assert figure["count"] == {"value": 26, "observations": [returned, referred]}
    assert figure["denominator"]["observations"] == [found]
    page.goto(f"{base}/plans/{plan.pk}/report/")
    assert "ร้อยละ 92.86" in page.content()
