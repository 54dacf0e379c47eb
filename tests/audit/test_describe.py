"""The audit pages in Thai words: field names, states, rounds, headings — never a repr or a code.

Changes are made through the real functions (figures, texts, problems,
best practices, files, warnings, the workflow, ratings, quarterly progress,
the inspection compiler), plus entries as the old log wrote them; then the
three audit pages and the API's audit JSON are rendered and their text
scanned for Python dicts, lists, None/True/False, round codes, rule codes,
state codes and "report#" targets.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import make_user
from tests.inspection.helpers import answer_everything, contributors
from tests.reporting.test_workflow import fill_quality_schools
from tidtam.audit.models import Action, AuditEntry
from tidtam.frameworks.models import DataElement, FrameworkNode
from tidtam.reporting import editing, files, workflow
from tidtam.validation.models import ValidationRule

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# What must never reach a reader (matched in the table's text, tags stripped).
REPRS = [
    r"\{'", r"'\s*:", r"\[\{", r"\[\[", r"\[\]", r"\{\}", r"\bNone\b", r"\bTrue\b", r"\bFalse\b",
    r"\b(?:6m|12m)\b", r"report#", r"line#", r"#\d",
    r"\b(?:draft|submitted|returned|resubmitted|rated|approved|sent|accepted|not_applicable|"
    r"in_progress|monitored|unscored|progress|factors|problems|best_practice|suggestions)\b",
    r"\b(?:level|status|actual|target|solution|unit_name|model_name|steps|money_spent|"
    r"activities_done|indicator_actuals|order|added|section|kind)\b",
]


def _table_text(page: str) -> str:
    m = re.search(r'<table class="list audit-log">(.*?)</table>', page, re.S)
    assert m, "no audit table"
    inline = re.sub(r"</?(?:strong|span)[^>]*>", "", m.group(1))
    return html.unescape(re.sub(r"<[^>]+>", " ", inline))


def _scan(text: str, where: str) -> None:
    codes = set(ValidationRule.objects.values_list("code", flat=True))
    found = [p for p in REPRS if re.search(p, text)]
    found += sorted(c for c in codes if c in text)
    assert not found, f"{where}: {found}\n{text}"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_submission_log_in_thai_words(submission: Any, reporter: Any, evaluator: Any,
                                          approver: Any) -> None:
    qp = submission.framework
    node = FrameworkNode.objects.get(framework=qp, code="2")
    report = editing.report_for(submission, node)
    el = DataElement.objects.filter(node=node, measure__value_type="integer").first()
    assert el is not None
    editing.save_value(reporter, report, el, "12", 0)
    editing.save_value(reporter, report, el, "๑๕", 1)
    editing.save_narrative(reporter, report, "drive", "ประชุมชี้แจง", 0)
    row = editing.add_problem(reporter, report)
    row = editing.save_problem(reporter, report, row, "ขาดงบประมาณ", "ขอสนับสนุน",
                               row.version)
    editing.delete_problem(reporter, report, row, row.version)
    bp = editing.add_best_practice(reporter, report)
    bp = editing.save_best_practice(reporter, report, bp, "โรงเรียนบุญวาทย์วิทยาลัย",
                                    "รูปแบบ A", "ขั้นที่ 1", bp.version)
    editing.delete_best_practice(reporter, report, bp)
    att = files.attach(reporter, report, SimpleUploadedFile("ภาพ.png", PNG), "evidence")
    files.detach(reporter, att)
    rule = ValidationRule.objects.filter(framework=qp, severity="warning").first()
    assert rule is not None
    workflow.answer_warning(reporter, submission, rule.code, "มีเหตุผล")
    fill_quality_schools(submission, reporter)
    sub = workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    workflow.set_rating(evaluator, sub, node, "6m", 4)
    workflow.set_rating(evaluator, sub, node, "12m", 2)
    workflow.set_rating(evaluator, sub, node, "12m", None, "in_progress")
    # an entry as the old log wrote it (moved by the migration, codes in its target)
    AuditEntry.objects.create(org=sub.org, submission=sub, action=Action.RATING,
                              target=f"{node.heading} · 6m",
                              before={"level": 4, "status": "rated", "actual": None},
                              after={"level": 5, "status": "rated", "actual": None})
    AuditEntry.objects.create(org=sub.org, submission=sub, action=Action.ANSWER,
                              target=f"คำเตือน {rule.code}", after="เหตุผลเดิม")

    page = _client(evaluator).get(f"/submissions/{sub.pk}/audit/").content.decode()
    text = _table_text(page)
    _scan(text, "the submission's audit page")
    for words in ("ระดับคุณภาพ: 5 → 2", "ระดับคุณภาพ: 2 → -", "สถานะ: ประเมินแล้ว → อยู่ระหว่างดำเนินการ",
                  f"{node.heading} · รอบ 12 เดือน", f"{node.heading} · รอบ 6 เดือน",
                  f"คำเตือน: {rule.name_th}", "ข้อความ: - → ขาดงบประมาณ",
                  "สถานะ: ฉบับร่าง → ส่งแล้ว รอการประเมิน", "ภาพ.png", "12 → ๑๕"):
        assert words in " ".join(text.split()), words

    audit = _client(evaluator).get(f"/api/submissions/{sub.pk}/audit").json()
    rating = next(e for e in audit if e["action"] == "rating" and e["after"]["level"] == 2)
    assert rating["before"]["level"] == 5  # raw values kept for programs
    assert rating["description"] == "ระดับคุณภาพ: 5 → 2"
    assert rating["changes"] == [{"label": "ระดับคุณภาพ", "before": "5", "after": "2"}]
    assert rating["subject"] == f"{node.heading} · รอบ 12 เดือน"
    _scan(" ".join(f"{e['action_label']} {e['subject']} {e['description']}" for e in audit),
          "the API's descriptions")


def test_the_plan_log_in_thai_words(reporter: Any) -> None:
    from tidtam.plans.loader import FIXTURES, load_plan_file
    from tidtam.plans.models import ProgressState
    from tidtam.plans.progress import save_progress, transition

    plan = load_plan_file(FIXTURES / "spm-65-53-fy2565.yaml").plan
    owner = make_user("owner", "reporter", plan.office.code)
    boss = make_user("boss", "approver", plan.office.code)
    project = plan.projects.get(number=4)
    indicator = project.indicators.first()
    assert indicator is not None
    progress = save_progress(owner, project, 2, {"money_spent": "2,500",
                                                 "activities_done": "อบรมครู",
                                                 f"indicator_{indicator.pk}": "80"}, 0)
    progress = transition(owner, progress, "submit")
    transition(boss, progress, "return", "เพิ่มหลักฐาน")
    assert progress.state != ProgressState.ACCEPTED
    page = _client(owner).get(f"/plans/project/{project.pk}/audit/").content.decode()
    text = " ".join(_table_text(page).split())
    _scan(text, "the project's audit page")
    assert "สถานะ: ส่งแล้ว → ส่งกลับแก้ไข" in text
    assert f"ผลตัวชี้วัด: - → {indicator.name}: 80" in text
    assert "เงินที่ใช้ในไตรมาส (บาท): - → 2500.00" in text


def test_the_inspection_log_in_thai_words() -> None:
    from tidtam.frameworks.loader import load_all
    from tidtam.inspection import compile as comp
    from tidtam.inspection.models import InspectionFramework, InspectionReport

    load_all()
    framework = InspectionFramework.objects.get(code="rt", fiscal_year=2566)

    users = contributors()
    answer_everything(framework, users)
    compiler = users["PEO75"]
    c = _client(compiler)
    c.post("/inspection/report/PEO75/do/gather/")
    report = InspectionReport.objects.get(org__code="PEO75")
    first, second = report.placements.filter(
        entry__issue__code="2.1", entry__section="factors").order_by("order")
    comp.mark_duplicate(compiler, second, first)
    comp.move(compiler, second, -1)
    comp.edit_text(compiler, first, "ข้อความที่เรียบเรียงแล้ว", first.version)
    comp.send(compiler, report)
    page = c.get("/inspection/report/PEO75/audit/").content.decode()
    text = " ".join(_table_text(page).split())
    _scan(text, "the inspection report's audit page")
    assert "สถานะ: กำลังรวบรวม → ส่งแล้ว" in text
    assert "ซ้ำกับย่อหน้า: - → ย่อหน้าของ" in text
    assert "ข้อความที่เรียบเรียงแล้ว" in text and "ประเด็น 2.1 · ปัจจัยขับเคลื่อน" in text
