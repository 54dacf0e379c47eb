"""``tidtam ratings import``: bad rows are named in Thai and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tidtam.csvfiles import ImportFailed
from tidtam.evaluation import actuals
from tidtam.evaluation.importer import import_ratings
from tidtam.evaluation.models import Rating, Status
from tidtam.measures.models import Observation

pytestmark = pytest.mark.django_db

HEADER = "org_code,year,framework,node,round,level\n"


def _snapshot() -> list[tuple]:
    return list(Rating.objects.order_by("pk").values_list(
        "pk", "org_id", "node_id", "round", "status", "level")) + list(
        Observation.objects.order_by("pk").values_list("pk", "text", "version"))


def _refused(text: str | bytes) -> ImportFailed:
    before = _snapshot()
    with pytest.raises(ImportFailed) as exc:
        import_ratings(text.encode() if isinstance(text, str) else text)
    assert _snapshot() == before
    return exc.value


def test_updates_a_level_in_place() -> None:
    result = import_ratings((HEADER + "SPM-52-51,2566,qp,1,6m,5\n").encode())
    assert (result.created, result.updated) == (0, 1)
    r = Rating.objects.get(org__code="SPM-52-51", node__code="1", node__framework__code="qp",
                           round="6m")
    assert r.level == 5


def test_level_7_is_refused_with_the_row_number() -> None:
    err = _refused(HEADER + "SPM-52-51,2566,qp,1,6m,4\nSPM-52-51,2566,qp,2,6m,7\n")
    assert str(err.errors[0]) == "แถวที่ 3: ระดับคุณภาพต้องเป็น 1–5 หรือ - (ไม่ประเมิน) แต่พบ '7'"
    # Row 2 was fine but must not have been written either.
    assert Rating.objects.get(org__code="SPM-52-51", node__code="1", node__framework__code="qp",
                              round="6m").level == 4


def test_unknown_org_code() -> None:
    err = _refused(HEADER + "SPM-00-00,2566,qp,1,6m,4\n")
    assert str(err.errors[0]) == "แถวที่ 2: ไม่พบหน่วยงานรหัส 'SPM-00-00'"


def test_missing_column() -> None:
    err = _refused("org_code,year,framework,node,round\nSPM-52-51,2566,qp,1,6m\n")
    assert "ไม่พบคอลัมน์ที่จำเป็น: level" in str(err.errors[0])


def test_duplicate_row() -> None:
    err = _refused(HEADER + "SPM-52-51,2566,qp,1,6m,4\nSPM-52-51,2566,qp,1,6m,3\n")
    assert "แถวที่ 3: ซ้ำกับแถวที่ 2" in str(err.errors[0])


def test_wrong_encoding() -> None:
    err = _refused("org_code,year,framework,node,round,level,note\n"
                   "SPM-52-51,2566,qp,1,6m,4,หมายเหตุภาษาไทย\n".encode("cp874"))
    assert "UTF-8" in str(err.errors[0])


def test_unknown_node_round_and_framework() -> None:
    err = _refused(HEADER + "SPM-52-51,2566,qp,99,6m,4\n"
                            "SPM-52-51,2566,qp,1,q3,4\n"
                            "SPM-52-51,2566,zz,1,6m,4\n"
                            "SPM-52-51,25x6,qp,1,6m,4\n")
    text = [str(e) for e in err.errors]
    assert "แถวที่ 2: ไม่พบตัวชี้วัด '99' ในกรอบ 'qp' ปี 2566" in text
    assert any(t.startswith("แถวที่ 3: รอบ 'q3' ใช้ไม่ได้กับกรอบ 'qp'") for t in text)
    assert any(t.startswith("แถวที่ 4: ไม่พบกรอบการประเมิน 'zz'") for t in text)
    assert any(t.startswith("แถวที่ 5: ปีงบประมาณ '25x6'") for t in text)


def test_level_for_an_indicator_that_does_not_apply_to_the_office_type() -> None:
    err = _refused(HEADER + "SPM-52-51,2566,qp,6a,6m,4\n")
    assert "ใช้เฉพาะ สพป." in str(err.errors[0])


def test_target_indicator_takes_actual_not_level() -> None:
    err = _refused(HEADER + "SPM-52-51,2566,ap,2,year,4\n")
    assert "เทียบค่าเป้าหมาย" in str(err.errors[0])
    import_ratings(b"org_code,year,framework,node,round,level,actual\n"
                    b"SPM-52-51,2566,ap,2,year,,75%\n")
    r = Rating.objects.get(org__code="SPM-52-51", node__code="2", node__framework__code="ap")
    assert r.status == Status.RATED
    # The result is the node's observation, not a field of the rating.
    obs = actuals.observations_of(r.org, r.framework)[r.node_id]
    assert obs.value_decimal == 75 and obs.source_kind == "imported"


def test_overall_row_only_where_the_evaluator_sets_it() -> None:
    err = _refused(HEADER + "SPM-52-51,2566,qp,*,6m,4\n")
    assert "ไม่ต้องกรอกระดับภาพรวม" in str(err.errors[0])


def test_status_and_level_together_are_refused() -> None:
    err = _refused("org_code,year,framework,node,round,level,status\n"
                   "SPM-52-51,2566,ap,10,year,4,in_progress\n")
    assert "ต้องไม่มีระดับคุณภาพ" in str(err.errors[0])


def test_command_reports_and_writes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "r.csv"
    f.write_text(HEADER + "SPM-52-51,2566,qp,1,6m,9\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("ratings", "import", str(f))
    assert "แถวที่ 2" in str(exc.value) and "'9'" in str(exc.value)


def test_every_written_rating_is_audited_with_before_and_after(tmp_path: Any) -> None:
    from tidtam.audit.describe import describe_text
    from tidtam.audit.models import Action, AuditEntry

    f = tmp_path / "r.csv"
    f.write_text(HEADER + "SPM-52-51,2566,qp,1,6m,2\nSPM-52-51,2566,qp,1,12m,3\n",
                 encoding="utf-8")
    call_command("ratings", "import", str(f))  # 6m 4 → 2; 12m unchanged
    rating = Rating.objects.get(org__code="SPM-52-51", node__code="1", round="6m")
    entry = AuditEntry.objects.about(rating).get(action=Action.RATING_IMPORT,
                                                 comment__contains="r.csv")
    assert (entry.before["level"], entry.after["level"]) == (4, 2)
    assert entry.org.code == "SPM-52-51" and entry.target.endswith("รอบ 6 เดือน")
    assert "ระดับคุณภาพ: 4 → 2" in describe_text(entry)
    assert AuditEntry.objects.filter(comment__contains="r.csv").count() == 1


def test_a_figure_beyond_the_ratings_column_is_refused() -> None:
    err = _refused("org_code,year,framework,node,round,level,actual\n"
                   "SPM-52-51,2566,ap,2,year,,99999999999\n")
    assert [str(e) for e in err.errors] == [
        "แถวที่ 2: ค่า actual: ตัวเลขต้องน้อยกว่า 10,000,000,000 (ไม่เกิน 10 หลักหน้าจุดทศนิยม) "
        "แต่พบ 99,999,999,999"]


def test_command_refuses_a_file_over_the_size_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "ratings.csv"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    with pytest.raises(CommandError, match=r"ratings\.csv: ไฟล์มีขนาด 6\.0 MB เกินกำหนด 5 MB"):
        call_command("ratings", "import", str(big))
