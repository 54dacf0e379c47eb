"""Move the inspection form into Framework/FrameworkNode, and every reference with it.

Each old framework becomes a framework of layout ``inspection`` (same code and
year; title → name, form → abbreviation, the same sub-sections), each policy,
issue, question and sub-type a node (depths 0–3, in the form's order; a
question's code is ``<issue>/<number>``). Entries, reports, the issues a
report leaves out, and audit entries keyed to the old rows are pointed at the
new ones. Nothing is dropped here: 0006 drops the old tables once this passed.
"""

from typing import Any

from django.db import migrations

GROUP, MONITORED = "group", "monitored"


def forwards(apps: Any, schema_editor: Any) -> None:
    OldFramework = apps.get_model("inspection", "InspectionFramework")
    Policy = apps.get_model("inspection", "Policy")
    Issue = apps.get_model("inspection", "Issue")
    Question = apps.get_model("inspection", "Question")
    Entry = apps.get_model("inspection", "Entry")
    Report = apps.get_model("inspection", "InspectionReport")
    Framework = apps.get_model("frameworks", "Framework")
    Node = apps.get_model("frameworks", "FrameworkNode")

    fw_map: dict[int, int] = {}
    node_map: dict[tuple[str, int], int] = {}  # ("issue" | "question" | "policy", old pk)
    for old in OldFramework.objects.order_by("year", "pk"):
        fw, _ = Framework.objects.update_or_create(
            code=old.code, fiscal_year=old.year,
            defaults={"name_th": old.title, "abbr": old.form, "layout": "inspection",
                      "sections": old.sections, "overall": "mean", "band_table": None})
        fw_map[old.pk] = fw.pk
        position = Node.objects.filter(framework=fw).count()

        def node(code: str, parent: Any, depth: int, **values: Any) -> Any:
            nonlocal position
            obj, _ = Node.objects.update_or_create(framework=fw, code=code, defaults={
                "parent": parent, "depth": depth, "position": position, **values})
            position += 1
            return obj

        for policy in Policy.objects.filter(framework=old).order_by("number", "pk"):
            p = node(str(policy.number), None, 0, number=str(policy.number),
                     title_th=policy.title, method=GROUP)
            node_map[("policy", policy.pk)] = p.pk
            for issue in Issue.objects.filter(policy=policy).order_by("order", "pk"):
                i = node(issue.code, p, 1, number=issue.code, title_th=issue.title,
                         method=GROUP, optional=issue.optional)
                node_map[("issue", issue.pk)] = i.pk
                tops = Question.objects.filter(issue=issue, parent=None).order_by("order", "pk")
                for q in tops:
                    qn = node(f"{issue.code}/{q.number}", i, 2, number=q.number, title_th=q.text,
                              definition=q.definition, levels=q.levels, method=MONITORED)
                    node_map[("question", q.pk)] = qn.pk
                    for sub in Question.objects.filter(parent=q).order_by("order", "pk"):
                        sn = node(f"{issue.code}/{sub.number}", qn, 3, number=sub.number,
                                  title_th=sub.text, definition=sub.definition,
                                  levels=sub.levels, method=MONITORED)
                        node_map[("question", sub.pk)] = sn.pk

    for entry in Entry.objects.all().iterator():
        entry.framework_node_fw_id = fw_map[entry.framework_id]
        entry.issue_node_id = node_map[("issue", entry.issue_id)]
        entry.question_node_id = (node_map[("question", entry.question_id)]
                                  if entry.question_id else None)
        entry.save(update_fields=["framework_node_fw", "issue_node", "question_node"])
    for report in Report.objects.all():
        report.framework_node_fw_id = fw_map[report.framework_id]
        report.save(update_fields=["framework_node_fw"])
        report.omitted_nodes.set([node_map[("issue", pk)] for pk in
                                  report.omitted_issues.values_list("pk", flat=True)])
    _rekey_audit(apps, fw_map, node_map)


def _rekey_audit(apps: Any, fw_map: dict[int, int], node_map: dict[tuple[str, int], int]) -> None:
    """Audit entries keyed to an old row (an admin's correction) follow it to its node."""
    try:
        AuditEntry = apps.get_model("audit", "AuditEntry")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    maps = {"inspectionframework": fw_map,
            **{name: {old: new for (kind, old), new in node_map.items() if kind == name}
               for name in ("policy", "issue", "question")}}
    for model, mapping in maps.items():
        ct = ContentType.objects.filter(app_label="inspection", model=model).first()
        if ct is None:
            continue
        for e in AuditEntry.objects.filter(content_type=ct, object_id__isnull=False):
            if e.object_id in mapping:
                e.object_id = mapping[e.object_id]
                e.save(update_fields=["object_id"])


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0004_columns_for_framework_nodes'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
