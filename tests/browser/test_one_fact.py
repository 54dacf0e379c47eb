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


def test_qp2_figures_and_words_are_the_inspection_contribution_for_31(
        login: Callable[..., Any]) -> None:
    """The dropouts and the paragraph typed in QP2 are สพม.ลำปาง ลำพูน's answer to 3.1.

    The province (ศธจ.ลำปาง) prints them with the same observation and block ids;
    the office edits the paragraph from its inspection contribution and QP2 shows
    the edit; once the province sends, the sent report keeps the text it sent.
    """
    from tests.conftest import make_user
    from tests.inspection.helpers import answer_everything
    from tidtam.demo.loader import DEMO_PASSWORD
    from tidtam.inspection.compile import gather, report_for, send
    from tidtam.inspection.models import InspectionFramework
    from tidtam.orgs.models import OrgUnit

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
    _open_indicator(page, overview, "2")
    _type(page, "2", "dropouts_found", "28")
    _type(page, "2", "dropouts_returned", "22")
    _type(page, "2", "dropouts_referred", "6")
    drive = page.locator("textarea[id^='n-drive']").first
    drive.fill("ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต")
    drive.press("Tab")
    drive.locator("xpath=ancestor::form[1]").locator(".status .save-ok").wait_for()
    page.wait_for_load_state("networkidle")
    qp2_url = page.url
    api = json.loads(page.request.get(f"{base}/api/submissions/{sub_pk}").text())
    values = next(r["values"] for r in api["reports"] if r["node"] == "2")
    observations = {c: values[c]["observation"] for c in
                    ("dropouts_found", "dropouts_returned", "dropouts_referred")}

    # The office's inspection contribution for 3.1 shows the figures and the paragraph.
    page.goto(f"{base}/inspection/unit/SPM-52-51/issue/3.1/")
    figures = page.locator("#figures")
    for code, obs in observations.items():
        field = figures.locator(f"input[data-measure={code}]")
        assert field.get_attribute("data-observation") == str(obs)
    assert figures.locator("input[data-measure=dropouts_found]").input_value() == "28"
    block = page.locator("#blocks-progress textarea").first
    assert block.input_value() == "ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต"
    block_id = int(block.get_attribute("data-block") or 0)

    # The province's report for 3.1 prints them, with the same ids in its JSON.
    compiler = make_user("peo52-compiler", "reporter", "PEO52")
    province = login("peo52-compiler", "a-long-test-password")
    doc = json.loads(province.request.get(f"{base}/inspection/report/PEO52/file.json").text())
    (issue,) = [i for p in doc["policies"] for i in p["issues"] if i["code"] == "3.1"]
    printed = {f["measure"]: f["observation"] for s in issue["sections"]
               for q in s.get("questions", []) for f in q["figures"] if f["unit"] == "SPM-52-51"}
    assert printed == observations
    said = [b for s in issue["sections"] for b in s["blocks"] if b["unit"] == "SPM-52-51"]
    assert [(b["block"], b["text"]) for b in said] == [
        (block_id, "ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต")]
    province.goto(f"{base}/inspection/report/PEO52/view/")
    assert "เด็กออกกลางคันที่ค้นพบ 28 คน" in province.content()

    # Edited from the inspection contribution, the paragraph changes in QP2.
    block.fill("ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต ประชุมทุกเดือน")
    page.locator(f"#block-{block_id}").get_by_role("button", name="บันทึกข้อความ").click()
    page.wait_for_load_state("networkidle")
    page.goto(qp2_url)
    assert page.locator("textarea[id^='n-drive']").first.input_value() == (
        "ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต ประชุมทุกเดือน")

    # The province sends (every other answer given); the office edits on.
    fw = InspectionFramework.objects.get(code="rt", fiscal_year=2566)
    reporter = make_user("spm5251-entries", "reporter", "SPM-52-51")
    answer_everything(fw, {"SPM-52-51": reporter}, province_code="P52")
    report = report_for(fw, OrgUnit.objects.get(code="PEO52"))
    gather(compiler, report)
    send(compiler, report)
    page.goto(f"{base}/inspection/unit/SPM-52-51/issue/3.1/")
    page.locator("#blocks-progress textarea").first.fill("ข้อความที่แก้หลังส่ง")
    page.locator(f"#block-{block_id}").get_by_role("button", name="บันทึกข้อความ").click()
    page.wait_for_load_state("networkidle")
    doc = json.loads(province.request.get(f"{base}/inspection/report/PEO52/file.json").text())
    (issue,) = [i for p in doc["policies"] for i in p["issues"] if i["code"] == "3.1"]
    said = [b for s in issue["sections"] for b in s["blocks"] if b["unit"] == "SPM-52-51"]
    # (answer_everything added the office's other blocks; this one prints as it was sent)
    assert [b["text"] for b in said if b["block"] == block_id] == [
        "ตั้งศูนย์ติดตามเด็กออกกลางคันระดับเขต ประชุมทุกเดือน"]
    page.goto(qp2_url)
    assert page.locator("textarea[id^='n-drive']").first.input_value() == "ข้อความที่แก้หลังส่ง"
