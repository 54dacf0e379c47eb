"""The results of target-compared indicators move from ratings into observations.

Before, an evaluator's ``Rating.actual_value`` was a second copy of the
result the office reports for an Action Plan indicator. Each becomes the
observation of the node's result binding (``code: actual``) for the office
and the binding's period of the framework's fiscal year, with the rating as
its source (who rated it, when). Where an observation of that fact already
exists with another value, the observation stays and the rating's value is
kept as a ``Disagreement`` for review: no value is dropped.
"""

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

#: AP node → (measure, period type) of its result binding, as ap.yaml had them at
#: this change; used only where a database made earlier has no binding yet.
#: Frozen here: a migration must give the same result whatever the fixtures say later.
BINDING_OF = {
    ("ap", "2"): "safe_school_learners_pct",
    ("ap", "3"): "schools_with_safety_plan_pct",
    ("ap", "4"): "staff_following_safety_guidance_pct",
    ("ap", "11"): "learners_21st_century_skills_pct",
    ("ap", "24"): "projects_meeting_national_targets_pct",
}
YEAR = ("year", "ทั้งปีงบประมาณ", 0, 12)


def _add_months(day, months):
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _bounds(fiscal_year, first_month, months):
    start = _add_months(dt.date(fiscal_year - 544, 10, 1), first_month)
    return start, _add_months(start, months) - dt.timedelta(days=1)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def forward(apps, schema_editor):
    Rating = apps.get_model("evaluation", "Rating")
    DataElement = apps.get_model("frameworks", "DataElement")
    Measure = apps.get_model("measures", "Measure")
    PeriodType = apps.get_model("measures", "PeriodType")
    Period = apps.get_model("measures", "Period")
    Observation = apps.get_model("measures", "Observation")
    Revision = apps.get_model("measures", "ObservationRevision")
    Disagreement = apps.get_model("measures", "Disagreement")

    ratings = (Rating.objects.filter(actual_value__isnull=False, node__isnull=False)
               .select_related("node", "framework", "rated_by").order_by("pk"))
    periods: dict[tuple[int, str], Any] = {}

    def period(fiscal_year, code):
        if (fiscal_year, code) not in periods:
            ptype = PeriodType.objects.filter(code=code).first()
            if ptype is None:
                if code != YEAR[0]:
                    raise RuntimeError(f"unknown period type {code!r}")
                ptype = PeriodType.objects.create(code=YEAR[0], name_th=YEAR[1],
                                                  first_month=YEAR[2], months=YEAR[3])
            start, end = _bounds(fiscal_year, ptype.first_month, ptype.months)
            periods[(fiscal_year, code)], _ = Period.objects.get_or_create(
                start=start, end=end, defaults={"fiscal_year": fiscal_year})
        return periods[(fiscal_year, code)]

    def binding(node, framework):
        element = DataElement.objects.filter(node=node, code="actual").first()
        if element is not None:
            return element
        code = BINDING_OF.get((framework.code, node.code), f"{framework.code}_{node.code}_actual")
        measure, _ = Measure.objects.get_or_create(
            fiscal_year=framework.fiscal_year, code=code,
            defaults={"name_th": node.title_th[:500] or f"ผลตัวชี้วัด {node.code}",
                      "value_type": "percent" if (node.target_unit or "") == "ร้อยละ"
                      else "decimal", "unit": (node.target_unit or "")[:32],
                      "aggregation": "none"})
        return DataElement.objects.create(node=node, code="actual", measure=measure,
                                          name_th="ผลการดำเนินงาน", period="year",
                                          required=True)

    for r in ratings.iterator(chunk_size=2000):
        element = binding(r.node, r.framework)
        per = period(r.framework.fiscal_year, element.period or "year")
        text = _text(r.actual_value)
        source = {"from": "rating", "rating": r.pk, "round": r.round,
                  "rated_by": r.rated_by.username if r.rated_by else None,
                  "rated_at": r.updated_at.isoformat() if r.updated_at else None}
        obs = Observation.objects.filter(org_id=r.org_id, measure_id=element.measure_id,
                                         period=per, category=element.category).first()
        if obs is None:
            obs = Observation.objects.create(
                org_id=r.org_id, measure_id=element.measure_id, period=per,
                category=element.category, text=text, value_decimal=r.actual_value,
                source_kind="migrated", source=source, version=1, updated_by=r.rated_by)
            Observation.objects.filter(pk=obs.pk).update(updated_at=r.updated_at)
            Revision.objects.create(observation=obs, version=1, at=r.updated_at, by=r.rated_by,
                                    source_kind="migrated", source=source, text=text,
                                    value_decimal=r.actual_value)
        elif obs.value_decimal != r.actual_value:
            Disagreement.objects.create(
                org_id=r.org_id, measure_id=element.measure_id, period=per,
                category=element.category, observation=obs, source_kind="migrated",
                source=source, text=text, value_decimal=r.actual_value)


def backward(apps, schema_editor):
    Rating = apps.get_model("evaluation", "Rating")
    Observation = apps.get_model("measures", "Observation")
    Disagreement = apps.get_model("measures", "Disagreement")
    for d in Disagreement.objects.filter(source_kind="migrated", source__from="rating"):
        Rating.objects.filter(pk=d.source["rating"]).update(actual_value=d.value_decimal)
        d.delete()
    for o in Observation.objects.filter(source_kind="migrated", source__from="rating"):
        Rating.objects.filter(pk=o.source["rating"]).update(actual_value=o.value_decimal)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0002_thai_admin_names"),
        ("frameworks", "0009_inspection_form_nodes"),
        ("measures", "0001_register_and_observations"),
    ]

    operations = [migrations.RunPython(forward, backward)]
