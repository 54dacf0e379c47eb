"""Units answer the questions: entries, "none", checks, permissions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_user
from tests.inspection.helpers import add_units, contributors
from tidtam.inspection.contributions import (
    EntryData,
    provinces_of,
    save_entry,
    units_in_province,
    visible_entries,
)
from tidtam.inspection.models import Entry, EntryKind
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import InvalidInput, NotAllowed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _q(fw: Any, code: str, number: str = "1") -> Any:
    return fw.issues().get(code=code).questions.get(number=number)


def test_units_of_every_affiliation_are_in_the_province(framework: Any) -> None:
    add_units()
    codes = set(units_in_province(OrgUnit.objects.get(code="P75")).values_list("code", flat=True))
    assert {"PEO75", "SPP-75", "SPM-74-75", "VC-75", "DOLE-75", "PS-75", "SCH-75-1"} <= codes
    assert "VC-33" not in codes and "SPM-52-51" not in codes
    names = [p.code for p in provinces_of(OrgUnit.objects.get(code="SPM-74-75"))]
    assert sorted(names) == ["P74", "P75"]
    # A school under a two-province area office may report to either.
    assert len(provinces_of(OrgUnit.objects.get(code="SCH-75-1"))) == 2


def test_entry_kinds_keep_what_was_typed(framework: Any) -> None:
    users = contributors(["VC-75"])
    unit = OrgUnit.objects.get(code="VC-75")
    issue = framework.issues().get(code="2.5")
    fig = save_entry(users["VC-75"], unit, issue, EntryData(
        "progress", question=_q(framework, "2.5"), kind=EntryKind.FIGURE,
        text="ครูได้รับการอบรม Active Learning", value="๑,๒๐๕", value_unit="คน",
    ), final=True).entry
    fig.refresh_from_db()
    assert fig.value == Decimal("1205") and fig.value_unit == "คน"
    model = save_entry(users["VC-75"], unit, issue, EntryData(
        "best_practice", kind=EntryKind.MODEL, title="SAMUT Model",
        steps=["S วางแผน", "A ลงมือ", "", "M ติดตาม"],
    ), final=True).entry
    assert model.steps == ["S วางแผน", "A ลงมือ", "M ติดตาม"]
    img = save_entry(users["VC-75"], unit, issue, EntryData(
        "best_practice", kind=EntryKind.IMAGE, text="ภาพกิจกรรม",
        image=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    ), final=True).entry
    assert img.image.name.endswith(".png")
    assert fig.author == users["VC-75"] and fig.province.code == "P75"


def test_none_is_an_answer_distinct_from_not_answered(framework: Any) -> None:
    users = contributors(["PS-75"])
    unit = OrgUnit.objects.get(code="PS-75")
    issue = framework.issues().get(code="2.1")
    assert not Entry.objects.filter(unit=unit).exists()  # not answered
    e = save_entry(users["PS-75"], unit, issue, EntryData(
        "best_practice", kind=EntryKind.NONE, text="ไม่ควรถูกเก็บ"), final=True).entry
    assert e.kind == "none" and e.text == ""


def test_empty_final_answer_is_refused_and_nothing_written(framework: Any) -> None:
    users = contributors(["PS-75"])
    unit = OrgUnit.objects.get(code="PS-75")
    issue = framework.issues().get(code="2.1")
    with pytest.raises(InvalidInput) as exc:
        save_entry(users["PS-75"], unit, issue,
                   EntryData("progress", question=_q(framework, "2.1"), text="  "), final=True)
    assert exc.value.message.startswith("ประเด็น 2.1 หัวข้อ 2.1.1 ข้อ 1): ยังไม่ได้กรอกรายละเอียด")
    assert not Entry.objects.filter(unit=unit).exists()
    # A draft may be empty: what was typed so far is kept.
    draft = save_entry(users["PS-75"], unit, issue,
                       EntryData("progress", question=_q(framework, "2.1"), text=""))
    assert draft.entry.pk and not draft.entry.is_final


def test_an_image_that_is_not_an_image(framework: Any) -> None:
    users = contributors(["PS-75"])
    unit = OrgUnit.objects.get(code="PS-75")
    with pytest.raises(InvalidInput) as exc:
        save_entry(users["PS-75"], unit, framework.issues().get(code="2.1"), EntryData(
            "best_practice", kind=EntryKind.IMAGE, text="ภาพ",
            image=SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo"),
        ), final=True)
    assert "ไม่ใช่ภาพจริง" in exc.value.message and "photo.jpg" in exc.value.message
    assert not Entry.objects.filter(unit=unit).exists()


def test_date_outside_the_fiscal_year_is_kept_with_a_warning(framework: Any) -> None:
    users = contributors(["DOLE-75"])
    unit = OrgUnit.objects.get(code="DOLE-75")
    saved = save_entry(users["DOLE-75"], unit, framework.issues().get(code="4.3"), EntryData(
        "progress", question=_q(framework, "4.3"), kind=EntryKind.DATE,
        text="อบรมผู้สูงอายุ", day="15 ตุลาคม 2566",
    ), final=True)
    assert saved.entry.pk
    assert saved.warnings == [
        "ประเด็น 4.3 หัวข้อ 4.3.1 ข้อ 1): วันที่ 15 ตุลาคม 2566 อยู่นอกปีงบประมาณ 2566 "
        "(บันทึกไว้แล้ว โปรดตรวจสอบ)"
    ]
    with pytest.raises(InvalidInput) as exc:
        save_entry(users["DOLE-75"], unit, framework.issues().get(code="4.3"), EntryData(
            "progress", question=_q(framework, "4.3"), kind=EntryKind.DATE,
            text="อบรม", day="31 กุมภาพันธ์ 2566"), final=True)
    assert exc.value.field == "day"


def test_a_contributor_cannot_edit_another_units_entry(framework: Any) -> None:
    users = contributors(["PS-75", "VC-75"])
    issue = framework.issues().get(code="2.1")
    e = save_entry(users["PS-75"], OrgUnit.objects.get(code="PS-75"), issue,
                   EntryData("factors", text="ของโรงเรียน"), final=True).entry
    with pytest.raises(NotAllowed):
        save_entry(users["VC-75"], OrgUnit.objects.get(code="VC-75"), issue,
                   EntryData("factors", text="แก้"), entry=e, final=True)
    with pytest.raises(NotAllowed):
        save_entry(users["VC-75"], OrgUnit.objects.get(code="PS-75"), issue,
                   EntryData("factors", text="แก้"), entry=e, final=True)
    e.refresh_from_db()
    assert e.text == "ของโรงเรียน"


def test_province_a_cannot_read_province_b(framework: Any) -> None:
    users = contributors(["PS-75"])
    add_units()
    vc33 = make_user("u-vc-33", "reporter", "VC-33")
    issue = framework.issues().get(code="2.1")
    mine = save_entry(users["PS-75"], OrgUnit.objects.get(code="PS-75"), issue,
                      EntryData("factors", text="สมุทรสงคราม"), final=True).entry
    theirs = save_entry(vc33, OrgUnit.objects.get(code="VC-33"), issue,
                        EntryData("factors", text="ศรีสะเกษ"), final=True).entry
    all_entries = Entry.objects.filter(pk__in=[mine.pk, theirs.pk])
    assert list(visible_entries(users["PS-75"], all_entries)) == [mine]
    assert list(visible_entries(vc33, all_entries)) == [theirs]
    peo = make_user("peo75", "reporter", "PEO75")
    assert list(visible_entries(peo, all_entries)) == [mine]


def test_limits_of_what_a_unit_types(framework: Any) -> None:
    users = contributors(["VC-75"])
    unit = OrgUnit.objects.get(code="VC-75")
    issue = framework.issues().get(code="2.5")
    cases = [
        (EntryData("progress", question=_q(framework, "2.5"), kind=EntryKind.FIGURE,
                   value="9999999999999999", value_unit="คน"),
         "ประเด็น 2.5 หัวข้อ 2.5.1 ข้อ 1): ตัวเลขต้องน้อยกว่า 100,000,000,000"),
        (EntryData("best_practice", kind=EntryKind.MODEL, title="ก" * 1000, steps=["ขั้นที่ 1"]),
         "ประเด็น 2.5 หัวข้อ 2.5.4: ชื่อ: ยาว 1,000 ตัวอักษร เกินกำหนด 300 ตัวอักษร"),
        (EntryData("best_practice", kind=EntryKind.MODEL, title="โมเดล",
                   steps=["ขั้น\x00ที่ 1"]),
         "ประเด็น 2.5 หัวข้อ 2.5.4: ขั้นตอน: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+0000)"),
    ]
    for data, message in cases:
        with pytest.raises(InvalidInput) as exc:
            save_entry(users["VC-75"], unit, issue, data, final=True)
        assert exc.value.message.startswith(message)
    assert not Entry.objects.filter(unit=unit).exists()
