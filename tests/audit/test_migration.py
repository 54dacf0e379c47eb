"""The move of the old audit log (reporting.AuditEntry) into tidtam.audit keeps every entry.

The database is taken back to before the audit app, filled with entries as
the old code wrote them (free-text targets), and migrated forward: the same
number of entries comes out, each with the same time, user, office,
submission, action, target, before, after and comment, and those whose
target names a row that exists are keyed to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tidtam.audit.models import AuditEntry
from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import DataElement, Framework, FrameworkNode
from tidtam.orgs.models import OrgUnit
from tidtam.plans.models import Plan, QuarterProgress

# Transactional: migrations can't run inside the test's transaction on SQLite.
# Such tests empty the tables when they end, so the suite runs them last.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_AUDIT_APP = [("reporting", "0001_initial"), ("audit", None)]
RULE = "qp2.every_found_helped"  # a rule code as the old log printed it
FIELDS = ("at", "user_id", "org_id", "submission_id", "action", "target", "before", "after",
          "comment")


def _load() -> None:
    from tidtam.demo.loader import load_demo
    from tidtam.frameworks.loader import load_all
    from tidtam.validation.loader import load_all_rules

    load_all()
    load_all_rules()
    load_demo()


def _rows() -> dict[str, Any]:
    """Rows the old entries name, written directly (no audit: the old log is made by hand)."""
    from tidtam.analytics.models import SynthesisPick
    from tidtam.ingest.models import ImportedSheet
    from tidtam.inspection.models import Entry, InspectionFramework, InspectionReport, Placement
    from tidtam.reporting.models import Attachment, IndicatorReport, Submission, ValidationAnswer

    office = OrgUnit.objects.get(code="SPM-52-51")
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    node = FrameworkNode.objects.get(framework=qp, code="2")
    sub = Submission.objects.create(org=office, framework=qp, round="12m")
    report = IndicatorReport.objects.create(submission=sub, node=node)
    element = DataElement.objects.filter(node=node).first()
    assert element is not None
    progress_project = Plan.objects.get(office__code="SPM-65-53").projects.order_by("pk").first()
    assert progress_project is not None
    fw = InspectionFramework.objects.order_by("-fiscal_year").first()
    assert fw is not None
    issue = fw.issues().first()
    assert issue is not None
    peo = OrgUnit.objects.get(code="PEO52")
    entry = Entry.objects.create(framework=fw, province=OrgUnit.objects.get(code="P52"),
                                 unit=office, issue=issue, section="progress", text="ข้อความ")
    insp = InspectionReport.objects.create(framework=fw, org=peo, level="province")
    return {
        "office": office, "qp": qp, "node": node, "sub": sub, "report": report,
        "element": element,
        "rating": Rating.objects.get(org=office, node=node, round="12m"),
        "file": Attachment.objects.create(
            submission=sub, report=report, kind="evidence", file="x/evidence.pdf",
            original_name="หลักฐาน.pdf", content_type="application/pdf", size=10, sha256="0"),
        "answer": ValidationAnswer.objects.create(submission=sub, rule_code=RULE,
                                                  reason="เหตุผล"),
        "progress": QuarterProgress.objects.create(project=progress_project, quarter=2),
        "entry": entry, "insp": insp,
        "line": Placement.objects.create(report=insp, entry=entry, order=1, text="ข้อความ"),
        "draft": ImportedSheet.objects.create(org=office, fiscal_year=2566, source_name="004.txt",
                                              raw_text="-", repaired_text="-"),
        "pick": SynthesisPick.objects.create(node=node, section="drive", org=office,
                                             source_kind="narrative", source_id=1, text="เลือก"),
        "plan": Plan.objects.get(office__code="SPM-65-53"),
    }


def _old_entries(r: dict[str, Any], user: Any) -> list[tuple[dict[str, Any], Any]]:
    """Entries as the old code wrote them, each with the row it should be keyed to (or None)."""
    sub, office, heading = r["sub"], r["office"], r["node"].heading
    project = r["progress"].project
    peo = r["insp"].org
    t0 = timezone.now() - dt.timedelta(days=3)
    specs: list[tuple[dict[str, Any], Any]] = [
        ({"action": "create", "target": str(sub), "submission": sub}, sub),
        ({"action": "value", "target": f"{heading} · {r['element'].name_th}",
          "submission": sub, "before": "", "after": "12"}, r["value"]),
        ({"action": "narrative", "target": f"{heading} · การขับเคลื่อนการดำเนินงาน",
          "submission": sub, "before": "", "after": "ขับเคลื่อน"}, r["narrative"]),
        ({"action": "problem", "target": f"{heading} · ปัญหาแถวที่ 1", "submission": sub,
          "after": "(เพิ่มแถว)"}, r["problem"]),
        ({"action": "problem", "target": f"{heading} · ปัญหา/แนวทางแก้ไข", "submission": sub,
          "before": {"problem": "", "solution": ""},
          "after": {"problem": "ปัญหา", "solution": "แก้"}}, r["problem"]),
        ({"action": "problem_delete", "target": f"{heading} · ปัญหา/แนวทางแก้ไข",
          "submission": sub, "before": {"problem": "ลบแล้ว", "solution": ""}}, None),
        ({"action": "best_practice", "target": f"{heading} · วิธีปฏิบัติที่เป็นเลิศ",
          "submission": sub, "after": "(เพิ่มรายการ)"}, r["practice"]),
        ({"action": "file", "target": f"{heading} · เอกสารหลักฐาน", "submission": sub,
          "after": "หลักฐาน.pdf"}, r["file"]),
        ({"action": "file_delete", "target": "เอกสารหลักฐาน", "submission": sub,
          "before": "เก่า.pdf"}, None),
        ({"action": "answer", "target": f"คำเตือน {RULE}", "submission": sub,
          "after": "เหตุผล"}, r["answer"]),
        ({"action": "rating", "target": f"{heading} · 12m", "submission": sub,
          "before": {"level": 4, "status": "rated", "actual": None},
          "after": {"level": 3, "status": "rated", "actual": None}}, r["rating"]),
        ({"action": "workflow", "target": "ส่งรายงาน", "submission": sub,
          "before": "ฉบับร่าง", "after": "ส่งแล้ว รอการประเมิน", "comment": ""}, sub),
        ({"action": "plan_progress", "target": f"{project} ไตรมาส 2", "org": project.plan.office,
          "after": {"activities_done": "ประชุม", "money_spent": "0.00"}}, r["progress"]),
        ({"action": "plan_progress_state", "target": f"{project} ไตรมาส 2",
          "org": project.plan.office, "before": "draft", "after": "submitted"}, r["progress"]),
        ({"action": "plan_import", "target": "แผนปฏิบัติการ ปีงบประมาณ พ.ศ. 2565",
          "org": r["plan"].office, "after": {"plan": r["plan"].pk, "draft": 9}}, r["plan"]),
        ({"action": "inspection.entry",
          "target": f"{r['entry'].issue.code}/progress#{r['entry'].pk}",
          "org": office, "after": {"kind": "text", "text": "ข้อความ"}}, r["entry"]),
        ({"action": "inspection.gather", "target": f"report#{r['insp'].pk}", "org": peo,
          "after": {"added": 1}}, r["insp"]),
        ({"action": "inspection.edit",
          "target": f"report#{r['insp'].pk}/line#{r['line'].pk}", "org": peo,
          "before": "ข้อความ", "after": "ข้อความที่เรียบเรียง"}, r["line"]),
        ({"action": "inspection.send", "target": f"report#{r['insp'].pk}", "org": peo,
          "before": "draft", "after": "sent"}, r["insp"]),
        ({"action": "import_edit", "target": f"ร่างนำเข้าเลขที่ {r['draft'].pk} (004.txt)",
          "org": office, "before": [{"level": "2"}], "after": [{"level": "3"}],
          "comment": "ตัวชี้วัดที่ 4 (รอบ 6 เดือน)"}, r["draft"]),
        ({"action": "synthesis_pick", "target": f"รายงานสังเคราะห์ qp {heading}", "org": office,
          "after": {"section": "drive", "text": "เลือก"}}, r["pick"]),
        ({"action": "synthesis_unpick", "target": f"รายงานสังเคราะห์ qp {heading}",
          "org": office, "before": {"section": "drive", "text": "ไม่มีแล้ว"}}, None),
    ]
    out = []
    for n, (spec, row) in enumerate(specs):
        fields = {"at": t0 + dt.timedelta(minutes=n), "user": user, "before": None,
                  "after": None, "comment": "", "submission": None, **spec}
        fields.setdefault("org", sub.org if fields["submission"] else office)
        out.append((fields, row))
    return out


def _content(e: Any) -> tuple[Any, ...]:
    return tuple(getattr(e, f) for f in FIELDS)


def test_every_old_entry_survives_and_finds_its_row() -> None:
    _load()
    user = get_user_model().objects.create_user("old-editor", password="a-long-test-password")
    rows = _rows()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE_AUDIT_APP)
        old_apps = executor.loader.project_state(BEFORE_AUDIT_APP[:1]).apps
        Old = old_apps.get_model("reporting", "AuditEntry")
        Old.objects.all().delete()  # the demo's own entries, copied back by the way down
        # The figure and the texts as the old schema held them (they move into the
        # observation store and narrative blocks on the way up).
        report_id = rows["report"].pk
        rows["value"] = old_apps.get_model("reporting", "DataValue").objects.create(
            report_id=report_id, element_id=rows["element"].pk, text="12",
            value_decimal=12)
        rows["narrative"] = old_apps.get_model("reporting", "Narrative").objects.create(
            report_id=report_id, kind="drive", text="ขับเคลื่อน")
        rows["problem"] = old_apps.get_model("reporting", "ProblemRow").objects.create(
            report_id=report_id, problem="ปัญหา", solution="แก้")
        rows["practice"] = old_apps.get_model("reporting", "BestPractice").objects.create(
            report_id=report_id, model_name="แบบอย่าง")
        specs = _old_entries(rows, user)
        for fields, _row in specs:
            Old.objects.create(**{
                k if k not in ("user", "org", "submission") else f"{k}_id":
                    (v.pk if hasattr(v, "pk") else v) for k, v in fields.items()})
        expected = [_content(e) for e in Old.objects.order_by("at", "pk")]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    moved = list(AuditEntry.objects.order_by("at", "pk"))
    assert len(moved) == len(specs) == len(expected)
    assert [_content(e) for e in moved] == expected
    # A figure's and a text's entries follow them into the observation and the block.
    from tidtam.measures.models import Observation
    from tidtam.narratives.models import Block

    became = {
        id(rows["value"]): Observation.objects.get(source__data_value=rows["value"].pk),
        id(rows["narrative"]): Block.objects.get(source__narrative=rows["narrative"].pk),
        id(rows["problem"]): Block.objects.get(source__problem_row=rows["problem"].pk),
        id(rows["practice"]): Block.objects.get(source__best_practice=rows["practice"].pk),
    }
    for e, (_fields, row) in zip(moved, specs, strict=True):
        if row is None:
            assert e.content_type_id is None and e.object_id is None, e.target
        elif id(row) in became:
            now = became[id(row)]
            assert (e.content_type.model_class(), e.object_id) == (type(now), now.pk), e.target
        else:
            assert (e.content_type.model_class(), e.object_id) == (type(row), row.pk), e.target
