"""``tidtam values import``: all or nothing, a Thai message per bad row, no silent overwrite."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tidtam.csvfiles import ImportFailed
from tidtam.measures.importer import import_values
from tidtam.measures.models import Disagreement, Observation, Period
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

GOOD = (
    "org_code,measure,period,value,category\n"
    "SPM-52-51,learners_total,2566-12m,\"42,753\",\n"
    "SPM-52-51,dropouts_found,2566-r2,28,\n"
    "SPM-52-51,learners_taught_threat,2566,๔๑,๙๖๕,drugs\n"
)


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_a_good_file_writes_every_row_with_its_source_line() -> None:
    result = import_values(_csv(GOOD.replace("๔๑,๙๖๕", "\"๔๑,๙๖๕\"")), "values.csv")
    assert result.created == 3
    spm = OrgUnit.objects.get(code="SPM-52-51")
    obs = Observation.objects.get(org=spm, measure__code="dropouts_found")
    # 2566-r2 is the 12-month round and the fiscal year: one period.
    assert obs.period == Period.parse("2566-12m") == Period.parse("2566")
    assert obs.source == {"file": "values.csv", "line": 3} and obs.source_kind == "imported"
    threat = Observation.objects.get(org=spm, measure__code="learners_taught_threat")
    assert threat.category == "drugs" and threat.value_decimal == Decimal(41965)


@pytest.mark.parametrize(("row", "message"), [
    ("SPM-99-99,learners_total,2566-12m,1,", "ไม่พบหน่วยงานรหัส 'SPM-99-99'"),
    ("SPM-52-51,learners_everywhere,2566-12m,1,", "ไม่พบรายการข้อมูล 'learners_everywhere'"),
    ("SPM-52-51,learners_total,2566-7m,1,", "ไม่รู้จักช่วงเวลา '7m'"),
    ("SPM-52-51,learners_total,66-12m,1,", "รูปแบบช่วงเวลา '66-12m' ไม่ถูกต้อง"),
    ("SPM-52-51,learners_total,2566-12m,สี่หมื่น,", "ไม่ใช่ตัวเลขที่ถูกต้อง"),
    ("SPM-52-51,learners_total,2566-12m,-5,", "ต้องไม่ติดลบ"),
    ("SPM-52-51,learners_taught_threat,2566-12m,5,ghosts", "ไม่รู้จัก 'ghosts'"),
    ("SPM-52-51,learners_total,2566-12m,5,drugs", "จำแนกได้ 0 แบบ"),
    ("SPM-52-51,dropouts_helped_pct,2566-12m,80,", "คำนวณจากข้อมูลอื่น"),
    ("SPP-52-1,k3_children_assessed,2566-12m,10,", ""),  # a primary office reports it: fine
    ("SPM-52-51,k3_children_assessed,2566-12m,10,", "ไม่ใช่ข้อมูลที่"),
])
def test_a_bad_row_is_named_and_nothing_is_written(row: str, message: str) -> None:
    data = _csv("org_code,measure,period,value,category\n"
                "SPM-52-51,schools_total,2566-12m,57,\n" + row + "\n")
    if not message:
        assert import_values(data, "x.csv").created == 2
        return
    with pytest.raises(ImportFailed) as exc:
        import_values(data, "x.csv")
    assert any(e.row == 3 and message in e.message for e in exc.value.errors), exc.value.errors
    assert not Observation.objects.filter(measure__code="schools_total").exists()


def test_a_duplicate_row_and_a_second_value_are_not_merged_silently() -> None:
    dup = "org_code,measure,period,value\nSPM-52-51,learners_total,2566-12m,1\n" \
          "SPM-52-51,learners_total,2566-r2,2\n"
    with pytest.raises(ImportFailed, match="ซ้ำกับแถวที่ 2"):
        import_values(_csv(dup), "dup.csv")
    import_values(_csv("org_code,measure,period,value\nSPM-52-51,learners_total,2566,42753\n"),
                  "report-p549.csv")
    # 003 prints its learners twice, differently (L549 vs L1047): the second is listed.
    result = import_values(
        _csv("org_code,measure,period,value\nSPM-52-51,learners_total,2566,41965\n"),
        "report-p1047.csv")
    assert result.created == 0 and len(result.disagreements) == 1
    assert Observation.objects.get(measure__code="learners_total").text == "42753"
    d = Disagreement.objects.get()
    assert d.text == "41965" and d.source == {"file": "report-p1047.csv", "line": 2}
    replaced = import_values(
        _csv("org_code,measure,period,value\nSPM-52-51,learners_total,2566,41965\n"),
        "corrected.csv", replace=True)
    assert replaced.replaced == 1
    assert Observation.objects.get(measure__code="learners_total").text == "41965"


def test_show_lists_each_observation_with_its_source_and_every_place_that_prints_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v.csv"
    path.write_text("org_code,measure,period,value\nSPM-52-51,learners_total,2566-12m,42753\n"
                    "SPM-52-51,dropouts_found,2566-12m,28\n", encoding="utf-8")
    call_command("values", "import", str(path), stdout=StringIO())
    out = StringIO()
    call_command("values", "show", "--org", "SPM-52-51", "--year", "2566", "--format", "json",
                 stdout=out)
    data = json.loads(out.getvalue())
    by_measure = {o["measure"]: o for o in data["observations"]}
    learners = by_measure["learners_total"]
    assert learners["value"] == "42753" and learners["source"]["file"] == "v.csv"
    places = {(p["framework"], p["node"]) for p in learners["used_by"]}
    assert {("qp", "1"), ("qp", "3"), ("qp", "8"), ("esa", "3.4.2")} <= places
    assert {(p["framework"], p["node"]) for p in by_measure["dropouts_found"]["used_by"]} >= {
        ("qp", "2"), ("esa", "3.4.2")}
    exported = StringIO()
    call_command("values", "export", "--org", "SPM-52-51", stdout=exported)


def test_measures_list_gives_each_measure_its_bindings() -> None:
    out = StringIO()
    call_command("measures", "list", "--year", "2566", "--format", "json", stdout=out)
    measures = {m["code"]: m for m in json.loads(out.getvalue())["measures"]}
    assert [(b["framework"], b["node"]) for b in measures["learners_total"]["bindings"]] == [
        ("qp", "1"), ("qp", "3"), ("qp", "8"), ("esa", "3.4.2"), ("plan", "safety_skills")]
    assert measures["dropouts_helped_pct"]["numerator"] == "dropouts_returned"
    qp = [b for b in measures["schools_total"]["bindings"] if b["framework"] == "qp"]
    assert len(qp) == 4  # QP4, 5, 8, 9 — not QP10


def test_an_unknown_office_on_the_command_line_is_named() -> None:
    with pytest.raises(CommandError, match="ไม่พบหน่วยงานรหัส 'NOPE'"):
        call_command("values", "show", "--org", "NOPE", "--year", "2566")
