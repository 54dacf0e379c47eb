"""Importing seed 004 (the e-MES result sheet of สพม.ลำปาง ลำพูน) back into the system."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests import seed004
from tests.ingest.reviewers import trial_office
from tests.ingest.seeds import SEED_000, SEED_004, seed_path, seed_text
from tidtam.accounts.models import Role, RoleAssignment
from tidtam.audit.models import Action, AuditEntry
from tidtam.documents.esa_sheet import build_sheet
from tidtam.evaluation.models import Rating, Recommendation
from tidtam.ingest.drafts import DraftRefused, accept, create_draft
from tidtam.ingest.emes_sheet import PREVIEW_ORG_CODE, SheetRejected, parse_emes_sheet
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def edited_004(tmp_path: Path, line: int, old: str, new: str) -> Path:
    """A copy of seed 004 with one printed value changed on one line."""
    lines = seed_text(SEED_004).split("\n")
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path = tmp_path / "004-edited.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def dry_run_json(path: Path, *extra: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "emes-sheet", str(path), "--dry-run", "--format", "json", *extra,
                 stdout=out, stderr=err)
    assert "ไม่ได้บันทึก" in err.getvalue()
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def figures(sheet: dict[str, Any]) -> dict[str, Any]:
    """The QP/AP/ESA figures of a content model, without ids, lines or text."""
    def rows(block: dict[str, Any], keys: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return [tuple(r.get(k) for k in ("code", *keys)) for r in block["rows"]]

    qp, ap, esa = sheet["qp"], sheet["ap"], sheet["esa"]
    return {
        "frameworks": sheet["frameworks"],
        "qp": rows(qp, ("rounds", "average", "label", "applicable", "status")),
        "qp_overall": tuple(qp["overall"][k] for k in ("average", "label", "level", "count")),
        "ap_rated": rows(ap["rated"], ("level", "label", "status")),
        "ap_target": rows(ap["target"], ("target", "unit", "actual", "achieved", "result_label")),
        "ap_notes": [(r["code"], r["status"]) for r in ap["notes"]],
        "ap_overall": tuple(ap["overall"][k] for k in ("average", "label", "level", "count")),
        "esa": rows(esa, ("depth", "method", "level", "label", "status", "applicable")),
        "esa_suggestions": [(r["code"], r.get("suggestion"), r.get("differs"))
                            for r in esa["rows"] if "suggestion" in r],
        "esa_overall": tuple(esa["overall"][k] for k in ("level", "label", "count", "average")),
        "summary": [(i["framework"], i["label"]) for i in sheet["summary"]["items"]],
        "recommendations": [(r["framework"], r["code"]) for r in sheet["recommendations"]],
    }


def squash(text: str) -> str:
    return "".join(text.split())


def test_dry_run_json_gives_the_figures_of_build_sheet(spm: OrgUnit) -> None:
    ratings_before = Rating.objects.count()
    data = dry_run_json(seed_path(SEED_004))
    assert data["schema"] == "tidtam.esa-sheet/1"
    assert data["office"]["code"] == seed004.ORG and data["fiscal_year"] == seed004.YEAR
    assert figures(data) == figures(build_sheet(spm, seed004.YEAR))
    # and those are the figures the document prints (DOMAIN.md §9)
    qp = {r["code"]: r for r in data["qp"]["rows"]}
    for code, (r6, r12, avg, label) in seed004.QP.items():
        assert (qp[code]["rounds"]["6m"], qp[code]["rounds"]["12m"]) == (r6, r12)
        assert (qp[code]["average"], qp[code]["label"]) == (avg, label)
    assert qp["4"]["line"] == 80  # every row says where it was printed
    assert data["import"]["discrepancies"] == []
    assert len(data["import"]["ratings"]) == 67
    # nothing was written, not even the stand-in office the figures were computed for
    assert Rating.objects.count() == ratings_before
    assert not ImportedSheet.objects.exists()
    assert not OrgUnit.objects.filter(code=PREVIEW_ORG_CODE).exists()


def test_recommendations_are_read_per_indicator(spm: OrgUnit) -> None:
    data = dry_run_json(seed_path(SEED_004))
    stored = {r["code"]: r["text"] for r in build_sheet(spm, seed004.YEAR)["recommendations"]}
    read = {r["code"]: r["text"] for r in data["recommendations"]}
    assert list(read) == [c for c in seed004.QP if c != "6a"]
    # The seed drops two tone marks in QP1 ("ใหมีการใชงาน", 004 L358) that the
    # hand-typed demo text restores; every other paragraph reads letter for letter.
    differing = [c for c in read if squash(read[c]) != squash(stored[c])]
    assert differing == ["1"]
    assert squash(read["1"]).replace("ใหมีการใชงาน", "ให้มีการใช้งาน") == squash(stored["1"])


def test_a_changed_printed_average_is_reported_with_its_line(tmp_path: Path) -> None:
    path = edited_004(tmp_path, 84, "2 5 3.50", "2 5 3.60")  # QP4: levels 2 and 5
    data = dry_run_json(path)
    found = data["import"]["discrepancies"]
    assert [(d["line"], d["framework"], d["code"], d["field"], d["printed"], d["computed"])
            for d in found] == [(84, "qp", "4", "average", "3.60", "3.50")]
    assert "3.60" in found[0]["message"] and "3.50" in found[0]["message"]
    row = next(r for r in data["qp"]["rows"] if r["code"] == "4")
    assert row["average"] == "3.60" and row["computed"] == {"average": "3.50"}  # as printed


def test_changed_labels_and_overall_are_reported(tmp_path: Path) -> None:
    path = edited_004(tmp_path, 130, "3.83 ดีมาก", "3.85 ดีเยี่ยม")
    found = {(d["line"], d["field"]): d for d in dry_run_json(path)["import"]["discrepancies"]}
    assert found[(130, "average")]["computed"] == "3.83"
    assert found[(130, "label")]["computed"] == "ดีมาก"
    path = edited_004(tmp_path, 326, "5 ดีเยี่ยม", "5 ดีมาก")  # ESA 3.4.4.2
    found = {(d["line"], d["code"]): d for d in dry_run_json(path)["import"]["discrepancies"]}
    assert found[(326, "3.4.4.2")]["computed"] == "ดีเยี่ยม"


def test_import_without_dry_run_stores_a_draft_only(spm: OrgUnit) -> None:
    ratings_before = list(Rating.objects.filter(org=spm).values_list("pk", "level", "status"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "emes-sheet", str(seed_path(SEED_004)), stdout=out, stderr=err)
    assert "ตัวเลขที่พิมพ์ตรงกับที่คำนวณ" in out.getvalue()
    draft = ImportedSheet.objects.get()
    assert f"/imports/{draft.pk}/" in err.getvalue()
    assert (draft.org, draft.fiscal_year, draft.status) == (spm, 2566, ImportStatus.DRAFT)
    assert draft.source_name == seed_path(SEED_004).name
    assert draft.raw_text == seed_text(SEED_004)
    assert seed004.OFFICE_NAME in draft.repaired_text
    assert draft.discrepancies == [] and len(draft.ratings) == 67
    assert len(draft.recommendations) == 12
    assert list(Rating.objects.filter(org=spm).values_list("pk", "level", "status")) \
        == ratings_before


@pytest.fixture
def fresh_office() -> OrgUnit:
    return trial_office("SPM-99", "ทดลองนำเข้า")


def test_accepting_into_a_fresh_office_reproduces_the_sheet(
    spm: OrgUnit, fresh_office: OrgUnit
) -> None:
    raw = seed_text(SEED_004)
    parsed = parse_emes_sheet(raw, source_name=SEED_004, org=fresh_office)
    assert any("ไม่ตรงกับ" in n.message for n in parsed.notes)  # the printed name is 004's
    draft = create_draft(parsed, raw)
    reviewer = get_user_model().objects.create_user("reviewer", password="x-long-password-1")
    done = accept(draft.pk, reviewer)
    assert (done.created, done.updated, done.recommendations) == (67, 0, 12)
    sheet = build_sheet(fresh_office, seed004.YEAR)
    assert figures(sheet) == figures(build_sheet(spm, seed004.YEAR))
    assert figures(sheet) == figures(draft.content)
    assert [squash(r["text"]) for r in sheet["recommendations"]] == [
        squash(r["text"]) for r in draft.content["recommendations"]
    ]
    draft.refresh_from_db()
    assert draft.status == ImportStatus.ACCEPTED and draft.decided_by == reviewer
    assert draft.decided_at is not None and "เพิ่มใหม่ 67" in draft.decision_note
    with pytest.raises(DraftRefused):
        accept(draft.pk, reviewer)  # once only
    # every rating and recommendation written is in the audit log, keyed to it
    audited = AuditEntry.objects.filter(org=fresh_office, user=reviewer)
    ratings = audited.filter(action=Action.RATING_IMPORT)
    assert ratings.count() == 67
    assert set(ratings.values_list("object_id", flat=True)) == set(
        Rating.objects.filter(org=fresh_office).values_list("pk", flat=True))
    assert all(e.before is None and e.after["status"] for e in ratings)
    assert f"ร่างนำเข้าเลขที่ {draft.pk}" in ratings.first().comment
    assert audited.filter(action=Action.RECOMMENDATION_IMPORT).count() == 12
    assert AuditEntry.objects.about(draft).get(action=Action.IMPORT_ACCEPT).after["status"] \
        == ImportStatus.ACCEPTED


def test_accepting_never_overwrites_stored_ratings(spm: OrgUnit, tmp_path: Path) -> None:
    path = edited_004(tmp_path, 72, "4 3 3.50", "5 3 4.00")  # QP1 6-month 4 → 5
    raw = path.read_text(encoding="utf-8")
    draft = create_draft(parse_emes_sheet(raw, source_name=path.name), raw)
    stored = list(Rating.objects.filter(org=spm).values_list("pk", "level", "status"))
    with pytest.raises(DraftRefused) as refused:
        accept(draft.pk, None)
    assert "บรรทัดที่ 72" in str(refused.value) and "เขียนทับ" in str(refused.value)
    assert list(Rating.objects.filter(org=spm).values_list("pk", "level", "status")) == stored
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT


@pytest.mark.parametrize(("line", "old", "new", "expected"), [
    (9, "ลําปาง ลําพูน", "ลําปาง นาน", "บรรทัดที่ 9: ไม่พบหน่วยงานชื่อ"),
    (7, "2566", "2599", "บรรทัดที่ 7: ปีงบประมาณ 2599 ยังไม่มีกรอบการประเมิน"),
    (108, "ที่ 9 ", "ที่ 99 ", "บรรทัดที่ 108: ไม่พบ \"ตัวชี้วัดที่ 99\""),
    (72, "4 3 3.50", "4 7 3.50", "บรรทัดที่ 72: ระดับคุณภาพต้องเป็น 1–5"),
    (95, "- - - -", "3 4 3.50 ดีมาก", "บรรทัดที่ 95: ตัวชี้วัด 6a ใช้เฉพาะ สพป."),
])
def test_bad_input_is_refused_in_thai_with_its_line(
    tmp_path: Path, line: int, old: str, new: str, expected: str
) -> None:
    path = edited_004(tmp_path, line, old, new)
    ratings = Rating.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("import", "emes-sheet", str(path), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert expected in str(refused.value)
    assert "ไม่มีการบันทึกข้อมูลใด ๆ" in str(refused.value)
    assert Rating.objects.count() == ratings and not ImportedSheet.objects.exists()


def test_a_document_that_is_not_a_result_sheet() -> None:
    with pytest.raises(SheetRejected) as refused:
        parse_emes_sheet(seed_text(SEED_000), source_name=SEED_000)
    assert "ไม่ใช่แบบรายงานผลการประเมินของ e-MES" in refused.value.report()
    with pytest.raises(CommandError) as unknown:
        call_command("import", "emes-sheet", str(seed_path(SEED_004)), "--org", "NOPE",
                     stdout=io.StringIO())
    assert "ไม่พบหน่วยงานรหัส 'NOPE'" in str(unknown.value)


# --- the review pages ------------------------------------------------------------


@pytest.fixture
def draft(spm: OrgUnit, fresh_office: OrgUnit) -> ImportedSheet:
    raw = seed_text(SEED_004)
    return create_draft(parse_emes_sheet(raw, source_name=SEED_004, org=fresh_office), raw)


def user_with(role: str | None, org: OrgUnit, client: Client) -> Client:
    user = get_user_model().objects.create_user(f"u-{role}", password="a-long-test-password")
    if role:
        RoleAssignment.objects.create(user=user, role=role, org=org)
    client.force_login(user)
    return client


def test_review_pages_need_a_login(client: Client, draft: ImportedSheet) -> None:
    for url in ["/imports/", f"/imports/{draft.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post(f"/imports/{draft.pk}/accept/").status_code == 302
    assert draft.ratings and not Rating.objects.filter(org=draft.org).exists()


def test_evaluator_reviews_and_accepts(
    client: Client, draft: ImportedSheet, fresh_office: OrgUnit
) -> None:
    c = user_with(Role.EVALUATOR, fresh_office, client)
    listing = c.get("/imports/").content.decode()
    assert "สพม.ทดลอง" in listing and f"/imports/{draft.pk}/" in listing
    page = c.get(f"/imports/{draft.pk}/").content.decode()
    assert 'lang="th"' in page and "รับเข้า" in page
    assert "ตัวชี้วัดที่ 6b" in page and "3.83" in page  # the parsed sheet
    assert 'id="L84"' in page  # beside the repaired source, line by line
    assert "ไม่มี: ค่าเฉลี่ย" in page  # no discrepancies in 004
    response = c.post(f"/imports/{draft.pk}/accept/", follow=True)
    assert "รับเข้าแล้ว" in response.content.decode()
    assert Rating.objects.filter(org=fresh_office).count() == 67
    assert Recommendation.objects.filter(org=fresh_office).count() == 12
    draft.refresh_from_db()
    assert draft.status == ImportStatus.ACCEPTED and draft.decided_by is not None


def test_discrepancies_show_on_the_review_page(
    client: Client, fresh_office: OrgUnit, tmp_path: Path
) -> None:
    path = edited_004(tmp_path, 84, "2 5 3.50", "2 5 3.60")
    raw = path.read_text(encoding="utf-8")
    d = create_draft(parse_emes_sheet(raw, source_name=path.name, org=fresh_office), raw)
    page = user_with(Role.VIEWER, fresh_office, client).get(f"/imports/{d.pk}/").content.decode()
    assert 'href="#L84"' in page and "3.60" in page
    assert 'class="marked"' in page
    assert "ผู้ประเมินของหน่วยงานนี้เป็นผู้รับเข้า" in page  # a viewer can't decide


def test_only_an_evaluator_of_the_office_may_decide(
    client: Client, draft: ImportedSheet, fresh_office: OrgUnit, spm: OrgUnit
) -> None:
    viewer = user_with(Role.VIEWER, fresh_office, client)
    assert viewer.post(f"/imports/{draft.pk}/accept/").status_code == 403
    assert viewer.post(f"/imports/{draft.pk}/reject/").status_code == 403
    other = Client()
    user_with(Role.EVALUATOR, spm, other)  # evaluates another office: can't even see it
    assert other.get(f"/imports/{draft.pk}/").status_code == 404
    assert f"/imports/{draft.pk}/" not in other.get("/imports/").content.decode()
    assert not Rating.objects.filter(org=fresh_office).exists()


def test_reject_keeps_ratings_untouched(
    client: Client, draft: ImportedSheet, fresh_office: OrgUnit
) -> None:
    c = user_with(Role.EVALUATOR, fresh_office, client)
    c.post(f"/imports/{draft.pk}/reject/", {"reason": "ไฟล์ผิดปี"})
    draft.refresh_from_db()
    assert draft.status == ImportStatus.REJECTED and draft.decision_note == "ไฟล์ผิดปี"
    assert not Rating.objects.filter(org=fresh_office).exists()
    response = c.post(f"/imports/{draft.pk}/accept/", follow=True)
    assert "ไม่รับไปแล้ว" in response.content.decode()


def test_a_viewer_cannot_create_a_draft(client: Client, fresh_office: OrgUnit) -> None:
    """Only those who may accept a kind of document may start one (a reporter neither)."""
    for role in (Role.VIEWER, Role.REPORTER):
        c = user_with(role, fresh_office, Client())
        with seed_path(SEED_004).open("rb") as f:
            page = c.post("/imports/upload/", {"file": f, "org": fresh_office.code},
                          follow=True).content.decode()
        assert "ต้องเป็นผู้ประเมินของหน่วยงานนี้" in page, role
    assert not ImportedSheet.objects.exists()


def test_upload_creates_a_draft(client: Client, fresh_office: OrgUnit) -> None:
    c = user_with(Role.EVALUATOR, fresh_office, client)
    with seed_path(SEED_004).open("rb") as f:
        response = c.post("/imports/upload/", {"file": f, "org": fresh_office.code})
    d = ImportedSheet.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{d.pk}/"
    assert d.org == fresh_office and d.created_by is not None
    with seed_path(SEED_000).open("rb") as f:
        page = c.post("/imports/upload/", {"file": f}, follow=True).content.decode()
    assert "ไม่ใช่แบบรายงานผลการประเมินของ e-MES" in page
    assert ImportedSheet.objects.count() == 1


def test_admin_lists_drafts_read_only(client: Client, draft: ImportedSheet) -> None:
    admin = get_user_model().objects.create_superuser("root", "r@example.invalid", "x-long-pw-12")
    client.force_login(admin)
    assert client.get("/admin/ingest/importedsheet/").status_code == 200
    assert client.get("/admin/ingest/importedsheet/add/").status_code == 403


def _cut_004(share: float) -> str:
    lines = seed_text(SEED_004).split("\n")
    return "\n".join(lines[: int(len(lines) * share)])


def _recommendation_notes(text: str) -> list[str]:
    parsed = parse_emes_sheet(text, source_name="004-cut.txt")
    return [str(n) for n in parsed.notes if "ข้อเสนอแนะ" in n.message]


def test_the_whole_sheet_has_no_note_about_missing_recommendations() -> None:
    assert _recommendation_notes(seed_text(SEED_004)) == []


def test_a_sheet_cut_to_90_percent_says_what_is_missing(spm: OrgUnit) -> None:
    """The probe's case: 8 of 12 recommendations, the 8th cut mid-sentence, and no word."""
    text = _cut_004(0.9)
    parsed = parse_emes_sheet(text, source_name="004-cut.txt")
    assert [r.node.code for r in parsed.recommendations][-1] == "8"
    notes = _recommendation_notes(text)
    section = '"ข้อเสนอแนะเพื่อการพัฒนาการขับเคลื่อนนโยบายเร่งด่วนของ สพฐ. (Quick Policy)"'
    for code in ("9", "10", "X1", "X2"):
        assert any(f"ตัวชี้วัดที่ {code} มีผลการประเมิน แต่ไม่พบข้อเสนอแนะของตัวชี้วัดนี้ในส่วน "
                   f"{section}" in n for n in notes), code
    cut = next(n for n in notes if "ถูกตัดท้าย" in n)
    assert cut.startswith(f"บรรทัดที่ {parsed.recommendations[-1].line}: เอกสารน่าจะถูกตัดท้าย: "
                          "ข้อเสนอแนะของตัวชี้วัดที่ 8 เป็นข้อความสุดท้ายของไฟล์")
    assert "(ตัวชี้วัดที่ 9, ตัวชี้วัดที่ 10, ตัวชี้วัดที่ X1, ตัวชี้วัดที่ X2)" in cut
    # The notes travel with the draft the reviewer opens.
    draft = create_draft(parsed, text)
    assert any("ถูกตัดท้าย" in n["message"] for n in draft.notes)


def test_other_truncations_are_named_too() -> None:
    cut_in_x1 = _recommendation_notes(_cut_004(0.95))  # ends on X1's title
    assert any("ข้อเสนอแนะของตัวชี้วัดที่ X1 มีแต่ชื่อตัวชี้วัด ไม่มีข้อความ" in n for n in cut_in_x1)
    assert any("ตัวชี้วัดที่ X2 มีผลการประเมิน แต่ไม่พบข้อเสนอแนะ" in n for n in cut_in_x1)
    before_the_part = _recommendation_notes(_cut_004(0.7))  # ends before the part's title
    assert before_the_part == [
        'ไม่พบส่วน "ข้อเสนอแนะเพื่อการพัฒนาการขับเคลื่อนนโยบายเร่งด่วนของ สพฐ. (Quick Policy)" '
        "ในเอกสาร: 12 ตัวชี้วัดที่มีผลการประเมินจึงไม่มีข้อเสนอแนะ (เอกสารอาจไม่ครบ หรือถูกตัดท้าย)"]
