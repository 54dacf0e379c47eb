"""Two lists, 30 rows, 29 cases: the duplicate and the move reported; bad files store nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.children.lists import DUPLICATE, MOVED_ROW, as_csv, child, list_a, list_b
from tests.conftest import make_user
from tidtam.audit.models import Action, AuditEntry
from tidtam.children.importer import import_list
from tidtam.children.models import Case, ImportBatch, Listing, State
from tidtam.children.nationalid import keyed_hash, mask
from tidtam.csvfiles import ImportFailed

pytestmark = pytest.mark.django_db


def test_two_lists_make_29_cases_with_the_duplicate_and_the_move_reported(
        imported: dict[str, Any]) -> None:
    a, b = imported["a"], imported["b"]
    assert Case.objects.count() == 29
    assert Listing.objects.count() == 30
    assert len(a.created) == 15 and not a.duplicates and not a.moved
    assert len(b.created) == 14
    dup_id = child(DUPLICATE)[0]
    assert b.duplicates == [{"row": 2, "case": Case.objects.get(id_hash=keyed_hash(dup_id)).pk,
                             "id": mask(dup_id), "first_seen": "รายชื่อ ก แถวที่ 2"}]
    moved_id = list_b()[MOVED_ROW][0]
    moved = Case.objects.get(id_hash=keyed_hash(moved_id))
    assert b.moved == [{"row": MOVED_ROW + 2, "case": moved.pk, "id": mask(moved_id),
                        "affiliation": "สช."}]
    assert moved.state == State.MOVED and moved.steps.get().kind == "move"
    assert Case.objects.filter(state=State.LISTED).count() == 28
    assert "ซ้ำกับที่มีอยู่ 1 ราย" in b.message() and "ย้ายไปต่างสังกัด (ปิดเรื่อง) 1 ราย" in b.message()
    # the audit log and the batch keep counts and masked IDs, never a name or a full ID
    entries = AuditEntry.objects.filter(action=Action.CHILD_IMPORT, user__username="kru-a")
    assert entries.count() == 2
    logged = str(list(entries.values_list("target", "after", "comment"))) + str(
        list(ImportBatch.objects.values_list("summary", flat=True)))
    assert dup_id not in logged and mask(dup_id) in logged
    assert not any(child(n)[1] in logged for n in range(29))


def test_a_later_list_naming_another_affiliation_closes_the_case_as_moved(
        imported: dict[str, Any], handler: Any) -> None:
    row = child(3)
    row[5] = "อปท."
    summary = import_list(handler, as_csv([row]), "later.csv")
    case = Case.objects.get(id_hash=keyed_hash(row[0]))
    assert summary.duplicates[0]["case"] == case.pk and summary.moved[0]["case"] == case.pk
    assert case.state == State.MOVED and case.affiliation == "อปท."
    assert Case.objects.count() == 29


def test_an_invalid_checksum_refuses_the_whole_file(handler: Any) -> None:
    rows = list_a()
    rows[4][0] = rows[4][0][:12] + str((int(rows[4][0][12]) + 1) % 10)
    with pytest.raises(ImportFailed) as exc:
        import_list(handler, as_csv(rows), "bad.csv")
    assert [str(e) for e in exc.value.errors] == [
        "แถวที่ 6: คอลัมน์ national_id (เลขประจำตัวประชาชน): "
        "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"]
    assert not Case.objects.exists() and not ImportBatch.objects.exists()


def test_a_file_in_tis620_is_refused_in_thai(handler: Any) -> None:
    data = as_csv(list_a(), bom=False).decode("utf-8").encode("cp874")
    with pytest.raises(ImportFailed) as exc:
        import_list(handler, data, "excel.csv")
    assert "TIS-620/Windows-874" in str(exc.value) and "UTF-8" in str(exc.value)
    assert not Case.objects.exists() and not ImportBatch.objects.exists()


def test_every_bad_row_is_named_with_its_column(handler: Any) -> None:
    rows = list_a()[:3]
    rows[0][4] = "NO-SUCH"
    rows[1][1] = ""
    rows[2][3] = "31/02/2553"
    with pytest.raises(ImportFailed) as exc:
        import_list(handler, as_csv(rows), "bad.csv")
    text = str(exc.value)
    assert "แถวที่ 2: คอลัมน์ org_code (รหัสสถานศึกษา/หน่วยงาน): ไม่พบหน่วยงานรหัส 'NO-SUCH'" in text
    assert "แถวที่ 3: คอลัมน์ first_name (ชื่อ): ไม่ได้ระบุ" in text
    assert "แถวที่ 4: คอลัมน์ birth_date (วันเกิด): วันเกิดไม่ถูกต้อง" in text
    assert not Case.objects.exists()


def test_only_a_handler_of_the_school_may_import_its_children() -> None:
    other = make_user("kru-b", "child_handler", "SPP-52-1")
    reporter = make_user("rep-x", "reporter", "SPM-52-51")
    for user in (other, reporter):
        with pytest.raises(ImportFailed) as exc:
            import_list(user, as_csv(list_a()[:2]), "a.csv")
        assert "ท่านไม่ได้เป็นผู้ติดตามเด็กของ" in str(exc.value)
    assert not Case.objects.exists()
