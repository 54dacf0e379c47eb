"""``tidtam orgs import``: all-or-nothing, with a Thai message per bad row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tidtam.csvfiles import ImportFailed
from tidtam.orgs.importer import import_orgs
from tidtam.orgs.models import OrgType, OrgUnit

pytestmark = pytest.mark.django_db

HEADER = "code,name_th,type,parent_code,provinces\n"


def _snapshot() -> list[tuple[str, str, str, str]]:
    return list(OrgUnit.objects.order_by("code").values_list("code", "name_th", "type", "path"))


def _refused(csv_text: str | bytes) -> ImportFailed:
    before = _snapshot()
    data = csv_text.encode() if isinstance(csv_text, str) else csv_text
    with pytest.raises(ImportFailed) as exc:
        import_orgs(data)
    assert _snapshot() == before, "a refused file must leave the database unchanged"
    return exc.value


def test_imports_a_new_area_office_with_two_provinces() -> None:
    result = import_orgs((HEADER + "SPM-99-98,สำนักงานเขตทดสอบ,secondary_area,OBEC,P52;P51\n"
                          "SCH-T1,โรงเรียนทดสอบ,school,SPM-99-98,\n").encode())
    assert result.created == 2
    office = OrgUnit.objects.get(code="SPM-99-98")
    assert office.type == OrgType.SECONDARY_AREA
    assert sorted(office.provinces.values_list("code", flat=True)) == ["P51", "P52"]
    school = OrgUnit.objects.get(code="SCH-T1")
    assert school.path == "MOE/OBEC/SPM-99-98/SCH-T1/"
    assert school.is_within(OrgUnit.objects.get(code="OBEC"))
    assert set(OrgUnit.objects.subtree(office)) == {office, school}


def test_rows_may_come_children_first_and_thai_type_aliases_work() -> None:
    import_orgs((HEADER + "SCH-T2,โรงเรียนลูก,school,SPP-99-1,\n"
                 "SPP-99-1,สพป.ทดสอบ เขต 1,สพป.,OBEC,P52\n").encode())
    assert OrgUnit.objects.get(code="SCH-T2").parent.code == "SPP-99-1"


def test_reimport_is_idempotent() -> None:
    data = (HEADER + "SPP-99-2,สพป.ทดสอบ เขต 2,primary_area,OBEC,P52\n").encode()
    import_orgs(data)
    again = import_orgs(data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_moving_a_unit_moves_its_subtree() -> None:
    import_orgs((HEADER + "SPP-99-3,สพป.ทดสอบ เขต 3,primary_area,OBEC,P52\n"
                 "SCH-T3,โรงเรียนย้าย,school,SPP-99-3,\n"
                 "SPP-99-4,สพป.ทดสอบ เขต 4,primary_area,OBEC,P52\n").encode())
    import_orgs((HEADER + "SCH-T3,โรงเรียนย้าย,school,SPP-99-4,\n").encode())
    assert OrgUnit.objects.get(code="SCH-T3").path == "MOE/OBEC/SPP-99-4/SCH-T3/"


def test_unknown_parent_code_names_the_row() -> None:
    err = _refused(HEADER + "SPP-99-5,สพป.ทดสอบ,primary_area,OBEC,P52\n"
                            "SCH-T4,โรงเรียน,school,NOPE-1,\n")
    assert [e.row for e in err.errors] == [3]
    assert "ไม่พบหน่วยงานสังกัดรหัส 'NOPE-1'" in err.errors[0].message
    assert "แถวที่ 3" in err.report()
    assert not OrgUnit.objects.filter(code="SPP-99-5").exists()


def test_unknown_province_and_non_province() -> None:
    err = _refused(HEADER + "SPP-99-6,สพป.,primary_area,OBEC,P00\n"
                            "SPP-99-7,สพป.,primary_area,OBEC,OBEC\n")
    messages = [str(e) for e in err.errors]
    assert "แถวที่ 2: (รหัส SPP-99-6) ไม่พบจังหวัดรหัส 'P00'" in messages
    assert "แถวที่ 3: (รหัส SPP-99-7) รหัส 'OBEC' ไม่ใช่จังหวัด" in messages


def test_area_office_needs_a_province() -> None:
    err = _refused(HEADER + "SPP-99-8,สพป.ไม่มีจังหวัด,primary_area,OBEC,\n")
    assert "ต้องระบุจังหวัดที่รับผิดชอบ" in err.errors[0].message


def test_missing_column() -> None:
    err = _refused("code,name_th,type,parent_code\nX,ชื่อ,school,OBEC\n")
    assert err.errors[0].row == 1
    assert "ไม่พบคอลัมน์ที่จำเป็น: provinces" in err.errors[0].message


def test_duplicate_row() -> None:
    err = _refused(HEADER + "SCH-T5,โรงเรียน ก,school,SPM-52-51,\n"
                            "SCH-T5,โรงเรียน ข,school,SPM-52-51,\n")
    assert str(err.errors[0]) == "แถวที่ 3: (รหัส SCH-T5) รหัสซ้ำกับแถวที่ 2"


def test_unknown_type() -> None:
    err = _refused(HEADER + "SCH-T6,โรงเรียน,university,SPM-52-51,\n")
    assert "ไม่รู้จักประเภทหน่วยงาน 'university'" in err.errors[0].message


def test_wrong_encoding_says_which_encoding_it_looks_like() -> None:
    err = _refused((HEADER + "SCH-T7,โรงเรียนภาษาไทย,school,SPM-52-51,\n").encode("cp874"))
    assert "UTF-8" in err.errors[0].message
    assert "TIS-620" in err.errors[0].message


def test_cycle_is_refused() -> None:
    import_orgs((HEADER + "GRP-A,กลุ่ม ก,office_group,SPM-52-51,\n"
                 "GRP-B,กลุ่ม ข,office_group,GRP-A,\n").encode())
    err = _refused(HEADER + "GRP-A,กลุ่ม ก,office_group,GRP-B,\n")
    assert "วนกลับ" in err.errors[0].message


def test_every_bad_row_is_reported_at_once() -> None:
    err = _refused(HEADER + "bad code!,ชื่อ,school,OBEC,\n"
                            ",ไม่มีรหัส,school,OBEC,\n"
                            "SCH-T8,,school,OBEC,\n")
    assert [e.row for e in err.errors] == [2, 3, 4]


def test_command_prints_thai_errors_and_fails(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "orgs.csv"
    f.write_text(HEADER + "SCH-T9,โรงเรียน,school,NOPE-2,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("orgs", "import", str(f))
    assert "นำเข้าไม่สำเร็จ" in str(exc.value)
    assert "แถวที่ 2" in str(exc.value)
    assert not OrgUnit.objects.filter(code="SCH-T9").exists()


def test_every_change_is_audited_with_before_and_after(tmp_path: Any) -> None:
    from tidtam.audit.models import Action, AuditEntry

    f = tmp_path / "o.csv"
    f.write_text(HEADER + "SCH-1,โรงเรียนชื่อใหม่,school,SPM-52-51,\n"
                 "SCH-NEW,โรงเรียนใหม่,school,SPM-52-51,\n", encoding="utf-8")
    call_command("orgs", "import", str(f))
    school = OrgUnit.objects.get(code="SCH-1")
    entry = AuditEntry.objects.about(school).get(action=Action.ORG_IMPORT,
                                                 comment__contains="o.csv")
    assert entry.before == {"name_th": "โรงเรียนบุญวาทย์วิทยาลัย",
                            "short_name_th": "บุญวาทย์วิทยาลัย", "parent": "SPM-52-51-CL1"}
    assert entry.after == {"name_th": "โรงเรียนชื่อใหม่", "short_name_th": "",
                           "parent": "SPM-52-51"}
    assert "o.csv" in entry.comment
    created = AuditEntry.objects.about(OrgUnit.objects.get(code="SCH-NEW")).get()
    assert created.before is None and created.after["type"] == "school"


def test_a_name_longer_than_its_column_is_refused_with_its_row() -> None:
    exc = _refused(HEADER + "SCH-T9," + "ก" * 1000 + ",school,SPM-52-51,\n")
    assert [str(e) for e in exc.errors] == [
        "แถวที่ 2: (รหัส SCH-T9) ชื่อหน่วยงาน: ยาว 1,000 ตัวอักษร เกินกำหนด 255 ตัวอักษร"]


def test_the_command_refuses_a_file_over_the_size_limit_before_reading(tmp_path: Any) -> None:
    big = tmp_path / "orgs.csv"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError, match=r"orgs\.csv: ไฟล์มีขนาด 50\.0 MB เกินกำหนด 5 MB"):
        call_command("orgs", "import", str(big))
