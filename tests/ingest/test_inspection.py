"""Importing the inspection reports of seeds 001 (สมุทรสงคราม) and 002 (ภาค 14).

The figures are the seeds' own, counted by hand from the files: 001 prints 6
policies, 24 issues (no 3.5–3.7) and 59 rows in its problem tables (one of
them, L898, a solution without a problem); 002 prints 27 issues and 49
problems, and its issue 3.7 has no sub-section 3.7.2 (L1240–1273).
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.conftest import make_user
from tests.ingest.seeds import SEED_004, seed_path, seed_text
from tidtam.audit.models import AuditEntry
from tidtam.ingest.drafts import DraftRefused, accept
from tidtam.ingest.handlers import inspection
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.inspection.models import (
    Entry,
    EntryKind,
    InspectionFramework,
    InspectionReport,
    Level,
    Placement,
)
from tidtam.narratives.models import Block
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

SEED_001 = "001_03cc5f09cf5517c8.txt"
SEED_002 = "002_8f5a725fa0aac62a.txt"
PASSWORD = "a-long-test-password"


@cache
def _parsed_json(name: str) -> str:
    """Repairing a seed takes seconds; parse each once per test run (the JSON is the draft's)."""
    return json.dumps(inspection.parse(seed_text(name), name, None).as_json(), ensure_ascii=False)


def parsed(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_parsed_json(name))
    return data


def issues_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["code"]: i for p in data["policies"] for i in p["issues"]}


def section(data: dict[str, Any], code: str, number: int) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in issues_of(data)[code]["sections"]
                                 if s["number"] == number)
    return found


def notes(data: dict[str, Any], kind: str) -> list[tuple[int, str]]:
    return [(n["line"], n["message"]) for n in data["notes"] if n["kind"] == kind]


# --- the seed figures ------------------------------------------------------------------


def test_001_policies_issues_and_problem_rows() -> None:
    data = parsed(SEED_001)
    assert (data["office"]["code"], data["level"], data["fiscal_year"]) == (
        "PEO75", "province", 2566)
    assert [p["number"] for p in data["policies"]] == [1, 2, 3, 4, 5, 6]
    assert data["counts"]["policies"] == 6
    assert data["counts"]["issues"] == 24
    assert data["counts"]["problem_rows"] == 59
    assert list(issues_of(data)) == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9",
        "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "6.1", "6.2",
    ]
    # every issue has its five sub-sections: nothing reported missing
    assert notes(data, "missing") == []
    assert all(len(i["sections"]) == 5 for i in issues_of(data).values())
    # rows per issue as printed (1.3, 2.9 and 3.2 print an empty table)
    rows = {code: len(section(data, code, 3)["rows"]) for code in issues_of(data)}
    assert rows["1.1"] == 2 and rows["2.5"] == 5 and rows["2.7"] == 8 and rows["3.1"] == 6
    assert rows["1.3"] == rows["2.9"] == rows["3.2"] == 0
    first = section(data, "1.1", 3)["rows"][0]
    assert first["problem"] == "ความไม่เพียงพอของบุคลากรด้านความปลอดภัย"
    assert first["solutions"][0].startswith("ส่งบุคลากรเข้าอบรม")
    assert first["line"] == 134


def test_001_the_fiscal_year_is_read_and_the_round_is_a_noted_default() -> None:
    data = parsed(SEED_001)
    assert data["round"] == 2
    assert any("ไม่ระบุรอบ" in m for _, m in notes(data, "note"))


def test_002_issues_problem_rows_and_the_missing_3_7_2() -> None:
    data = parsed(SEED_002)
    assert (data["office"]["code"], data["level"], data["fiscal_year"], data["round"]) == (
        "REO14", "region", 2566, 2)
    assert data["counts"]["policies"] == 6
    assert data["counts"]["issues"] == 27
    assert data["counts"]["problem_rows"] == 49
    missing = notes(data, "missing")
    assert len(missing) == 1 and "3.7.2" in missing[0][1]
    assert [s["number"] for s in issues_of(data)["3.7"]["sections"]] == [1, 3, 4, 5]
    # a problem whose text wraps onto two lines, with its solution (002 L1332–1335)
    row = section(data, "4.1", 3)["rows"][0]
    assert row["line"] == 1332 and row["problem"].startswith("สถานศึกษาขาดครูผู้สอน")
    assert "มีวุฒิการศึกษาวิชาชีพไม่ตรง" in row["problem"] and len(row["solutions"]) == 1
    # several solutions for one problem (L494–496)
    assert len(section(data, "2.4", 3)["rows"][0]["solutions"]) == 2
    # 2.6.3 is titled differently but read by its number
    assert any(line == 617 for line, _ in notes(data, "note"))


def test_none_answers_are_reported() -> None:
    data = parsed(SEED_002)
    none = notes(data, "none")
    assert any("4.3.3" in m for _, m in none)  # "- ไม่มี -" instead of a table (L1446)
    assert section(data, "4.3", 3)["none"] is True
    assert any(m.startswith("3.7.5 ระดับนโยบาย") for _, m in none)
    one = parsed(SEED_001)
    assert section(one, "1.3", 4)["none"] is True  # "… แนบรูปภาพ -" (001 L322)
    empty = [m for _, m in notes(one, "empty")]
    assert "หัวข้อ 1.3.3 ว่าง (ไม่มีทั้งปัญหาและคำว่าไม่มี)" in empty


def test_exact_duplicate_paragraphs_are_reported() -> None:
    data = parsed(SEED_002)
    dups = notes(data, "duplicate")
    # 2.6.5's suggestions repeat 2.5.5's word for word
    assert (635, "ประเด็นที่ 2.6: ย่อหน้านี้ซ้ำกับบรรทัดที่ 579 ทุกคำ") in dups
    assert len(dups) == 4
    assert len(notes(parsed(SEED_001), "duplicate")) == 7


def test_questions_sub_types_and_openings() -> None:
    data = parsed(SEED_001)
    progress = section(data, "1.1", 1)
    assert [q["number"] for q in progress["questions"]] == ["1", "2", "3"]
    q1 = progress["questions"][0]
    assert q1["opening"]["text"].startswith("หน่วยงานการศึกษาและสถานศึกษาสังกัด")
    assert len(q1["paragraphs"]) == 16
    # 2.9's question 1 has its eight printed sub-types (001 L1010–1080)
    q = section(data, "2.9", 1)["questions"][0]
    assert [s["number"] for s in q["subtypes"]] == [f"1.{n}" for n in range(1, 9)]
    # "4) ผลการดำเนินการ" (L200) is a question of the provincial form only
    extra = section(data, "1.2", 1)["questions"][3]
    assert (extra["number"], extra["known"]) == ("4", True)
    assert not any(line == 200 for line, _ in notes(data, "note"))
    # 002's question headings wrap onto the next lines (L11–15) and still match
    two = section(parsed(SEED_002), "1.1", 1)["questions"][0]
    assert two["text"].endswith("ในสถานศึกษา)") and two["known"] is True
    # 002's items "1) … 2) …" under a question are not questions (no blank lines around)
    assert not [m for _, m in notes(parsed(SEED_002), "note") if "ไม่มีในกรอบ" in m]
    assert [len(q["paragraphs"]) for q in section(parsed(SEED_002), "3.6", 1)["questions"]] \
        == [2, 1]


def test_units_named_at_the_start_of_a_paragraph() -> None:
    data = parsed(SEED_001)
    first = section(data, "1.1", 1)["questions"][0]["paragraphs"][0]
    assert first["unit"] == "SPM-74-75"
    assert first["unit_name"] == "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาสมุทรสาคร สมุทรสงคราม"
    anonymous = section(data, "1.1", 1)["questions"][0]["paragraphs"][1]
    assert anonymous["text"].startswith("สถานศึกษาได้มีการ") and anonymous["unit"] == ""
    # a unit the demo doesn't have is named but not matched
    college = next(p for p in section(data, "1.1", 1)["questions"][0]["paragraphs"]
                   if p["text"].startswith("วิทยาลัยสารพัดช่าง"))
    assert (college["unit_name"], college["unit"]) == ("วิทยาลัยสารพัดช่างสมุทรสงคราม", "")
    region = section(parsed(SEED_002), "1.1", 1)["questions"][0]["paragraphs"]
    assert (region[0]["unit"], region[0]["province"]) == ("PEO33", "P33")
    assert region[3]["unit_name"] == "โรงเรียนน้ำยืนวิทยา" and region[3]["province"] == "P34"


# --- the command ------------------------------------------------------------------------


def test_dry_run_stores_nothing() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "inspection", str(seed_path(SEED_002)), "--dry-run",
                 stdout=out, stderr=err)
    text = out.getvalue()
    assert "ประเด็น 27" in text and "แถวปัญหา/แนวทางแก้ไข 49" in text
    assert "3.7.2" in text
    assert "ไม่ได้บันทึก" in err.getvalue()
    assert not ImportedSheet.objects.exists() and not Entry.objects.exists()


def test_dry_run_json_is_the_content_read() -> None:
    out = io.StringIO()
    call_command("import", "inspection", str(seed_path(SEED_001)), "--dry-run",
                 "--format", "json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["schema"] == inspection.SCHEMA
    assert data["counts"]["issues"] == 24 and data["counts"]["problem_rows"] == 59


def test_other_documents_are_rejected_with_the_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import", "inspection", str(seed_path(SEED_004)), "--dry-run",
                     stdout=io.StringIO(), stderr=io.StringIO())
    message = str(refused.value)
    assert "นำเข้ารายงานผลการตรวจราชการ" in message and "ไม่มีการบันทึกข้อมูลใด ๆ" in message
    lines = seed_text(SEED_004).count("\n") + 1
    assert f"บรรทัดที่ {lines}: ไม่พบหัวข้อ \"นโยบายที่ 1\"" in message
    # an office the system doesn't know, on the line that names it
    text = seed_text(SEED_001).replace("สำนักงานศึกษาธิการจังหวัดสมุทรสงคราม ขอรายงาน",
                                       "สำนักงานศึกษาธิการจังหวัดนครสมมุติ ขอรายงาน", 1)
    path = tmp_path / "001-unknown.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as unknown:
        call_command("import", "inspection", str(path), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert "บรรทัดที่ 5: ไม่พบหน่วยงานชื่อ \"สำนักงานศึกษาธิการจังหวัดนครสมมุติ\"" in str(
        unknown.value)
    assert not ImportedSheet.objects.exists() and not Entry.objects.exists()


def test_an_area_office_is_not_an_inspection_compiler() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import", "inspection", str(seed_path(SEED_001)), "--org", "SPP-75",
                     "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    assert "ไม่ใช่สำนักงานศึกษาธิการจังหวัดหรือภาค" in str(refused.value)


# --- draft → accept → the inspection app's records ---------------------------------------


def draft_of(name: str, user: Any = None) -> ImportedSheet:
    raw = seed_text(name)
    data = parsed(name)
    return ImportedSheet.objects.create(
        kind="inspection", org=OrgUnit.objects.get(code=data["office"]["code"]),
        fiscal_year=data["fiscal_year"], source_name=name, raw_text=raw,
        repaired_text=raw, content=data, notes=data["notes"], created_by=user,
    )


def test_the_command_stores_a_draft_only() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "inspection", str(seed_path(SEED_001)), stdout=out, stderr=err)
    draft = ImportedSheet.objects.get()
    assert (draft.kind, draft.org.code, draft.fiscal_year) == ("inspection", "PEO75", 2566)
    assert draft.content["counts"]["problem_rows"] == 59
    assert any(n["kind"] == "none" for n in draft.notes)
    assert f"/imports/{draft.pk}/" in err.getvalue()
    assert not Entry.objects.exists() and not InspectionReport.objects.exists()


def test_accepting_001_writes_the_provincial_report() -> None:
    compiler = make_user("peo75", "reporter", "PEO75")
    draft = draft_of(SEED_001)
    done = accept(draft.pk, compiler)
    report = InspectionReport.objects.get()
    fw = InspectionFramework.objects.get(fiscal_year=2566)
    assert (report.org.code, report.level, report.round, report.framework) == (
        "PEO75", Level.PROVINCE, 2, fw)
    entries = Entry.objects.filter(framework=fw)
    specs = inspection.entry_specs(draft.content)
    # A sub-section of an issue the crosswalk links is written as the units' blocks
    # (the QP form shows the same words); every other line is an entry and a line.
    blocks = Block.objects.filter(source_kind="imported")
    assert blocks.count() > 0
    assert entries.count() == Placement.objects.filter(report=report).count()
    assert entries.count() + blocks.count() == len(specs)
    assert all(b.source["file"] == SEED_001 and b.source["line"] > 0 for b in blocks)
    assert not entries.filter(issue__code="1.1", section="factors").exists()
    factor = blocks.filter(node__code="1.1", kind__code="success_factor").order_by("pk").first()
    assert factor is not None and factor.topic is not None
    # 59 printed rows, one of which (L898) only adds a solution to the row above it
    problems = entries.filter(kind=EntryKind.PROBLEM)
    assert problems.count() + blocks.filter(kind__code="problem").count() == 58
    row7 = problems.get(issue__code="2.7", text__startswith="การประชาสัมพันธ์ไม่ทั่วถึง")
    assert len(row7.solutions) == 2 and row7.solutions[1].startswith("ขอความร่วมมือครู")
    assert set(entries.values_list("province__code", flat=True)) == {"P75"}
    assert entries.filter(unit__code="SPM-74-75").exists()
    # printed list markers are left to the report's own numbering
    network = entries.get(issue__code="1.1", question__number="3",
                          text__startswith="สำนักงานสาธารณสุขจังหวัด")  # "- (1) …" (L108)
    assert network.kind == EntryKind.TEXT
    assert not entries.filter(kind=EntryKind.TEXT, text__regex=r"^(-|\(\d+\)|\d+[.)] )").exists()
    assert entries.filter(kind=EntryKind.NONE, issue__code="1.1", section="suggestions",
                          part="policy").exists()
    assert not entries.filter(section="progress", question=None,
                              issue__code="1.1").exists()
    # lines in the document's order: the first is 1.1's first paragraph
    first = Placement.objects.filter(report=report).order_by("order").first()
    assert first is not None and first.entry.text.startswith(
        "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาสมุทรสาคร")
    # 001 has no vocational issues 3.5–3.7: left out of the report, not missing
    assert sorted(report.omitted_issues.values_list("code", flat=True)) == ["3.5", "3.6", "3.7"]
    assert "รับเข้าแล้ว" in done.summary() and "/inspection/report/PEO75/" in done.summary()
    audit = AuditEntry.objects.get(action=inspection.AUDIT_ACTION)
    assert audit.after["entries"] == entries.count() and audit.user == compiler
    assert dict(audit.after["block_lines"])[factor.pk] == factor.source["line"]
    # each entry is traced to the line it was read from (the models have no source field)
    lines = dict(audit.after["entry_lines"])
    assert lines[row7.pk] == 897 and lines[first.entry_id] == 17
    draft.refresh_from_db()
    assert draft.status == ImportStatus.ACCEPTED


def test_accepting_002_writes_the_regional_report() -> None:
    done = accept(draft_of(SEED_002).pk, None)
    report = InspectionReport.objects.get()
    assert (report.org.code, report.level) == ("REO14", Level.REGION)
    entries = Entry.objects.filter(placements__report=report)
    assert entries.filter(kind=EntryKind.PROBLEM).count() == 49
    assert not entries.filter(issue__code="3.7", section="factors").exists()
    assert set(entries.values_list("province__code", flat=True)) <= {"P33", "P34", "P35", "P37"}
    # the region's lines stay out of its provinces' reports
    assert not entries.filter(is_final=True).exists()
    assert report.omitted_issues.count() == 0
    # units named with their province go to it; the others are counted in the summary
    college = entries.get(text__startswith="วิทยาลัยเทคนิคเดชอุดม อำเภอเดชอุดม",
                          issue__code="1.1", section="progress")
    assert college.province.code == "P34"
    assert "ไม่ทราบจังหวัด" in done.summary() and "จังหวัดศรีสะเกษ" in done.summary()


def test_accept_refuses_to_write_over_a_report() -> None:
    accept(draft_of(SEED_001).pk, None)
    before = Placement.objects.count()
    second = draft_of(SEED_001)
    with pytest.raises(DraftRefused) as refused:
        accept(second.pk, None)
    assert "มีรายงานการตรวจราชการรอบที่ 2/2566 อยู่แล้ว" in str(refused.value)
    assert Placement.objects.count() == before
    second.refresh_from_db()
    assert second.status == ImportStatus.DRAFT


def test_accept_refuses_a_sent_report_even_if_empty() -> None:
    from tidtam.inspection.compile import report_for
    from tidtam.inspection.models import ReportStatus

    report = report_for(InspectionFramework.objects.get(fiscal_year=2566),
                        OrgUnit.objects.get(code="PEO75"))
    InspectionReport.objects.filter(pk=report.pk).update(status=ReportStatus.SENT)
    with pytest.raises(DraftRefused) as refused:
        accept(draft_of(SEED_001).pk, None)
    assert "(ส่งแล้ว 0 บรรทัด)" in str(refused.value)
    assert not Entry.objects.exists()


# --- the review page ---------------------------------------------------------------------


def client_for(username: str, role: str | None, org: str) -> Client:
    client = Client()
    if role:
        user = make_user(username, role, org)
    else:
        user = get_user_model().objects.create_user(username, password=PASSWORD)
    client.force_login(user)
    return client


def test_the_compiler_reviews_and_accepts_on_the_web() -> None:
    draft = draft_of(SEED_002)
    c = client_for("reo14", "reporter", "REO14")
    page = c.get(f"/imports/{draft.pk}/").content.decode()
    assert 'id="count-issues">27<' in page and 'id="count-rows">49<' in page
    assert "3.7.2" in page and 'href="#L1240"' in page
    assert 'id="L1240"' in page  # beside the repaired source
    assert "โรงเรียนน้ำยืนวิทยา" in page
    response = c.post(f"/imports/{draft.pk}/accept/", follow=True)
    assert "รับเข้าแล้ว" in response.content.decode()
    assert InspectionReport.objects.filter(org__code="REO14").exists()
    report = c.get("/inspection/report/REO14/view/")
    assert report.status_code == 200


def test_only_the_offices_compiler_may_accept() -> None:
    draft = draft_of(SEED_001)
    viewer = client_for("peo75-viewer", "viewer", "PEO75")
    assert viewer.get(f"/imports/{draft.pk}/").status_code == 200
    assert viewer.post(f"/imports/{draft.pk}/accept/").status_code == 403
    assert viewer.post(f"/imports/{draft.pk}/reject/").status_code == 403
    outsider = client_for("peo33", "reporter", "PEO33")
    assert outsider.get(f"/imports/{draft.pk}/").status_code == 404
    assert outsider.post(f"/imports/{draft.pk}/accept/").status_code == 404
    assert not InspectionReport.objects.exists()
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT


def test_an_issue_number_the_framework_lacks_is_a_note(tmp_path: Path) -> None:
    lines = seed_text(SEED_001).split("\n")
    for i, line in enumerate(lines):
        if line.startswith(("1.3 ", "1.3.")):
            lines[i] = "1.8" + line[3:]
    path = tmp_path / "001-issue-1.8.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "inspection", str(path), "--dry-run", "--format", "json",
                 stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert "1.8" in issues_of(data) and issues_of(data)["1.8"]["known"] is False
    assert (233, "ประเด็นที่ 1.8 ไม่มีในกรอบการตรวจราชการ จึงไม่รับเข้า") in notes(data, "note")
    assert any("ไม่มีประเด็นที่ 1.3 " in m for _, m in notes(data, "missing"))
    specs = inspection.entry_specs(data)
    assert specs and not any(s["issue"] == "1.8" for s in specs)


def test_a_question_number_the_framework_lacks_is_kept_and_noted(tmp_path: Path) -> None:
    lines = seed_text(SEED_001).split("\n")
    assert lines[117 - 1].startswith("1.1.2 ปัจจัยขับเคลื่อน")
    # a fourth question under 1.1 (the framework has three), just before 1.1.2
    lines[116:116] = ["4) ข้อคำถามที่กรอบไม่มี", "", "สถานศึกษาตอบข้อนี้", ""]
    path = tmp_path / "001-question-4.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "inspection", str(path), "--dry-run", "--format", "json",
                 stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    extra = section(data, "1.1", 1)["questions"][3]
    assert (extra["number"], extra["known"]) == ("4", False)
    assert any(line == 117 and "ไม่มีในกรอบ" in m for line, m in notes(data, "note"))


def test_a_report_printed_in_thai_digits(tmp_path: Path) -> None:
    """Headings "๑.๑ …", "๓.๗.๓ …" are matched to the framework like Arabic ones."""
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    path = tmp_path / "002-thai-digits.txt"
    path.write_text(seed_text(SEED_002).translate(thai), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "inspection", str(path), "--dry-run", "--format", "json",
                 stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert (data["office"]["code"], data["fiscal_year"], data["round"]) == ("REO14", 2566, 2)
    assert (data["counts"]["issues"], data["counts"]["problem_rows"]) == (27, 49)
    assert [m for _, m in notes(data, "missing")] == [
        "ประเด็นที่ 3.7 ไม่มีหัวข้อ 3.7.2 (ปัจจัยขับเคลื่อน…)"]
    # paragraphs keep the digits as printed
    assert "๑๔" in section(data, "1.1", 1)["questions"][0]["opening"]["text"]


def test_an_annual_report_is_not_an_inspection_report() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import", "inspection", str(seed_path("003_aa69ecb6a0438ce4.txt")),
                     "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    assert "ไม่พบหัวข้อ \"นโยบายที่ 1\" ทั้งไฟล์" in str(refused.value)


def test_the_offices_own_paragraphs_print_without_its_name() -> None:
    from tidtam.inspection.document import build

    compiler = make_user("peo75-doc", "reporter", "PEO75")
    accept(draft_of(SEED_001).pk, compiler)
    report = InspectionReport.objects.get()
    office = report.org.name_th
    texts = json.dumps(build(report), ensure_ascii=False, default=str)
    own = Entry.objects.filter(unit=report.org, kind=EntryKind.TEXT).exclude(
        text__startswith=office).first()
    assert own is not None and own.text[:40] in texts
    assert f"{office} {own.text[:40]}" not in texts  # not "ศธจ.… ศธจ.'s own words"
    named = Entry.objects.filter(unit__code="SPM-74-75", kind=EntryKind.TEXT).first()
    assert named is not None and named.text[:30] in texts


# --- a report written here, naming units the tree doesn't have --------------------------

# (printed paragraph, name read, unit code in the tree or "" when it has none)
GENERATED_UNITS = [
    ("โรงเรียนบ้านทุ่งงามวิทยา ได้จัดกิจกรรมซ้อมอพยพหนีไฟทุกภาคเรียน",
     "โรงเรียนบ้านทุ่งงามวิทยา", ""),
    ("วิทยาลัยเทคนิคแม่ทะจัดอบรมครูด้านความปลอดภัยในโรงฝึกงาน",
     "วิทยาลัยเทคนิคแม่ทะ", ""),
    ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต ๔ มีการประเมินความเสี่ยงรอบสถานศึกษา",
     "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต ๔", ""),
    ("สำนักงานส่งเสริมการเรียนรู้จังหวัดลำปางได้ดำเนินการจัดทำแผนเผชิญเหตุ",
     "สำนักงานส่งเสริมการเรียนรู้จังหวัดลำปาง", ""),
    ("สพม. ลำปาง ลำพูน ได้ดำเนินการร่วมกับสถานศึกษาในสังกัด", "สพม. ลำปาง ลำพูน", "SPM-52-51"),
    ("สพป.ลำปาง เขต ๒ ได้ติดตามการดำเนินงานของโรงเรียน", "สพป.ลำปาง เขต 2", "SPP-52-2"),
    ("โรงเรียนในสังกัดมีการตรวจอาคารเรียนทุกภาคเรียน", "", ""),
    ("โรงเรียนมีการติดตามเด็กเพื่อป้องกันเด็กออกกลางคัน", "", ""),
]


def _generated_report(framework: InspectionFramework) -> str:
    """A form รต. report of ลำปาง: one issue, its five sub-sections, the paragraphs above."""
    peo = OrgUnit.objects.get(code="PEO52")
    issue = framework.issues().get(code="1.1")
    question = issue.questions.filter(depth=2).order_by("position").first()
    assert question is not None
    lines = [
        "แบบ รต. 2", f"รายงานผลการตรวจราชการ ปีงบประมาณ พ.ศ. {framework.year} รอบที่ 2",
        f"{peo.name_th} ขอรายงานผลการตรวจราชการ ดังนี้", "",
        f"นโยบายที่ 1 {issue.policy.title}", f"1.1 {issue.title}",
        "1.1.1 ความก้าวหน้าของการดำเนินงานตามนโยบาย", "", f"1) {question.text}", "",
    ]
    for text, _name, _code in GENERATED_UNITS:
        lines += [text, ""]
    lines += ["1.1.2 ปัจจัยขับเคลื่อนสู่ความสำเร็จ", "", "ภาคีเครือข่ายในชุมชนให้ความร่วมมือ", "",
              "1.1.3 ปัญหาและอุปสรรคของการดำเนินงาน", "", "-", "",
              "1.1.4 นวัตกรรม/รูปแบบ/แนวทางการดำเนินงาน ที่คิดว่าเป็นต้นแบบหรือแบบอย่างที่ดี "
              "(Best Practice) (ถ้ามี)", "", "-", "",
              "1.1.5 ข้อเสนอแนะในการดำเนินงาน", "ระดับพื้นที่", "ควรซ้อมแผนทุกภาคเรียน",
              "ระดับนโยบาย", "ควรจัดสรรงบประมาณด้านความปลอดภัย", ""]
    return "\n".join(lines)


def test_units_not_in_the_tree_are_named_kept_and_printed(tmp_path: Path) -> None:
    from tidtam.inspection.document import build

    framework = InspectionFramework.objects.get(code="rt", fiscal_year=2566)
    path = tmp_path / "ลำปาง-รต.txt"
    path.write_text(_generated_report(framework), encoding="utf-8")
    call_command("import", "inspection", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    draft = ImportedSheet.objects.get(source_name=path.name)
    paragraphs = [p for p in section(draft.content, "1.1", 1)["questions"][0]["paragraphs"]]
    assert [(p["unit_name"], p["unit"]) for p in paragraphs] == [
        (name, code) for _text, name, code in GENERATED_UNITS]

    # the review page shows the names, those the tree lacks marked as such
    reviewer = client_for("peo52", "reporter", "PEO52")
    page = reviewer.get(f"/imports/{draft.pk}/").content.decode()
    assert "โรงเรียนบ้านทุ่งงามวิทยา (ไม่มีในระบบ)" in page
    assert "สพม. ลำปาง ลำพูน (ไม่มีในระบบ)" not in page
    assert reviewer.post(f"/imports/{draft.pk}/accept/").status_code == 302

    report = InspectionReport.objects.get(org__code="PEO52")
    entries = {e.text[:20]: e for e in Entry.objects.filter(placements__report=report)}
    for text, name, code in GENERATED_UNITS:
        e = entries[text[:20]]
        assert e.unit.code == (code or "PEO52"), text
        assert e.unit_name == ("" if code else name), text
    # printed under the unit's own name, not the office's
    items = [it for p in build(report)["policies"] for i in p["issues"]
             for s in i["sections"] for q in s.get("questions", [])
             for it in q.get("items", [])]
    printed = {Placement.objects.get(pk=it["id"]).entry.text: it for it in items}
    for text, name, code in GENERATED_UNITS:
        it = printed[text]
        assert it["text"] == text, "named once, as printed"
        unit = OrgUnit.objects.get(code=code or "PEO52")
        assert it["provenance"]["units"] == (unit.name_th if code or not name else name)
    view = reviewer.get("/inspection/report/PEO52/view/").content.decode()
    assert "โรงเรียนบ้านทุ่งงามวิทยา ได้จัดกิจกรรมซ้อมอพยพหนีไฟ" in view
    compiler_page = reviewer.get("/inspection/report/PEO52/?issue=1.1").content.decode()
    assert "วิทยาลัยเทคนิคแม่ทะ ·" in compiler_page


def test_a_report_cut_short_says_where_it_stops() -> None:
    """001 cut to 90% of its lines stops inside 5.3.3: the file's end is named as such."""
    lines = seed_text(SEED_001).split("\n")
    cut = "\n".join(lines[: int(len(lines) * 0.9)])
    data = inspection.parse(cut, "001-cut.txt", None).as_json()
    missing = notes(data, "missing")
    assert (1722, "เอกสารน่าจะถูกตัดท้าย: ไฟล์จบที่บรรทัดที่ 1722 ในหัวข้อ 5.3.3 ทั้งที่ยังไม่มี"
                  "หัวข้อ 5.3.4, 5.3.5 และประเด็นที่ 6.1, 6.2 — ย่อหน้าสุดท้ายอาจขาดหายตอนท้าย "
                  "ตรวจว่าได้ไฟล์ครบทุกหน้า") in missing
    assert not any("ตัดท้าย" in m for _, m in notes(parsed(SEED_001), "missing"))
