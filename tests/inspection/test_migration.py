"""The inspection form's own tables move into Framework/FrameworkNode with nothing lost.

The database is taken back to before the move (inspection 0003), filled with a
framework, its policies, issues, questions and sub-types, units' entries of
every kind, a report that leaves an issue out, its lines, and an audit entry
keyed to an old issue, all in the old shape; then migrated forward. Every
field of every row is compared: the framework and its nodes by code, entries,
reports and lines by their own ids (which do not change).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tidtam.audit.models import AuditEntry
from tidtam.frameworks.models import Framework, FrameworkNode, Layout, Method
from tidtam.inspection.models import (
    Entry,
    InspectionFramework,
    InspectionReport,
    Issue,
    Placement,
    Question,
)
from tidtam.orgs.models import OrgType, OrgUnit

# Transactional: migrations can't run inside the test's transaction on SQLite.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("inspection", "0003_thai_admin_names")]
SECTIONS = [
    {"key": "progress", "title": "ความก้าวหน้า"},
    {"key": "factors", "title": "ปัจจัย"},
    {"key": "problems", "title": "ปัญหา"},
    {"key": "best_practice", "title": "แบบอย่าง{issue}"},
    {"key": "suggestions", "title": "ข้อเสนอแนะ",
     "parts": [{"key": "area", "title": "พื้นที่"}, {"key": "policy", "title": "นโยบาย"}]},
]
ENTRY_FIELDS = ("round", "province_id", "unit_id", "unit_name", "section", "part", "kind",
                "title", "text", "steps", "solutions", "value", "value_unit", "day", "image",
                "is_final", "author_id", "created_at", "updated_at", "version")
REPORT_FIELDS = ("round", "org_id", "level", "status", "sent_at", "sent_by_id", "created_at")
PLACEMENT_FIELDS = ("report_id", "entry_id", "source_id", "order", "text", "duplicate_of_id",
                    "version", "edited_by_id", "edited_at")


def _orgs() -> dict[str, OrgUnit]:
    province, _ = OrgUnit.objects.get_or_create(
        code="MIG-P", defaults={"name_th": "จังหวัดทดสอบ", "type": OrgType.PROVINCE})
    peo, _ = OrgUnit.objects.get_or_create(
        code="MIG-PEO", defaults={"name_th": "ศธจ.ทดสอบ", "type": OrgType.PROVINCIAL_OFFICE,
                                  "parent": province})
    office, _ = OrgUnit.objects.get_or_create(
        code="MIG-SPM", defaults={"name_th": "สพม.ทดสอบ", "type": OrgType.SECONDARY_AREA})
    return {"province": province, "peo": peo, "office": office}


def _fill_old(apps: Any, orgs: dict[str, OrgUnit], user: Any) -> dict[str, Any]:
    """The old shape, as the form's own loader and the units' forms wrote it."""
    OldFramework = apps.get_model("inspection", "InspectionFramework")
    Policy = apps.get_model("inspection", "Policy")
    OldIssue = apps.get_model("inspection", "Issue")
    OldQuestion = apps.get_model("inspection", "Question")
    OldEntry = apps.get_model("inspection", "Entry")
    OldReport = apps.get_model("inspection", "InspectionReport")
    OldPlacement = apps.get_model("inspection", "Placement")
    fw = OldFramework.objects.create(code="mig", year=2599, title="แบบรายงานทดสอบ",
                                     form="แบบ รต.99", sections=SECTIONS)
    p1 = Policy.objects.create(framework=fw, number=1, title="นโยบายหนึ่ง")
    p2 = Policy.objects.create(framework=fw, number=2, title="นโยบายสอง")
    i11 = OldIssue.objects.create(policy=p1, code="1.1", title="ประเด็นหนึ่งหนึ่ง", order=1)
    i12 = OldIssue.objects.create(policy=p1, code="1.2", title="ประเด็นหนึ่งสอง", order=2,
                                  optional=True)
    i21 = OldIssue.objects.create(policy=p2, code="2.1", title="ประเด็นสองหนึ่ง", order=1)
    q1 = OldQuestion.objects.create(issue=i11, number="1", text="ข้อหนึ่ง",
                                    definition="นิยามข้อหนึ่ง", levels=["province", "region"],
                                    order=100)
    q2 = OldQuestion.objects.create(issue=i11, number="2", text="ข้อสอง", levels=["province"],
                                    order=200)
    s21 = OldQuestion.objects.create(issue=i11, number="2.1", text="ย่อยหนึ่ง",
                                     levels=["province"], order=201, parent=q2)
    s22 = OldQuestion.objects.create(issue=i11, number="2.2", text="ย่อยสอง",
                                     levels=["province"], order=202, parent=q2)
    q3 = OldQuestion.objects.create(issue=i21, number="1", text="ข้อของ 2.1",
                                    levels=["province", "region"], order=100)
    common = {"framework": fw, "province_id": orgs["province"].pk, "unit_id": orgs["office"].pk,
              "author_id": user.pk}
    entries = [
        OldEntry.objects.create(**common, issue=i11, section="progress", question=q1,
                                kind="model", title="โมเดล", text="ขั้นตอน",
                                steps=["หนึ่ง", "สอง"], is_final=True, version=3),
        OldEntry.objects.create(**common, issue=i11, section="progress", question=s22,
                                kind="figure", value=Decimal("1234.5"), value_unit="คน"),
        OldEntry.objects.create(**common, issue=i11, section="problems", kind="problem",
                                text="ปัญหา", solutions=["แก้หนึ่ง", "แก้สอง"], round=1),
        OldEntry.objects.create(**common, issue=i21, section="progress", question=q3,
                                kind="date", text="อบรม", day=dt.date(2599, 1, 5),
                                unit_name="โรงเรียนที่เอกสารระบุ"),
        OldEntry.objects.create(**common, issue=i21, section="suggestions", part="policy",
                                kind="image", image="inspection/2599/a.png", text="ภาพ"),
        OldEntry.objects.create(**common, issue=i12, section="factors", kind="none"),
    ]
    report = OldReport.objects.create(framework=fw, round=2, org_id=orgs["peo"].pk,
                                      level="province", status="sent",
                                      sent_at=dt.datetime(2599 - 543, 9, 1, tzinfo=dt.UTC),
                                      sent_by_id=user.pk)
    report.omitted_issues.set([i12])
    first = OldPlacement.objects.create(report=report, entry=entries[0], order=1,
                                        text="เรียบเรียงแล้ว", version=2, edited_by_id=user.pk,
                                        edited_at=dt.datetime(2056, 8, 1, tzinfo=dt.UTC))
    OldPlacement.objects.create(report=report, entry=entries[2], order=2, text="ซ้ำ",
                                duplicate_of=first)
    # The audit table is not reshaped by these migrations: written with today's model.
    ct = ContentType.objects.get_or_create(app_label="inspection", model="issue")[0]
    audit = AuditEntry.objects.create(user=user, content_type=ct, object_id=i21.pk,
                                      action="admin_change", target="2.1 ประเด็นสองหนึ่ง")
    return {"framework": fw, "policies": [p1, p2], "issues": [i11, i12, i21],
            "questions": [q1, q2, s21, s22, q3], "entries": entries, "report": report,
            "audit": audit}


def _snapshot(apps: Any) -> dict[str, Any]:
    """Every old row, with its keys written as codes (ids of nodes change)."""
    OldEntry = apps.get_model("inspection", "Entry")
    OldQuestion = apps.get_model("inspection", "Question")

    def question_code(q: Any) -> str | None:
        return None if q is None else f"{q.issue.code}/{q.number}"

    fw = apps.get_model("inspection", "InspectionFramework").objects.get(code="mig")
    return {
        "framework": (fw.code, fw.year, fw.title, fw.form, fw.sections),
        "policies": [(p.number, p.title) for p in
                     apps.get_model("inspection", "Policy").objects.order_by("number")],
        "issues": [(i.code, i.policy.number, i.title, i.optional) for i in
                   apps.get_model("inspection", "Issue").objects.order_by("policy__number",
                                                                          "order")],
        "questions": [(question_code(q), q.number, q.text, q.definition, q.levels,
                       question_code(q.parent)) for q in
                      OldQuestion.objects.order_by("issue__policy__number", "issue__order",
                                                   "order")],
        "entries": {e.pk: ({f: getattr(e, f) for f in ENTRY_FIELDS}, e.framework.code,
                           e.issue.code, question_code(e.question))
                    for e in OldEntry.objects.all()},
        "reports": {r.pk: ({f: getattr(r, f) for f in REPORT_FIELDS}, r.framework.code,
                           sorted(i.code for i in r.omitted_issues.all()))
                    for r in apps.get_model("inspection", "InspectionReport").objects.all()},
        "placements": {p.pk: {f: getattr(p, f) for f in PLACEMENT_FIELDS} for p in
                       apps.get_model("inspection", "Placement").objects.all()},
    }


def test_every_row_of_the_old_form_survives_field_by_field() -> None:
    orgs = _orgs()
    user = get_user_model().objects.create_user("mig-editor", password="a-long-test-password")
    # Rows in the new shape cannot be carried back down: start from an empty form.
    Placement.objects.all().delete()
    InspectionReport.objects.all().delete()
    Entry.objects.all().delete()
    Framework.objects.filter(layout=Layout.INSPECTION).delete()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        old = _fill_old(old_apps, orgs, user)
        before = _snapshot(old_apps)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

    fw = InspectionFramework.objects.get(code="mig", fiscal_year=2599)
    assert (fw.code, fw.year, fw.title, fw.form, fw.sections) == before["framework"]
    assert fw.layout == Layout.INSPECTION and fw.band_table is None
    nodes = list(FrameworkNode.objects.filter(framework=fw).order_by("position"))
    assert [(n.number, n.title_th) for n in nodes if n.depth == 0] == [
        (str(n), t) for n, t in before["policies"]]
    issues = list(Issue.objects.filter(framework=fw).order_by("position"))
    assert [(i.code, i.policy.number, i.title, i.optional) for i in issues] == [
        (c, str(p), t, o) for c, p, t, o in before["issues"]]
    questions = list(Question.objects.filter(framework=fw).order_by("position"))

    def parent_code(q: Question) -> str | None:
        return q.parent.code if q.is_subtype and q.parent is not None else None

    assert [(q.code, q.number, q.text, q.definition, q.levels, parent_code(q))
            for q in questions] == before["questions"]
    assert all(q.method == Method.MONITORED for q in questions)
    assert {n.depth for n in nodes} == {0, 1, 2, 3}

    after_entries = {
        e.pk: ({f: getattr(e, f) for f in ENTRY_FIELDS}, e.framework.code, e.issue.code,
               e.question.code if e.question else None)
        for e in Entry.objects.select_related("framework", "issue", "question")}
    assert after_entries == before["entries"]
    assert len(after_entries) == len(old["entries"])
    after_reports = {
        r.pk: ({f: getattr(r, f) for f in REPORT_FIELDS}, r.framework.code,
               sorted(i.code for i in r.omitted_issues.all()))
        for r in InspectionReport.objects.all()}
    assert after_reports == before["reports"]
    assert {p.pk: {f: getattr(p, f) for f in PLACEMENT_FIELDS}
            for p in Placement.objects.all()} == before["placements"]
    # The report still leaves out its optional issue, and prints what it printed.
    report = InspectionReport.objects.get(pk=old["report"].pk)
    assert [i.code for i in report.included_issues()] == ["1.1", "2.1"]
    # An audit entry keyed to an old issue now names its node.
    audit = AuditEntry.objects.get(pk=old["audit"].pk)
    assert audit.object_id == Issue.objects.get(framework=fw, code="2.1").pk
