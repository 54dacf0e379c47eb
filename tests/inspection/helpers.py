"""A fixture province (สมุทรสงคราม, PEO75 under REO5) with units of five affiliations."""

from __future__ import annotations

from typing import Any

from tests.conftest import make_user
from tidtam.inspection import words
from tidtam.inspection.contributions import EntryData, save_entry
from tidtam.inspection.figures import round_period
from tidtam.inspection.models import EntryKind, InspectionFramework
from tidtam.narratives import store as blocks
from tidtam.narratives.models import BlockKind, Level
from tidtam.orgs.models import OrgType, OrgUnit

# code, name, type, parent, linked province: a vocational college (สอศ.), a
# learning-promotion office (สกร.), a private school (สช.), an OBEC school.
EXTRA_UNITS = [
    ("VC-75", "วิทยาลัยสารพัดช่างสมุทรสงคราม", OrgType.SCHOOL, "OVEC", "P75"),
    ("DOLE-75", "สำนักงานส่งเสริมการเรียนรู้จังหวัดสมุทรสงคราม", OrgType.SCHOOL, "DOLE", "P75"),
    ("PS-75", "โรงเรียนเทพสุวรรณชาฎวิทยา", OrgType.SCHOOL, "OPEC", "P75"),
    ("SCH-75-1", "โรงเรียนอัมพวันวิทยาลัย", OrgType.SCHOOL, "SPM-74-75", ""),
    ("VC-33", "วิทยาลัยเทคนิคศรีสะเกษ", OrgType.SCHOOL, "OVEC", "P33"),
]
P75_UNITS = ["PEO75", "SPP-75", "SPM-74-75", "VC-75", "DOLE-75", "PS-75", "SCH-75-1"]


def add_units() -> dict[str, OrgUnit]:
    units = {}
    for code, name, type_, parent, province in EXTRA_UNITS:
        unit, _ = OrgUnit.objects.get_or_create(
            code=code, defaults={"name_th": name, "type": type_,
                                 "parent": OrgUnit.objects.get(code=parent)},
        )
        if province:
            unit.provinces.add(OrgUnit.objects.get(code=province))
        units[code] = unit
    return units


def contributors(codes: list[str] = P75_UNITS) -> dict[str, Any]:
    """A reporter per contributing unit, named after the unit code."""
    add_units()
    return {code: make_user(f"u-{code.lower()}", "reporter", code) for code in codes}


def answer_everything(
    fw: InspectionFramework, users: dict[str, Any], province_code: str = "P75",
    include_optional: bool = False,
) -> int:
    """Give every question and sub-section of every issue an answer; returns the count.

    Units take turns, so each issue has paragraphs from several affiliations;
    one paragraph per issue is sent by two units word for word (a duplicate),
    problems have solutions, and "ไม่มี" answers best practice for every other issue.
    """
    province = OrgUnit.objects.get(code=province_code)
    order = list(users)
    n = 0
    issues = [i for i in fw.issues() if include_optional or not i.optional]
    for k, issue in enumerate(issues):
        a, b = order[k % len(order)], order[(k + 1) % len(order)]
        todo: list[tuple[str, EntryData]] = []
        for q in issue.questions.filter(depth=2):
            todo.append((a, EntryData("progress", question=q,
                                      text=f"{a} ดำเนินการข้อ {q.number} ประเด็น {issue.code}")))
            todo.append((b, EntryData("progress", question=q,
                                      text=f"ร่วมกันดำเนินการข้อ {q.number} ประเด็น {issue.code}")))
        shared = f"การมีส่วนร่วมของภาคีเครือข่ายในประเด็น {issue.code}"
        todo.append((a, EntryData("factors", text=shared)))
        todo.append((b, EntryData("factors", text=shared)))
        todo.append((a, EntryData(
            "problems", kind=EntryKind.PROBLEM, text=f"งบประมาณไม่เพียงพอ ({issue.code})",
            solutions=["ระดมทรัพยากรจากชุมชน", "ขอรับการสนับสนุนจากต้นสังกัด"],
        )))
        if k % 2:
            todo.append((b, EntryData("best_practice", kind=EntryKind.MODEL,
                                      title=f"โมเดล {issue.code}",
                                      steps=["วางแผน", "ลงมือทำ", "ตรวจสอบ", "ปรับปรุง"])))
        else:
            todo.append((b, EntryData("best_practice", kind=EntryKind.NONE)))
        todo.append((a, EntryData("suggestions", part="area", text="ควรจัดอบรมครูอย่างต่อเนื่อง")))
        todo.append((b, EntryData("suggestions", part="policy", kind=EntryKind.NONE)))
        for code, data in todo:
            unit = OrgUnit.objects.get(code=code)
            if data.kind != EntryKind.NONE and words.written_as_blocks(issue, fw, data.section):
                _as_block(users[code], unit, issue, fw, data)
            else:
                save_entry(users[code], unit, issue, data, final=True, province=province)
            n += 1
    return n


def _as_block(user: Any, unit: OrgUnit, issue: Any, fw: InspectionFramework,
              data: EntryData) -> None:
    """A linked issue's sub-section is answered with the topic's block, as its page does."""
    section = next(s for s in fw.sections if s["key"] == data.section)
    level = None
    if data.part:
        part = next(p for p in section["parts"] if p["key"] == data.part)
        level = Level.objects.get(code=part["level"])
    blocks.create(user, unit, issue, round_period(fw, 2), BlockKind.objects.get(
        code=section["kind"]), level, {"title": data.title, "text": data.text,
                                       "solutions": data.solutions, "steps": data.steps})
