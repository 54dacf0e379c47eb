"""`tidtam import annual-report`: seed 003 read into a plan, checked, stored as a draft, accepted.

The figures are written out from the seed (DOMAIN.md §7 and §9, the lines
cited) and compared with the hand-made fixture of the same report
(tidtam/plans/fixtures/spm-65-53-fy2565.yaml): where the two differ, the
seed was read again and the test says which is right and why.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tests.conftest import make_user
from tidtam.accounts.models import Role
from tidtam.audit.models import AuditEntry
from tidtam.ingest.annual_report import ParsedReport, parse_annual_report, unsaved_plan
from tidtam.ingest.drafts import DraftRefused, accept
from tidtam.ingest.handlers.annual_report import HANDLER
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.orgs.models import OrgUnit
from tidtam.plans.checks import check_plan
from tidtam.plans.loader import FIXTURES
from tidtam.plans.models import Activity, Plan, PlanIndicator

from .seeds import seed_path, seed_text

SEED_003 = "003_aa69ecb6a0438ce4.txt"
FIXTURE = FIXTURES / "spm-65-53-fy2565.yaml"

# DOMAIN.md §9: the 14 project budgets of 003, in order.
BUDGETS = ["375000", "31050", "32980", "140980", "147245", "348445", "94795", "152000",
           "43135.20", "90000", "5000", "28256", "30000", "51588"]


@pytest.fixture(scope="module")
def parsed(django_db_setup: None, django_db_blocker: Any) -> ParsedReport:
    with django_db_blocker.unblock():
        return parse_annual_report(seed_text(SEED_003), source_name=SEED_003)


@pytest.fixture(scope="module")
def fixture_plan() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return data


def kinds_at(parsed: ParsedReport, kind: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for d in parsed.discrepancies:
        if d.kind == kind:
            out.setdefault(d.line, []).append(d.message)
    return out


# --- the seed's figures ---------------------------------------------------------------


def test_office_and_year_from_the_cover(parsed: ParsedReport) -> None:
    assert parsed.org.code == "SPM-65-53"
    assert parsed.fiscal_year == 2565


def test_fourteen_projects_whose_budgets_sum_to_1570474_20(parsed: ParsedReport) -> None:
    assert [p.number for p in parsed.projects] == list(range(1, 15))
    assert [p.budget for p in parsed.projects] == [Decimal(b) for b in BUDGETS]
    assert parsed.budget_total() == Decimal("1570474.20")
    # 003 L1033, L2522: as printed, Thai digits read
    assert parsed.projects[0].budget_line == 1033
    assert parsed.projects[8].printed_budget_words == "สี่หมื่นสามพันหนึ่งร้อยสามสิบห้าบาทยี่สิบสตางค์"


def test_responsible_groups(parsed: ParsedReport) -> None:
    groups = {p.number: p.group for p in parsed.projects}
    assert groups[1] == "กลุ่มส่งเสริมการจัดการศึกษา"  # L997
    assert groups[9] == "กลุ่มนโยบายและแผน"  # L2482
    assert groups[12] == "หน่วยตรวจสอบภายใน"  # L2718
    # L1885 leaves project 6's group blank; the Chapter 4 table names it (L3150), noted.
    assert groups[6] == "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา"
    assert any(n.line == 3150 and "1885" in n.message for n in parsed.notes)


def test_amount_in_words_mismatches_are_projects_5_6_7_12(parsed: ParsedReport) -> None:
    """6 (L1933) and 12 (L2734) spell another amount; 5 (L1811) and 7 (L2209) spell none.

    Issue 6 names 6 and 12, the words that read as a different number (348,440
    for 348,445; 28,250 for 28,256). 003 also prints for project 5
    "หนังสือหนังสือหมื่นเจ็ดพัน…" and for project 7 "กำหนดพื้นที่รับผิดชอบให้กำสับหัวบาทถ้วน":
    garbled text where the amount should be written, so those are mismatches too.
    """
    found = kinds_at(parsed, "words_vs_amount")
    assert sorted(found) == [1811, 1933, 2209, 2734]
    assert "348,440" in found[1933][0] and "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน" in found[1933][0]
    assert "28,250" in found[2734][0]
    assert "ไม่ใช่จำนวนเงิน" in found[1811][0] and "ไม่ใช่จำนวนเงิน" in found[2209][0]


def test_chapter_4_lists_51_indicators_48_achieved_not_47_of_49(parsed: ParsedReport) -> None:
    assert parsed.indicator_count() == 51
    plan, _, _, _ = unsaved_plan(parsed.plan_json())
    achievement = plan.achievement()
    assert (achievement.total, achievement.achieved) == (51, 48)
    assert sorted(i.source for i in achievement.missed) == ["L3124", "L3193", "L3238"]
    assert parsed.printed["indicator_count"] == 49 and parsed.printed["achieved_count"] == 47
    at_3061 = [d for d in parsed.discrepancies if d.line == 3061]
    assert {(d.kind, d.printed, d.computed) for d in at_3061} == {
        ("count_vs_list", "49", "51"), ("count_vs_list", "47", "48"),
        ("pct_vs_counts", "95.92", "94.12"),
    }


def test_achieved_flag_contradicting_the_counts(parsed: ParsedReport) -> None:
    """DOMAIN.md §7: 34/57 = 59.65 % against a 60 % target, marked achieved (L3238)."""
    at = kinds_at(parsed, "achieved_flag")
    assert list(at) == [3238]
    assert "59.65" in at[3238][0]


def test_table_13(parsed: ParsedReport) -> None:
    plan, _, _, lines = unsaved_plan(parsed.plan_json())
    totals = plan.execution_totals()
    assert totals["allocated"] == Decimal("318223938.00")
    assert totals["disbursed"] == Decimal("317489822.56")
    assert totals["remaining"] == Decimal("734115.44")
    assert totals["pct"] is not None and round(totals["pct"], 2) == Decimal("99.77")
    assert parsed.printed["budget_totals"] == {
        "allocated": "318223938.00", "disbursed": "317489822.56", "remaining": "734115.44",
        "pct": "99.77"}
    assert [b.category for b in lines] == [
        "personnel", "operating", "subsidy", "investment", "other", "central"]
    assert [b.in_total for b in lines] == [True] * 5 + [False]
    # the central reserve: remainder 4.20 printed 5.20, rate 100.00 printed 99.99 (L3351)
    assert {(d.kind, d.printed, d.computed) for d in parsed.discrepancies if d.line == 3351} == {
        ("total_vs_parts", "5.20", "4.20"), ("pct_vs_counts", "99.99", "100.00")}


def test_every_inconsistency_of_domain_7_in_003(parsed: ParsedReport) -> None:
    got = {(d.line, d.kind, d.printed, d.computed) for d in parsed.discrepancies}
    assert (2283, "total_vs_parts", "362.00", "352.00") in got  # 352 reasons for 362 requests
    assert (3284, "pct_vs_counts", "96.04", "92.49") in got  # 312.923 of 338.316 million
    assert (2979, "pct_vs_counts", "12.59", "12.53") in got  # +4.33 over the national 34.56
    # project 9's indicator of the plan's own rate prints 95.52 for L3061's 47 of 49
    assert (3191, "pct_vs_counts", "95.52", "95.92") in got
    assert (3351, "total_vs_parts", "5.20", "4.20") in got
    assert (3238, "achieved_flag", "บรรลุ", "ไม่บรรลุ") in got
    assert any(line == 1933 and kind == "words_vs_amount" for line, kind, _, _ in got)
    # …and nothing else: every finding listed here was checked against the seed.
    assert sorted({d.line for d in parsed.discrepancies}) == [
        1811, 1933, 2209, 2283, 2734, 2979, 3061, 3191, 3238, 3239, 3269, 3284, 3351]


def test_an_average_over_the_wrong_count(parsed: ParsedReport) -> None:
    """DOMAIN.md §7: Table 12 averages "6 indicators" to 4.83 under 7 listed scores (L3262-3269)."""
    got = {(d.kind, d.printed, d.computed) for d in parsed.discrepancies if d.line == 3269}
    assert got == {("count_vs_list", "6", "7"), ("average_vs_scores", "4.83", "4.86")}


def test_chapter_2_tables_and_their_totals(parsed: ParsedReport) -> None:
    tables = {t.number: t for t in parsed.tables}
    assert sorted(tables) == [1, 2, 3, 4, 5, 6]
    assert tables[1].total == ["รวมทั้งสิ้น", "39", "18", "57"]  # L246: 57 = 39 + 18
    assert tables[2].total is not None and tables[2].total[4] == "42,753"  # L254
    assert tables[6].total == ["รวมทั้งสิ้น", "2,690"]  # L300
    assert len(tables[6].rows) == 11
    # Table 5's sub-totals ("รวม ม.ต้น") are not rows; the rows add up to its total.
    assert len(tables[5].rows) == 6
    assert not any(d.where.startswith("ตารางที่") for d in parsed.discrepancies)


# --- the same report encoded by hand ------------------------------------------------------


def _indicator_row(row: list[Any]) -> list[Any]:
    """A fixture indicator row without the name (the fixture retyped the names)."""
    (activity, _name, target, target_unit, actual, actual_unit, count, count_unit, den, ach,
     line) = row
    return [activity, Decimal(str(target)), target_unit,
            None if actual is None else Decimal(str(actual)), actual_unit, count,
            count_unit or "", den, ach, line]


def test_agrees_with_the_hand_made_fixture(parsed: ParsedReport,
                                           fixture_plan: dict[str, Any]) -> None:
    ours = parsed.plan_data()
    assert ours["office"] == fixture_plan["office"]
    assert ours["fiscal_year"] == fixture_plan["fiscal_year"]
    assert ours["printed"] == fixture_plan["printed"]
    assert ours["budget_lines"] == fixture_plan["budget_lines"]
    mine = {p["number"]: p for p in ours["projects"]}
    theirs = {p["number"]: p for p in fixture_plan["projects"]}
    assert sorted(mine) == sorted(theirs)
    for number, want in theirs.items():
        got = mine[number]
        for key in ("budget", "printed_budget_words", "group", "policy_area"):
            assert str(got[key]) == str(want[key]), (number, key)
        # every activity the fixture keeps is in the table (it keeps only some: 4's 1, 2, 6, 7)
        assert set(want.get("activities") or {}) <= set(got["activities"]), number
        got_rows = [_indicator_row(r) for r in got["indicators"]]
        want_rows = [_indicator_row(r) for r in want["indicators"]]
        if number == 14:
            # L3239 "ร้อยละของสถานศึกษาในสังกัด… 53 โรงเรียน": the same wording as L3238,
            # whose 34 the fixture takes out of the area's 57 schools. The fixture leaves
            # this denominator unknown; the seed reads 53 of the same 57 (92.98 %, printed
            # as 100 %, so it is listed), and it stays achieved (target 50 %).
            assert got_rows[2][7] == 57 and want_rows[2][7] is None
            got_rows[2][7] = None
        assert got_rows == want_rows, number
    # Owners: the fixture shortened two that 003's Chapter 4 table prints in full.
    owners = {n: (mine[n]["owner"], theirs[n]["owner"]) for n in theirs
              if mine[n]["owner"] != theirs[n]["owner"]}
    assert owners == {
        8: ("นางจันทร์ดา พันธุ์พชรรัตน์", "นางจันทร์ดา"),  # L3182
        12: ("นางจาวรธรรม โพธิ์ทอง", ""),  # L3214
    }
    # Titles are Chapter 3's headings. 003 prints project 12 both ways: "…ประสิทธิภาพ
    # ตรวจสอบภายใน" in Chapter 3 (L2700) and the lists (L3057), "…ประสิทธิภาพการตรวจสอบ
    # ภายใน" in Table 7 (L493) and Chapter 4's table (L3214), which the fixture took.
    titles = {n: mine[n]["title"] for n in theirs if mine[n]["title"] != theirs[n]["title"]}
    assert titles == {12: "โครงการพัฒนาประสิทธิภาพตรวจสอบภายใน"}


def squash(text: str) -> str:
    return "".join(text.split())


def test_alignment_agrees_with_the_fixture(parsed: ParsedReport,
                                           fixture_plan: dict[str, Any]) -> None:
    """Table 7 (L456-498): the same tags per kind (003 wraps some in a cell: spaces differ)."""
    ours = parsed.plan_json()
    labels = list(ours["alignment_kinds"].values())
    assert labels[0] == "ยุทธศาสตร์ชาติ" and labels[3] == "นโยบาย สพฐ."
    fixture_keys = list(fixture_plan["alignment_kinds"])
    assert len(labels) == len(fixture_keys)
    for mine, theirs in zip(ours["projects"], fixture_plan["projects"], strict=True):
        for key, fixture_key in zip(ours["alignment_kinds"], fixture_keys, strict=True):
            assert [squash(t) for t in mine["alignment"][key]] == [
                squash(t) for t in theirs["alignment"][fixture_key]], (mine["number"], key)


def test_texts_of_the_plan_and_of_each_project(parsed: ParsedReport,
                                               fixture_plan: dict[str, Any]) -> None:
    plan = parsed.plan_json()
    # the fixture quotes the second of the three problems (L3359)
    assert squash(fixture_plan["problems"]) in squash(plan["problems"])
    assert plan["suggestions"].count("\n") == 4  # L3365-3373: a lead line and four items
    assert plan["introduction"].startswith("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์ ได้ดำเนินงาน")
    assert "2566" in plan["next_year_direction"]
    for p in plan["projects"]:
        for key in ("objectives", "results", "problems", "suggestions"):
            assert p[key], (p["number"], key)
    first = plan["projects"][0]
    assert first["problems"].startswith("สถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019")  # L1065
    assert first["objectives"].count("\n") == 2  # L993-995


def test_statements_agree_with_the_fixture(parsed: ParsedReport,
                                           fixture_plan: dict[str, Any]) -> None:
    def key(s: dict[str, Any]) -> tuple[Any, ...]:
        if s["kind"] == "sum":
            return ("sum", Decimal(s["stated"]), tuple(Decimal(v) for _, v in s["parts"]))
        return ("ratio", Decimal(s["part"]), Decimal(s["whole"]), Decimal(s["stated"]))

    mine = {key(s) for s in parsed.statements}
    theirs = {key(s) for s in fixture_plan["statements"]}
    # including the fixture's pairing of L3191's 95.52 with L3061's "47 of 49"
    assert theirs <= mine
    # The importer also reads the O-NET gaps stated as shares of the national average
    # (L2979 "4.33 … ร้อยละ 12.59" over 34.56 at L2977; L3012 "1.21 … 3.81" over 31.75).
    assert mine - theirs == {
        ("ratio", Decimal("4.33"), Decimal("34.56"), Decimal("12.59")),
        ("ratio", Decimal("1.21"), Decimal("31.75"), Decimal("3.81")),
    }


def test_context_tables_agree_with_the_fixture(parsed: ParsedReport,
                                               fixture_plan: dict[str, Any]) -> None:
    """Tables 1, 2 and 6 of the fixture: the same figures row by row (labels were retyped)."""
    mine = {t["title"]: t for t in parsed.plan_json()["context"]}
    by_rows = {tuple(tuple(Decimal(v) for v in r[1:]) for r in t["rows"]): t for t in mine.values()}
    for want in fixture_plan["context"]:
        figures = tuple(tuple(Decimal(str(v)) for v in r[1:]) for r in want["rows"])
        assert figures in by_rows, want["title"]


# --- the command ---------------------------------------------------------------------------


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "annual-report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_stores_nothing(db: None) -> None:
    before = Plan.objects.count()
    out, err = run_import(str(seed_path(SEED_003)), "--dry-run", "--format", "json")
    data = json.loads(out)
    assert data["office"] == "SPM-65-53" and data["fiscal_year"] == 2565
    assert len(data["plan"]["projects"]) == 14
    assert data["budget_total"] == "1570474.20"
    assert data["indicator_count"] == 51
    assert {d["line"] for d in data["discrepancies"] if d["kind"] == "words_vs_amount"} == {
        1811, 1933, 2209, 2734}
    assert "--dry-run" in err
    assert Plan.objects.count() == before


def test_dry_run_text_summary(db: None) -> None:
    out, _ = run_import(str(seed_path(SEED_003)), "--dry-run")
    assert "SPM-65-53" in out
    assert "14 โครงการ" in out and "1,570,474.20" in out
    assert "บรรทัดที่ 1933" in out


def test_another_kind_of_document_is_rejected_with_its_line(db: None, tmp_path: Path) -> None:
    other = tmp_path / "sheet.txt"
    other.write_text("แบบรายงานผลการติดตาม\nไม่ใช่รายงานประจำปี\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        run_import(str(other))
    assert "บรรทัดที่" in str(caught.value) and "ไม่มีการบันทึกข้อมูลใด ๆ" in str(caught.value)


def test_a_report_cut_before_its_budget_table_is_rejected(db: None, tmp_path: Path) -> None:
    text = seed_text(SEED_003).split("\n")
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(text[:3300]), encoding="utf-8")  # before Table 13 (L3342)
    before = ImportedSheet.objects.count()
    with pytest.raises(Exception) as caught:
        run_import(str(cut))
    assert "บรรทัดที่ 3300" in str(caught.value)
    assert ImportedSheet.objects.count() == before


def test_a_project_without_its_budget_line_is_named(db: None, tmp_path: Path) -> None:
    lines = seed_text(SEED_003).split("\n")
    assert lines[2209 - 1].startswith("งบประมาณ จำนวน")
    broken = tmp_path / "no-budget.txt"
    broken.write_text("\n".join(lines[:2208] + lines[2209:]), encoding="utf-8")
    with pytest.raises(Exception) as caught:
        run_import(str(broken), "--dry-run")
    message = str(caught.value)
    assert "บรรทัดที่ 1993" in message and "โครงการที่ 7" in message  # project 7's heading


def test_the_same_report_with_arabic_digits_reads_the_same(parsed: ParsedReport, db: None) -> None:
    from tidtam.thai.numbers import to_arabic_digits

    again = parse_annual_report(to_arabic_digits(seed_text(SEED_003)), source_name=SEED_003)
    assert again.plan_json() == parsed.plan_json()
    assert [d.as_dict() for d in again.discrepancies] == [
        d.as_dict() for d in parsed.discrepancies]


def test_org_given_on_the_command_line_wins(db: None) -> None:
    other = OrgUnit.objects.get(code="SPM-52-51")
    parsed = parse_annual_report(seed_text(SEED_003), source_name=SEED_003, org=other)
    assert parsed.org == other
    assert any("ไม่ตรงกับ" in n.message for n in parsed.notes)


# --- draft → accept → the office's plan ------------------------------------------------------


def make_draft(org_code: str | None = None) -> ImportedSheet:
    raw = seed_text(SEED_003)
    org = OrgUnit.objects.get(code=org_code) if org_code else None
    return HANDLER.create_draft(HANDLER.parse(raw, SEED_003, org), raw, None)


def test_import_stores_a_draft_only(db: None) -> None:
    plans = Plan.objects.count()
    _, err = run_import(str(seed_path(SEED_003)))
    draft = ImportedSheet.objects.latest("pk")
    assert f"/imports/{draft.pk}/" in err
    assert draft.kind == "annual-report" and draft.status == ImportStatus.DRAFT
    assert draft.org.code == "SPM-65-53" and draft.fiscal_year == 2565
    assert len(draft.discrepancies) == 18
    assert {d["line"] for d in draft.discrepancies} >= {1933, 2734, 3061, 3238, 3351}
    assert Plan.objects.count() == plans


def test_accept_writes_the_plan_of_the_printed_office(db: None) -> None:
    """The demo already has SPM-65-53's FY2565 plan (from the fixture): delete it first."""
    Plan.objects.filter(office__code="SPM-65-53", fiscal_year=2565).delete()
    draft = make_draft()
    user = make_user("planner", Role.REPORTER, "SPM-65-53")
    done = accept(draft.pk, user)
    plan = Plan.objects.get(office__code="SPM-65-53", fiscal_year=2565)
    assert "14 โครงการ" in done.summary() and "51 ตัว" in done.summary()
    assert plan.projects.count() == 14
    assert PlanIndicator.objects.filter(project__plan=plan).count() == 51
    assert plan.budget_lines.count() == 6
    assert Activity.objects.filter(project__plan=plan).count() == 70
    assert plan.budget_total() == Decimal("1570474.20")
    achievement = plan.achievement()
    assert (achievement.total, achievement.achieved) == (51, 48)
    assert plan.execution_totals()["remaining"] == Decimal("734115.44")
    assert plan.projects.get(number=6).budget_words == "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน"
    assert plan.projects.get(number=1).problems.startswith("สถานการณ์การแพร่ระบาด")
    assert plan.problems and plan.suggestions and len(plan.alignment_kinds) == 4
    assert [len(c["rows"]) for c in plan.context] == [4, 2, 2, 2, 6, 11]
    # the office's own checks over the stored plan find what the draft listed (but Table
    # 12's average, OBEC's scores of the office, which a plan does not hold)
    assert len(check_plan(plan)) == len([d for d in draft.discrepancies if d["line"] != 3269])
    source = PlanIndicator.objects.get(project__plan=plan, project__number=14, order=2).source
    assert source == f"{SEED_003} L3238"
    draft.refresh_from_db()
    assert draft.status == ImportStatus.ACCEPTED
    entry = AuditEntry.objects.get(action="plan_import", org=plan.office)
    assert entry.user == user and entry.after["projects"] == 14
    assert entry.after["budget_total"] == "1570474.20"


def test_accept_refuses_when_the_office_has_a_plan_for_the_year(db: None) -> None:
    existing = Plan.objects.get(office__code="SPM-65-53", fiscal_year=2565)
    projects = list(existing.projects.values_list("pk", "title", "budget"))
    draft = make_draft()
    with pytest.raises(DraftRefused) as refused:
        accept(draft.pk, make_user("planner", Role.APPROVER, "SPM-65-53"))
    assert existing.title in str(refused.value) and "ไม่เขียนทับ" in str(refused.value)
    assert list(existing.projects.values_list("pk", "title", "budget")) == projects
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT
    assert not AuditEntry.objects.filter(action="plan_import").exists()


# --- the review page -----------------------------------------------------------------------


def login_as(client: Client, role: str, org_code: str) -> Client:
    client.force_login(make_user(f"u-{role}-{org_code}", role, org_code))
    return client


def test_review_page_shows_what_was_read(client: Client, db: None) -> None:
    draft = make_draft("SPM-74-75")
    page = login_as(client, Role.VIEWER, "SPM-74-75").get(f"/imports/{draft.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1,570,474.20" in html and "318,223,938.00" in html and "734,115.44" in html
    assert 'href="#L1933"' in html and 'id="L1933"' in html
    assert "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน" in html
    assert "บรรลุ 48 จาก 51" in html
    assert "ตารางที่ 6" in html
    assert "ประเด็นที่ 21 การต่อต้าน" in html  # project 14's alignment (L498)
    assert "ระบบการติดตาม ประเมินผล มีมาก ซ้ำซ้อน" in html  # the plan's problems (L3359)
    assert 'action="/imports/' not in html  # a viewer may not decide


def test_only_the_offices_reporters_or_approvers_accept(client: Client, db: None) -> None:
    draft = make_draft("SPM-74-75")
    url = f"/imports/{draft.pk}/accept/"
    assert login_as(client, Role.EVALUATOR, "SPM-74-75").post(url).status_code == 403
    client.logout()
    assert login_as(client, Role.APPROVER, "SPM-52-51").post(url).status_code == 404
    client.logout()
    assert not Plan.objects.filter(office__code="SPM-74-75").exists()
    response = login_as(client, Role.REPORTER, "SPM-74-75").post(url)
    assert response.status_code == 302
    plan = Plan.objects.get(office__code="SPM-74-75", fiscal_year=2565)
    assert plan.projects.count() == 14


def test_refusal_is_shown_and_changes_nothing(client: Client, db: None) -> None:
    draft = make_draft()
    c = login_as(client, Role.APPROVER, "SPM-65-53")
    page = c.post(f"/imports/{draft.pk}/accept/", follow=True).content.decode()
    assert "ไม่เขียนทับ" in page and 'id="existing-plan"' in page
    assert Plan.objects.filter(office__code="SPM-65-53", fiscal_year=2565).count() == 1


def _cut_003(share: float) -> list[str]:
    lines = seed_text(SEED_003).split("\n")
    parsed = parse_annual_report("\n".join(lines[: int(len(lines) * share)]),
                                 source_name="003-cut.txt")
    return [str(n) for n in parsed.notes if "สารบัญ" in n.message]


def test_a_report_cut_short_is_named_by_its_own_contents(db: None, parsed: ParsedReport
                                                          ) -> None:
    """The table of contents lists chapter 5 and the end matter; a file without them ended early."""
    assert [n for n in parsed.notes if "สารบัญ" in n.message] == []
    assert _cut_003(0.9) == [  # ends after Table 13, before chapter 5 (L3377)
        "บรรทัดที่ 105: สารบัญระบุบทที่ 5 แต่ไม่พบบทที่ 5 ในเนื้อหา",
        "บรรทัดที่ 3355: เอกสารน่าจะถูกตัดท้าย: ไฟล์จบที่บรรทัดที่ 3355 ก่อนบทที่ 5 ที่สารบัญระบุ "
        "— ย่อหน้าสุดท้ายอาจขาดหายตอนท้าย ตรวจว่าได้ไฟล์ครบทุกหน้า"]
    in_chapter_5 = _cut_003(0.95)  # ends in chapter 5's strategies, before the appendix
    assert len(in_chapter_5) == 1 and in_chapter_5[0].startswith(
        "บรรทัดที่ 3542: เอกสารน่าจะถูกตัดท้าย: ไฟล์จบที่บรรทัดที่ 3542 ก่อนภาคผนวก, ")
    assert "คณะผู้จัดทำ ที่สารบัญระบุ" in in_chapter_5[0]
