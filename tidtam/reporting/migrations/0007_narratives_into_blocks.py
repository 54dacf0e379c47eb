"""Narratives, problem rows and best practices move into the office's narrative blocks.

Each becomes a block of the submission's office and period, written for the
indicator it was typed under, with its version, author, time and a first
revision; its topic is filled in by ``tidtam init`` once the crosswalk is
loaded (``tidtam.narratives.loader.assign_topics``). Empty narratives (a text
box saved blank) carry nothing and are not moved. Images follow their best
practice; the national synthesis' picks and the search index are pointed at
the blocks their texts now live in.
"""

import calendar
import datetime as dt
from importlib import import_module
from typing import Any

from django.db import migrations

#: The same as tidtam/narratives/fixtures/kinds.yaml at the time of this change.
LEVELS = [("central", "ระดับนโยบาย (สพฐ./ส่วนกลาง)", "สพฐ."),
          ("area", "ระดับพื้นที่ (สพท./หน่วยงาน/สถานศึกษา)", "สพท.")]
KINDS = [("drive", "การขับเคลื่อนการดำเนินงาน", False, False, False),
         ("success_factor", "ปัจจัยขับเคลื่อนสู่ความสำเร็จ", False, False, False),
         ("problem", "ปัญหา อุปสรรค และแนวทางแก้ไข", True, False, True),
         ("best_practice", "วิธีปฏิบัติที่เป็นเลิศ/นวัตกรรม", False, True, False),
         ("suggestion", "ข้อเสนอแนะ", False, False, True)]
#: narrative kind → (block kind, level)
NARRATIVE = {"drive": ("drive", None), "suggestion_central": ("suggestion", "central"),
             "suggestion_office": ("suggestion", "area")}


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def forward(apps: Any, schema_editor: Any) -> None:
    Level = apps.get_model("narratives", "Level")
    BlockKind = apps.get_model("narratives", "BlockKind")
    Block = apps.get_model("narratives", "Block")
    Revision = apps.get_model("narratives", "BlockRevision")
    PeriodType = apps.get_model("measures", "PeriodType")
    Period = apps.get_model("measures", "Period")
    Narrative = apps.get_model("reporting", "Narrative")
    ProblemRow = apps.get_model("reporting", "ProblemRow")
    BestPractice = apps.get_model("reporting", "BestPractice")
    Attachment = apps.get_model("reporting", "Attachment")
    Pick = apps.get_model("analytics", "SynthesisPick")
    SearchDocument = apps.get_model("search", "SearchDocument")

    levels = {}
    for position, (code, name, short) in enumerate(LEVELS):
        levels[code], _ = Level.objects.get_or_create(
            code=code, defaults={"name_th": name, "short_th": short, "position": position})
    kinds = {}
    for position, (code, name, solutions, practice, leveled) in enumerate(KINDS):
        kinds[code], _ = BlockKind.objects.get_or_create(code=code, defaults={
            "name_th": name, "solutions": solutions, "practice": practice, "leveled": leveled,
            "position": position})
    periods: dict[tuple[int, str], Any] = {}

    def period(sub: Any) -> Any:
        key = (sub.framework.fiscal_year, sub.round)
        if key not in periods:
            t = PeriodType.objects.get(code=sub.round)
            start = _add_months(dt.date(sub.framework.fiscal_year - 544, 10, 1), t.first_month)
            end = _add_months(start, t.months) - dt.timedelta(days=1)
            periods[key], _ = Period.objects.get_or_create(
                start=start, end=end, defaults={"fiscal_year": sub.framework.fiscal_year})
        return periods[key]

    def move(row: Any, kind: str, level: str | None, source_key: str, slot: str,
             **content: Any) -> Any:
        sub = row.report.submission
        source = {source_key: row.pk, "submission": sub.pk, "framework": sub.framework.code,
                  "node": row.report.node.code, "slot": slot}
        block = Block.objects.create(
            org_id=sub.org_id, topic=None, node_id=row.report.node_id, period=period(sub),
            kind=kinds[kind], level=levels[level] if level else None,
            position=getattr(row, "position", 0) + 1, source_kind="migrated", source=source,
            version=row.version, updated_by_id=row.updated_by_id, **content)
        Block.objects.filter(pk=block.pk).update(updated_at=row.updated_at)
        Revision.objects.create(block=block, version=row.version, at=row.updated_at,
                                by_id=row.updated_by_id, **content)
        return block

    related = ("report__submission__framework", "report__node")
    moved: dict[str, dict[int, int]] = {"narrative": {}, "problem": {}, "best_practice": {}}
    for n in Narrative.objects.select_related(*related).order_by("pk"):
        if not n.text.strip():
            continue
        kind, level = NARRATIVE[n.kind]
        moved["narrative"][n.pk] = move(n, kind, level, "narrative", n.kind, text=n.text).pk
    for p in ProblemRow.objects.select_related(*related).order_by("pk"):
        moved["problem"][p.pk] = move(
            p, "problem", None, "problem_row", "problems", text=p.problem,
            solutions=[p.solution] if p.solution.strip() else []).pk
    for b in BestPractice.objects.select_related(*related).order_by("pk"):
        moved["best_practice"][b.pk] = move(
            b, "best_practice", None, "best_practice", "practices", unit_name=b.unit_name,
            title=b.model_name, text=b.steps).pk
    rekey = import_module("tidtam.reporting.migrations.0004_values_into_observations").rekey
    for model, kind in (("narrative", "narrative"), ("problemrow", "problem"),
                        ("bestpractice", "best_practice")):
        rekey(apps, ("reporting", model), ("narratives", "block"), moved[kind])
    for att in Attachment.objects.filter(best_practice__isnull=False):
        att.block_id = moved["best_practice"][att.best_practice_id]
        att.save(update_fields=["block"])
    for pick in Pick.objects.all():
        new = moved.get(pick.source_kind, {}).get(pick.source_id)
        if new is not None:
            pick.source_id = new
            pick.save(update_fields=["source_id"])
    search_kinds = {"narrative": "narrative", "problem": "problem", "practice": "best_practice"}
    for doc in SearchDocument.objects.filter(kind__in=list(search_kinds)):
        new = moved[search_kinds[doc.kind]].get(doc.source_id)
        if new is None:
            doc.delete()
            continue
        # One search kind for every block; a block of another kind with the same new id
        # cannot exist (ids are unique across blocks).
        doc.kind, doc.source_id = "narrative", new
        doc.route, doc.route_args = "narratives:block", [new]
        doc.save(update_fields=["kind", "source_id", "route", "route_args"])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0006_attachment_block"),
        ("analytics", "0001_initial"),
        ("search", "0002_link_by_route"),
        ("narratives", "0001_blocks"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
