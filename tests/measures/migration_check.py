"""Fill a database made before the observation store with national-scale figures, migrate it,
and compare every value field by field. Run by ``test_migration.py`` in a subprocess on a
database of its own (``DATABASE_URL``); prints one JSON object.

The data is what a national demo held before the change — 245 area offices, both QP rounds,
every data element of every indicator the office type answers — written through the
historical models of the old schema. Shared facts (the learner count asked by QP1, QP3 and
QP8) are typed equal in most offices and differently in some, as real offices did.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = [("frameworks", "0002_data_elements"), ("reporting", "0001_initial"),
          ("orgs", "0002_index_type"), ("evaluation", "0001_initial")]
FIXTURES = Path(__file__).resolve().parents[2] / "tidtam"
OFFICES = int(os.environ.get("MIGRATION_CHECK_OFFICES", "245"))


def _old_elements() -> list[tuple[str, str, str, str, str, str, int]]:
    """(node, applies_to, element, name, type, unit, position) as the old fixture had them."""
    measures = {m["code"]: m for m in yaml.safe_load(
        (FIXTURES / "measures/fixtures/fy2566/measures.yaml").read_text("utf-8"))["measures"]}
    qp = yaml.safe_load((FIXTURES / "frameworks/fixtures/fy2566/qp.yaml").read_text("utf-8"))
    out = []
    for node in qp["nodes"]:
        for position, e in enumerate(node.get("data", [])):
            m = measures[e.get("measure", e["code"])]
            out.append((str(node["code"]), node.get("applies_to", "all"), e["code"],
                        e.get("name_th") or m["name_th"], m.get("type", "integer"),
                        m.get("unit", ""), position))
    return out


def _value(rng: random.Random, value_type: str, learners: int, schools: int
           ) -> dict[str, Any]:
    if value_type == "date":
        day = dt.date(2022, 10, 1) + dt.timedelta(days=rng.randint(0, 360))
        return {"text": f"{day.day}/{day.month}/{day.year + 543}", "value_date": day}
    if value_type == "list":
        items = [f"โรงเรียนตัวอย่าง {i}" for i in range(rng.randint(0, 3))]
        return {"text": "\n".join(items), "value_list": items}
    if value_type == "percent":
        number = Decimal(rng.randint(6000, 10000)) / 100
    else:
        number = Decimal(rng.randint(0, max(1, learners if rng.random() < 0.5 else schools)))
    return {"text": f"{number:,}", "value_decimal": number}


def fill(apps: Any) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    BandTable = apps.get_model("frameworks", "BandTable")
    Framework = apps.get_model("frameworks", "Framework")
    Node = apps.get_model("frameworks", "FrameworkNode")
    Element = apps.get_model("frameworks", "DataElement")
    Submission = apps.get_model("reporting", "Submission")
    Report = apps.get_model("reporting", "IndicatorReport")
    DataValue = apps.get_model("reporting", "DataValue")
    rng = random.Random(2566)

    moe = OrgUnit.objects.create(code="MOE", name_th="กระทรวงศึกษาธิการ", type="ministry",
                                 path="MOE/", depth=0)
    obec = OrgUnit.objects.create(code="OBEC", name_th="สพฐ.", type="agency", parent=moe,
                                  path="MOE/OBEC/", depth=1)
    offices = []
    for i in range(OFFICES):
        kind = "primary_area" if i < OFFICES * 183 // 245 else "secondary_area"
        code = f"AREA-{i:03d}"
        offices.append(OrgUnit(code=code, name_th=f"เขตพื้นที่ทดสอบ {i}", type=kind,
                               parent=obec, path=f"MOE/OBEC/{code}/", depth=2))
    OrgUnit.objects.bulk_create(offices)
    offices = list(OrgUnit.objects.filter(type__in=["primary_area", "secondary_area"]))

    bands = BandTable.objects.create(code="obec-5-level", name_th="เกณฑ์ 5 ระดับ")
    fw = Framework.objects.create(code="qp", fiscal_year=2566, name_th="Quick Policy",
                                  layout="rounds", rounds=["6m", "12m"], overall="mean",
                                  band_table=bands)
    nodes: dict[str, Any] = {}
    elements = []
    for node_code, applies, code, name, value_type, unit, position in _old_elements():
        if node_code not in nodes:
            nodes[node_code] = Node.objects.create(
                framework=fw, code=node_code, number=node_code, title_th=f"ตัวชี้วัดที่ {node_code}",
                method="levels_per_round", applies_to=applies, position=len(nodes))
        elements.append(Element.objects.create(
            node=nodes[node_code], code=code, name_th=name, value_type=value_type, unit=unit,
            position=position))

    kinds = {"primary": "primary_area", "secondary": "secondary_area"}
    values = []
    for office in offices:
        learners, schools = rng.randint(5_000, 60_000), rng.randint(20, 200)
        for rnd in fw.rounds:
            sub = Submission.objects.create(org=office, framework=fw, round=rnd,
                                            state="approved")
            reports = {n.pk: Report.objects.create(submission=sub, node=n)
                       for n in nodes.values()
                       if n.applies_to == "all" or kinds[n.applies_to] == office.type}
            shared: dict[str, dict[str, Any]] = {}
            for el in elements:
                if el.node_id not in reports:
                    continue
                if el.code in ("learners_total", "schools_total") and el.node.code != "10":
                    # One fact asked three or four times: usually typed the same, not always.
                    if el.code not in shared or rng.random() < 0.1:
                        shared[el.code] = _value(rng, el.value_type, learners, schools)
                    fields = shared[el.code]
                else:
                    fields = _value(rng, el.value_type, learners, schools)
                values.append(DataValue(report=reports[el.node_id], element=el,
                                        version=rng.randint(1, 4), **fields))
    DataValue.objects.bulk_create(values, batch_size=1000)
    texts = _texts(apps, rng)
    texts["actuals"] = _actuals(apps, rng, offices, bands)
    return texts, [
        {"id": v.pk, "org": v.report.submission.org_id, "round": v.report.submission.round,
         "node": v.report.node.code, "element": v.element.code, "text": v.text,
         "value_decimal": str(v.value_decimal) if v.value_decimal is not None else None,
         "value_date": v.value_date.isoformat() if v.value_date else None,
         "value_list": v.value_list or None}
        for v in DataValue.objects.select_related("report__submission", "report__node",
                                                  "element").order_by("pk")
    ]


#: AP target nodes of the old schema: no data elements, the result only on the rating.
#: "99" has no binding in ap.yaml, so the migration must make one rather than drop it.
AP_TARGETS = ("2", "3", "4", "11", "24", "99")


def _actuals(apps: Any, rng: random.Random, offices: list[Any], bands: Any
             ) -> list[dict[str, Any]]:
    """Evaluators' ``Rating.actual_value`` of every AP target node, as the old rating kept it."""
    Framework = apps.get_model("frameworks", "Framework")
    Node = apps.get_model("frameworks", "FrameworkNode")
    Rating = apps.get_model("evaluation", "Rating")
    fw = Framework.objects.create(code="ap", fiscal_year=2566, name_th="แผนปฏิบัติการ",
                                  layout="rated_and_target", rounds=["year", "12m"],
                                  overall="mean", band_table=bands)
    nodes = [Node.objects.create(framework=fw, code=c, number=c, title_th=f"ตัวชี้วัดที่ {c}",
                                 method="target", target_value=Decimal(80), target_unit="ร้อยละ",
                                 applies_to="all", position=i)
             for i, c in enumerate(AP_TARGETS)]
    ratings = []
    for office in offices:
        for node in nodes:
            value = Decimal(rng.randint(5000, 10000)) / 100
            ratings.append(Rating(org=office, framework=fw, node=node, round="year",
                                  actual_value=value))
            if rng.random() < 0.05:  # the same result given again, differently, for 12m
                ratings.append(Rating(org=office, framework=fw, node=node, round="12m",
                                      actual_value=value + 1))
    Rating.objects.bulk_create(ratings, batch_size=1000)
    return [{"id": r.pk, "org": r.org_id, "node": r.node.code,
             "value_decimal": str(r.actual_value)}
            for r in Rating.objects.filter(framework=fw).select_related("node").order_by("pk")]


def compare_actuals(before: list[dict[str, Any]]) -> dict[str, Any]:
    from tidtam.frameworks.models import DataElement
    from tidtam.measures.models import Disagreement, Observation, Period

    year = Period.of(2566, "year")
    measure_of = {e.node.code: e.measure_id for e in DataElement.objects.filter(
        node__framework__code="ap", code="actual").select_related("node")}
    observations = {(o.org_id, o.measure_id): o for o in Observation.objects.filter(
        period=year, measure_id__in=measure_of.values())}
    disagreements = {d.source["rating"]: d for d in Disagreement.objects.filter(
        source_kind="migrated", source__from="rating")}
    kept = as_disagreement = lost = 0
    for row in before:
        obs = observations.get((row["org"], measure_of.get(row["node"])))
        if obs is not None and str(obs.value_decimal) == row["value_decimal"] \
                and obs.source.get("rating") == row["id"]:
            kept += 1
        elif (d := disagreements.get(row["id"])) is not None \
                and str(d.value_decimal) == row["value_decimal"] and d.observation_id:
            as_disagreement += 1
        else:
            lost += 1
    return {"before": len(before), "kept": kept, "as_disagreement": as_disagreement,
            "lost": lost, "bindings": len(measure_of)}


def _texts(apps: Any, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """Narratives, problem rows and best practices of every report, as the old forms kept them."""
    Report = apps.get_model("reporting", "IndicatorReport")
    Narrative = apps.get_model("reporting", "Narrative")
    ProblemRow = apps.get_model("reporting", "ProblemRow")
    BestPractice = apps.get_model("reporting", "BestPractice")
    narratives, problems, practices = [], [], []
    for report in Report.objects.all().iterator():
        for kind in ("drive", "suggestion_central", "suggestion_office"):
            text = "" if rng.random() < 0.1 else f"ข้อความ {kind} ของรายงาน {report.pk}"
            narratives.append(Narrative(report=report, kind=kind, text=text,
                                        version=rng.randint(1, 3)))
        if rng.random() < 0.5:
            problems.append(ProblemRow(report=report, position=0, problem=f"ปัญหา {report.pk}",
                                       solution="" if rng.random() < 0.2 else "แนวทางแก้ไข"))
        if rng.random() < 0.2:
            practices.append(BestPractice(report=report, position=0, unit_name="โรงเรียนตัวอย่าง",
                                          model_name=f"รูปแบบ {report.pk}", steps="ขั้นตอน"))
    Narrative.objects.bulk_create(narratives, batch_size=1000)
    ProblemRow.objects.bulk_create(problems, batch_size=1000)
    BestPractice.objects.bulk_create(practices, batch_size=1000)
    return {
        "narrative": [{"id": n.pk, "text": n.text, "version": n.version}
                      for n in Narrative.objects.order_by("pk")],
        "problem_row": [{"id": p.pk, "text": p.problem,
                         "solutions": [p.solution] if p.solution else []}
                        for p in ProblemRow.objects.order_by("pk")],
        "best_practice": [{"id": b.pk, "unit_name": b.unit_name, "title": b.model_name,
                           "text": b.steps} for b in BestPractice.objects.order_by("pk")],
    }


def compare_texts(before: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    from tidtam.narratives.models import Block

    blocks = {(k, b.source[k]): b for b in Block.objects.all()
              for k in ("narrative", "problem_row", "best_practice") if k in b.source}
    out: dict[str, Any] = {}
    for key, rows in before.items():
        if key == "actuals":
            out[key] = compare_actuals(rows)
            continue
        kept = empty = lost = 0
        for row in rows:
            block = blocks.get((key, row["id"]))
            if block is None:
                if key == "narrative" and not row["text"].strip():
                    empty += 1  # a text box saved blank says nothing: not moved
                else:
                    lost += 1
                continue
            fields = {f: getattr(block, f) for f in row if f not in ("id",)}
            if fields == {f: v for f, v in row.items() if f != "id"}:
                kept += 1
            else:
                lost += 1
        out[key] = {"before": len(rows), "kept": kept, "empty": empty, "lost": lost}
    out["blocks"] = Block.objects.count()
    return out


def compare(before: list[dict[str, Any]]) -> dict[str, Any]:
    from tidtam.frameworks.models import DataElement
    from tidtam.measures.models import Disagreement, Observation, Period

    measure_of = {(e.node.code, e.code): e.measure_id
                  for e in DataElement.objects.select_related("node")}
    periods = {r: Period.objects.get(start=Period.of(2566, r).start, end=Period.of(2566, r).end)
               for r in ("6m", "12m")}
    observations = {(o.org_id, o.measure_id, o.period_id): o for o in Observation.objects.all()}
    disagreements = {d.source["data_value"]: d for d in Disagreement.objects.filter(
        source__has_key="data_value")}

    def columns(x: Any) -> tuple[Any, ...]:
        return (x.text, str(x.value_decimal) if x.value_decimal is not None else None,
                x.value_date.isoformat() if x.value_date else None, x.value_list or None)

    kept = lost = as_disagreement = 0
    mismatched: list[int] = []
    for row in before:
        key = (row["org"], measure_of[(row["node"], row["element"])], periods[row["round"]].pk)
        want = (row["text"], row["value_decimal"], row["value_date"], row["value_list"])
        obs = observations.get(key)
        if obs is not None and columns(obs) == want:
            kept += 1
        elif row["id"] in disagreements and columns(disagreements[row["id"]]) == want:
            as_disagreement += 1
        elif obs is None:
            lost += 1
        else:
            mismatched.append(row["id"])
    return {"values_before": len(before), "kept": kept, "as_disagreement": as_disagreement,
            "lost": lost, "mismatched": mismatched[:20],
            "observations": Observation.objects.count(),
            # the data values' own; the AP results' are counted by compare_actuals
            "disagreements": Disagreement.objects.filter(source__has_key="data_value").count()}


def main() -> None:
    executor = MigrationExecutor(connection)
    call_command("migrate", "orgs", "0002_index_type", verbosity=0)
    call_command("migrate", "frameworks", "0002_data_elements", verbosity=0)
    call_command("migrate", "reporting", "0001_initial", verbosity=0)
    call_command("migrate", "evaluation", "0001_initial", verbosity=0)
    executor.loader.build_graph()
    apps = executor.loader.project_state(BEFORE).apps
    with transaction.atomic():
        texts, before = fill(apps)
    call_command("migrate", verbosity=0)
    print(json.dumps({**compare(before), "texts": compare_texts(texts)}))


if __name__ == "__main__":
    main()
