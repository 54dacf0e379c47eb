"""Figures typed into submissions move into the one store of observations.

A ``DataValue`` belonged to one indicator of one submission, so an office's
learner count was stored three times (QP1, QP3, QP8). Each becomes the
observation of its binding's measure for the submission's office and round.
Where the same office had typed different values of one fact for one round
(one value per indicator that asked), the first in the framework's order
becomes the observation and every other value is kept as a ``Disagreement``
for an evaluator to resolve: no value is dropped.
"""

import calendar
import datetime as dt
from typing import Any

from django.db import migrations

#: The period types the rounds of existing submissions may name (the same as
#: tidtam/measures/fixtures/periods.yaml at the time of this change; ``tidtam init``
#: loads the full list over them).
PERIOD_TYPES = [
    ("year", "ทั้งปีงบประมาณ", 0, 12), ("12m", "รอบ 12 เดือน", 0, 12),
    ("r2", "การตรวจราชการรอบที่ 2", 0, 12), ("to-q4", "ผลสะสมถึงสิ้นไตรมาสที่ 4", 0, 12),
    ("6m", "รอบ 6 เดือน", 0, 6), ("r1", "การตรวจราชการรอบที่ 1", 0, 6),
    ("to-q2", "ผลสะสมถึงสิ้นไตรมาสที่ 2", 0, 6), ("to-q3", "ผลสะสมถึงสิ้นไตรมาสที่ 3", 0, 9),
    ("q1", "ไตรมาสที่ 1 (ต.ค.–ธ.ค.)", 0, 3), ("to-q1", "ผลสะสมถึงสิ้นไตรมาสที่ 1", 0, 3),
    ("q2", "ไตรมาสที่ 2 (ม.ค.–มี.ค.)", 3, 3), ("q3", "ไตรมาสที่ 3 (เม.ย.–มิ.ย.)", 6, 3),
    ("q4", "ไตรมาสที่ 4 (ก.ค.–ก.ย.)", 9, 3),
]


def _add_months(day, months):
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _bounds(fiscal_year, first_month, months):
    start = _add_months(dt.date(fiscal_year - 544, 10, 1), first_month)
    return start, _add_months(start, months) - dt.timedelta(days=1)


def forward(apps, schema_editor):
    PeriodType = apps.get_model("measures", "PeriodType")
    Period = apps.get_model("measures", "Period")
    Observation = apps.get_model("measures", "Observation")
    Revision = apps.get_model("measures", "ObservationRevision")
    Disagreement = apps.get_model("measures", "Disagreement")
    DataValue = apps.get_model("reporting", "DataValue")

    types: dict[str, tuple[int, int]] = {}
    for position, (code, name, first, months) in enumerate(PERIOD_TYPES):
        t, _ = PeriodType.objects.get_or_create(code=code, defaults={
            "name_th": name, "first_month": first, "months": months, "position": position})
        types[code] = (t.first_month, t.months)
    periods: dict[tuple[int, str], Any] = {}

    def period(fiscal_year, round_code):
        key = (fiscal_year, round_code)
        if key not in periods:
            first, months = types[round_code]
            start, end = _bounds(fiscal_year, first, months)
            periods[key], _ = Period.objects.get_or_create(
                start=start, end=end, defaults={"fiscal_year": fiscal_year})
        return periods[key]

    values = (DataValue.objects
              .select_related("report__submission__framework", "report__node", "element")
              .order_by("report__submission_id", "report__node__position", "element__position",
                        "pk"))
    observations: dict[tuple[int, int, int], Any] = {}
    stamps: dict[tuple[int, int, int], Any] = {}
    value_key: dict[int, tuple[int, int, int]] = {}  # DataValue pk → its observation's key
    disagreements = []
    for v in values.iterator(chunk_size=2000):
        sub = v.report.submission
        if sub.round not in types:
            raise RuntimeError(f"submission {sub.pk}: unknown round {sub.round!r}")
        per = period(sub.framework.fiscal_year, sub.round)
        key = (sub.org_id, v.element.measure_id, per.pk)
        value_key[v.pk] = key
        source = {"data_value": v.pk, "submission": sub.pk, "node": v.report.node.code,
                  "element": v.element.code}
        columns = {"text": v.text, "value_decimal": v.value_decimal, "value_date": v.value_date,
                   "value_list": v.value_list if v.value_list else None}
        if columns["value_list"] is not None and (columns["value_decimal"] is not None
                                                  or columns["value_date"] is not None):
            columns["value_list"] = None  # a number or date typed in a list field: keep the text
        existing = observations.get(key)
        if existing is None:
            observations[key] = Observation(
                org_id=sub.org_id, measure_id=v.element.measure_id, period=per, category="",
                version=v.version, updated_by_id=v.updated_by_id, source_kind="migrated",
                source=source, **columns)
            stamps[key] = v.updated_at
        elif existing.text != v.text:
            disagreements.append((key, Disagreement(
                org_id=sub.org_id, measure_id=v.element.measure_id, period=per, category="",
                source_kind="migrated", source=source, **columns)))
    made = Observation.objects.bulk_create(list(observations.values()), batch_size=1000)
    for key, obs in zip(observations, made, strict=True):
        obs.updated_at = stamps[key]  # bulk_update keeps it (no auto_now on update)
    Observation.objects.bulk_update(made, ["updated_at"], batch_size=1000)
    Revision.objects.bulk_create([
        Revision(observation=o, version=o.version, at=o.updated_at, by_id=o.updated_by_id,
                 source_kind="migrated", source=o.source, text=o.text,
                 value_decimal=o.value_decimal, value_date=o.value_date,
                 value_list=o.value_list) for o in made], batch_size=1000)
    for key, d in disagreements:
        d.observation = observations[key]
    Disagreement.objects.bulk_create([d for _key, d in disagreements], batch_size=1000)
    # The audit log keyed a change of a figure to its DataValue: key it to the fact now.
    moved = {v_pk: observations[key].pk for v_pk, key in value_key.items()}
    rekey(apps, ("reporting", "datavalue"), ("measures", "observation"), moved)


def rekey(apps: Any, old: tuple[str, str], new: tuple[str, str], moved: dict[int, int]) -> None:
    """Point audit entries about a moved row at the row it became (same history, new key)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    was = ContentType.objects.filter(app_label=old[0], model=old[1]).first()
    if was is None or not moved:
        return
    now, _ = ContentType.objects.get_or_create(app_label=new[0], model=new[1])
    for entry in AuditEntry.objects.filter(content_type=was, object_id__in=list(moved)):
        AuditEntry.objects.filter(pk=entry.pk).update(content_type=now,
                                                      object_id=moved[entry.object_id])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0003_add_remind_days_to_roundschedule"),
        ("audit", "0002_move_entries_from_reporting"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("measures", "0001_register_and_observations"),
        ("frameworks", "0004_bindings_hold_no_type"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
