"""Correcting a draft's source text and reading it again (/imports/<pk>/source/)."""

from __future__ import annotations

import pytest

from tests import seed004
from tests.ingest.reviewers import signed_in, trial_office
from tests.ingest.seeds import SEED_004, seed_text
from tidtam.accounts.models import Role
from tidtam.audit.models import AuditEntry
from tidtam.ingest.drafts import create_draft
from tidtam.ingest.emes_sheet import parse_emes_sheet
from tidtam.ingest.handlers.annual_report import HANDLER as ANNUAL_REPORT
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

SEED_003 = "003_aa69ecb6a0438ce4.txt"


@pytest.fixture
def office() -> OrgUnit:
    return trial_office("SPM-97", "ทดลองแก้ข้อความ")


@pytest.fixture
def draft(office: OrgUnit) -> ImportedSheet:
    raw = seed_text(SEED_004)
    return create_draft(parse_emes_sheet(raw, source_name=SEED_004, org=office), raw)


def with_line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


def level(d: ImportedSheet, node: str, rnd: str) -> str:
    return next(r["level"] for r in d.ratings
                if (r["framework"], r["node"], r["round"]) == ("qp", node, rnd))


def test_a_corrected_line_is_read_into_a_new_draft(draft: ImportedSheet, office: OrgUnit) -> None:
    c = signed_in(Role.EVALUATOR, office)
    page = c.get(f"/imports/{draft.pk}/source/").content.decode()
    assert "2 5 3.50 ดีมาก" in page  # 004 L84, the repaired text in the textarea
    corrected = with_line(draft.repaired_text, 84, "2 5 3.50", "3 5 4.00")
    response = c.post(f"/imports/{draft.pk}/source/", {"text": corrected})
    fresh = ImportedSheet.objects.get(previous=draft)
    assert response.status_code == 302 and response["Location"] == f"/imports/{fresh.pk}/"
    assert level(fresh, "4", "6m") == "3" and level(draft, "4", "6m") == "2"
    assert fresh.raw_text == draft.raw_text  # the original file is kept as it came
    # 3 and 5 do average 4.00, but the overall printed at L130 was computed from 2 and 5:
    # (46 + 0.5) / 12 = 3.875 → 3.88, not the printed 3.83
    assert [(d["line"], d["printed"], d["computed"]) for d in fresh.discrepancies] == [
        (130, "3.83", "3.88")]
    draft.refresh_from_db()
    assert draft.status == ImportStatus.SUPERSEDED and str(fresh.pk) in draft.decision_note
    audit = AuditEntry.objects.get(org=office, action="import_source_edit")
    assert audit.before == ["2 5 3.50 ดีมาก"] and audit.after == ["3 5 4.00 ดีมาก"]
    assert "แก้บรรทัดที่ 84" in audit.comment
    new_page = c.get(f"/imports/{fresh.pk}/").content.decode()
    assert f"ร่างเลขที่ {draft.pk}" in new_page
    assert f"/imports/{fresh.pk}/" in c.get(f"/imports/{draft.pk}/").content.decode()
    # the superseded draft is history: it can't be accepted or corrected again
    assert c.get(f"/imports/{draft.pk}/source/").status_code == 404
    assert "แก้ข้อความแล้วอ่านใหม่ไปแล้ว" in c.post(
        f"/imports/{draft.pk}/accept/", follow=True).content.decode()


def test_text_that_no_longer_reads_keeps_everything(draft: ImportedSheet, office: OrgUnit) -> None:
    c = signed_in(Role.EVALUATOR, office)
    broken = "\n".join(line for line in draft.repaired_text.split("\n")
                       if "ประจำปีงบประมาณ" not in line)
    response = c.post(f"/imports/{draft.pk}/source/", {"text": broken})
    assert response.status_code == 422
    page = response.content.decode()
    assert "อ่านข้อความที่แก้ไม่ได้" in page and "ไม่พบ" in page
    assert "ข้อความที่คุณแก้ยังอยู่ในช่อง" in page
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT
    assert ImportedSheet.objects.count() == 1
    assert not AuditEntry.objects.filter(action="import_source_edit").exists()
    same = c.post(f"/imports/{draft.pk}/source/", {"text": draft.repaired_text})
    assert same.status_code == 422 and "ข้อความไม่ได้เปลี่ยน" in same.content.decode()


def test_who_may_correct_the_source(draft: ImportedSheet, office: OrgUnit) -> None:
    url = f"/imports/{draft.pk}/source/"
    assert signed_in(Role.VIEWER, office, "viewer").post(url, {"text": "x"}).status_code == 403
    elsewhere = OrgUnit.objects.get(code=seed004.ORG)
    assert signed_in(Role.EVALUATOR, elsewhere, "other").get(url).status_code == 404
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT


def test_an_annual_report_with_its_amount_in_words_corrected(office: OrgUnit) -> None:
    """Project 6's words (003 L1933) miss the ห้า; fixed, that contradiction is gone."""
    raw = seed_text(SEED_003)
    spm = OrgUnit.objects.get(code="SPM-65-53")
    d = ANNUAL_REPORT.create_draft(ANNUAL_REPORT.parse(raw, SEED_003, None), raw, None)
    assert d.org == spm and any(x["line"] == 1933 for x in d.discrepancies)
    corrected = with_line(d.repaired_text, 1933, "สี่ร้อยสี่สิบบาทถ้วน", "สี่ร้อยสี่สิบห้าบาทถ้วน")
    c = signed_in(Role.REPORTER, spm, "planner")
    assert c.post(f"/imports/{d.pk}/source/", {"text": corrected}).status_code == 302
    fresh = ImportedSheet.objects.get(previous=d)
    assert not any(x["line"] == 1933 for x in fresh.discrepancies)
    assert len(fresh.discrepancies) == len(d.discrepancies) - 1


def test_a_corrected_text_with_a_nul_byte_is_refused(draft: ImportedSheet, office: OrgUnit
                                                     ) -> None:
    c = signed_in(Role.EVALUATOR, office)
    response = c.post(f"/imports/{draft.pk}/source/",
                      {"text": draft.repaired_text.replace("\n", "\x00\n", 1)})
    assert response.status_code == 422
    assert "ข้อความต้นฉบับที่แก้: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+0000)" in (
        response.content.decode())
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT and ImportedSheet.objects.count() == 1
