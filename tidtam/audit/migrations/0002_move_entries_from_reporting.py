"""Move every entry of ``reporting.AuditEntry`` into ``audit.AuditEntry``, keyed to its object.

The old entries named their object by a text (``target``) built by each
caller: "ตัวชี้วัดที่ 6 · 6m" for a rating, "report#12/line#34" for an
inspection line, the project's title for a plan's quarter. Each is resolved
here to the real row (content type + id) where the text and the entry's
submission or office determine it; where they don't (a deleted row, two
rows the text can't tell apart), the entry keeps its text and no key.
Nothing is dropped and nothing is changed: time, user, office, submission,
action, target, before, after and comment are copied as they were.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

BATCH = 500
NARRATIVE_KINDS = {
    "การขับเคลื่อนการดำเนินงาน": "drive",
    "ข้อเสนอแนะต่อ สพฐ.": "suggestion_central",
    "ข้อเสนอแนะต่อ สพท./สถานศึกษา": "suggestion_office",
}
ATTACHMENT_KINDS = {"ภาพประกอบ": "image", "เอกสารหลักฐาน": "evidence"}
INSPECTION_ENTRY = re.compile(r"^[\d.]+/\w+#(\d+)$")
INSPECTION_LINE = re.compile(r"^report#\d+/line#(\d+)$")
INSPECTION_REPORT = re.compile(r"^report#(\d+)$")
DRAFT = re.compile(r"^ร่างนำเข้าเลขที่ (\d+) ")
QUARTER = re.compile(r"^(?P<number>[^.]+)\. (?P<title>.*) ไตรมาส (?P<quarter>[1-4])$")


class Resolver:
    """Finds the row an old entry's target names, with the historical models."""

    def __init__(self, apps: Any) -> None:
        self.apps = apps
        self.ct_model = apps.get_model("contenttypes", "ContentType")
        self.cts: dict[str, Any] = {}

    def model(self, label: str) -> Any:
        return self.apps.get_model(*label.split("."))

    def ct(self, label: str) -> Any:
        if label not in self.cts:
            app, model = label.split(".")
            self.cts[label] = self.ct_model.objects.get_or_create(app_label=app,
                                                                  model=model.lower())[0]
        return self.cts[label]

    def node(self, sub: Any, heading: str) -> Any:
        for node in self.model("frameworks.FrameworkNode").objects.filter(
                framework_id=sub.framework_id):
            if f"{node.label} {node.number}".strip() == heading:
                return node
        return None

    def split(self, target: str) -> tuple[str, str]:
        head, _, tail = target.partition(" · ")
        return head, tail

    def resolve(self, e: Any) -> tuple[str, int] | None:
        action, target = e.action, e.target
        sub = e.submission
        m = self.model
        if action in ("create", "workflow") and sub is not None:
            return "reporting.Submission", sub.pk
        if action == "answer" and sub is not None:
            code = target.removeprefix("คำเตือน").strip()
            found = m("reporting.ValidationAnswer").objects.filter(submission=sub, rule_code=code)
            return self.only("reporting.ValidationAnswer", found)
        if action in ("rating", "value", "narrative", "problem", "best_practice", "file") \
                and sub is not None:
            heading, tail = self.split(target)
            node = self.node(sub, heading)
            if node is None:
                return None
            reports = m("reporting.IndicatorReport").objects.filter(submission=sub, node=node)
            if action == "rating":
                found = m("evaluation.Rating").objects.filter(org_id=sub.org_id, node=node,
                                                             round=tail)
                return self.only("evaluation.Rating", found)
            if action == "value":
                found = m("reporting.DataValue").objects.filter(report__in=reports,
                                                               element__name_th=tail)
                return self.only("reporting.DataValue", found)
            if action == "narrative" and tail in NARRATIVE_KINDS:
                found = m("reporting.Narrative").objects.filter(report__in=reports,
                                                               kind=NARRATIVE_KINDS[tail])
                return self.only("reporting.Narrative", found)
            if action == "problem":
                rows = m("reporting.ProblemRow").objects.filter(report__in=reports)
                n = re.match(r"^ปัญหาแถวที่ (\d+)$", tail)
                if n:
                    return self.only("reporting.ProblemRow", rows.filter(position=int(n[1]) - 1))
                if isinstance(e.after, dict):
                    same = rows.filter(problem=e.after.get("problem", ""),
                                       solution=e.after.get("solution", ""))
                    return self.only("reporting.ProblemRow", same) or \
                        self.only("reporting.ProblemRow", rows)
                return self.only("reporting.ProblemRow", rows)
            if action == "best_practice":
                rows = m("reporting.BestPractice").objects.filter(report__in=reports)
                if isinstance(e.after, dict):
                    same = rows.filter(**{k: e.after.get(k, "") for k in
                                          ("unit_name", "model_name", "steps")})
                    return self.only("reporting.BestPractice", same) or \
                        self.only("reporting.BestPractice", rows)
                return self.only("reporting.BestPractice", rows)
            if action == "file" and tail in ATTACHMENT_KINDS and isinstance(e.after, str):
                found = m("reporting.Attachment").objects.filter(
                    submission=sub, report__in=reports, kind=ATTACHMENT_KINDS[tail],
                    original_name=e.after)
                return self.only("reporting.Attachment", found)
            return None
        if action in ("plan_progress", "plan_progress_state"):
            q = QUARTER.match(target)
            if q is None:
                return None
            found = m("plans.QuarterProgress").objects.filter(
                project__plan__office_id=e.org_id, project__number=q["number"],
                project__title=q["title"], quarter=int(q["quarter"]))
            return self.only("plans.QuarterProgress", found)
        if action == "plan_import" and isinstance(e.after, dict) and e.after.get("plan"):
            found = m("plans.Plan").objects.filter(pk=e.after["plan"])
            return self.only("plans.Plan", found)
        if action in ("inspection.entry", "inspection.entry.delete"):
            n = INSPECTION_ENTRY.match(target)
            # a deleted entry keeps its id: the key of the row the entry was about
            return ("inspection.Entry", int(n[1])) if n else None
        if action in ("inspection.move", "inspection.edit", "inspection.duplicate"):
            n = INSPECTION_LINE.match(target)
            return ("inspection.Placement", int(n[1])) if n else None
        if action in ("inspection.gather", "inspection.send", "inspection.import"):
            n = INSPECTION_REPORT.match(target)
            return ("inspection.InspectionReport", int(n[1])) if n else None
        if action in ("import_edit", "import_source_edit"):
            n = DRAFT.match(target)
            return ("ingest.ImportedSheet", int(n[1])) if n else None
        if action == "synthesis_pick" and isinstance(e.after, dict):
            found = m("analytics.SynthesisPick").objects.filter(
                org_id=e.org_id, section=e.after.get("section", ""), text=e.after.get("text", ""))
            return self.only("analytics.SynthesisPick", found)
        return None

    def only(self, label: str, qs: Any) -> tuple[str, int] | None:
        ids = list(qs.values_list("pk", flat=True)[:2])
        return (label, ids[0]) if len(ids) == 1 else None


def forward(apps: Any, schema_editor: Any) -> None:
    Old = apps.get_model("reporting", "AuditEntry")
    New = apps.get_model("audit", "AuditEntry")
    resolver = Resolver(apps)
    batch = []
    for e in Old.objects.select_related("submission").order_by("at", "pk").iterator():
        key = resolver.resolve(e)
        batch.append(New(
            at=e.at, user_id=e.user_id, org_id=e.org_id, submission_id=e.submission_id,
            content_type=resolver.ct(key[0]) if key else None,
            object_id=key[1] if key else None,
            action=e.action, target=e.target, before=e.before, after=e.after,
            comment=e.comment,
        ))
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


def backward(apps: Any, schema_editor: Any) -> None:
    """Back to the old table (entries without an office, made since, cannot go)."""
    Old = apps.get_model("reporting", "AuditEntry")
    New = apps.get_model("audit", "AuditEntry")
    Old.objects.bulk_create([
        Old(at=e.at, user_id=e.user_id, org_id=e.org_id, submission_id=e.submission_id,
            action=e.action, target=e.target, before=e.before, after=e.after, comment=e.comment)
        for e in New.objects.filter(org__isnull=False).order_by("at", "pk").iterator()
    ], batch_size=BATCH)
    New.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_audit_entry"),
        ("reporting", "0001_initial"),
        ("evaluation", "0001_initial"),
        ("frameworks", "0002_data_elements"),
        ("plans", "0002_plan_alignment_kinds"),
        ("inspection", "0001_initial"),
        ("ingest", "0003_draft_superseded"),
        ("analytics", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
