"""The office's annual report (รายงานผลการดำเนินงานประจำปี), computed from the plan.

``build_report(plan)`` returns one content model — chapters of paragraphs and
tables, every figure already formatted — and the renderers turn it into a
web page, PDF (through ``html_to_pdf``) or DOCX. Thai digits are applied to
the content model, never to markup, so a whole document switches at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tidtam.plans.checks import check_plan
from tidtam.plans.models import Plan, PlanIndicator, Project
from tidtam.thai.numbers import fmt_decimal, to_thai_digits

Block = dict[str, Any]


def money(value: Decimal | None) -> str:
    return fmt_decimal(value, 2, grouping=True)


def pct(value: Decimal | None) -> str:
    return fmt_decimal(value, 2)


def number(value: Decimal | int | None) -> str:
    if value is None:
        return "-"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return fmt_decimal(value, 2, grouping=True)


def para(text: str) -> Block:
    return {"type": "paragraph", "text": text}


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
          total: Sequence[str] | None = None, extra: Sequence[Sequence[str]] = ()) -> Block:
    return {"type": "table", "title": title, "header": list(header),
            "rows": [list(r) for r in rows], "total": list(total) if total else None,
            "extra": [list(r) for r in extra]}


def _with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"ร้อยละ {pct(value)}" if unit == "ร้อยละ" else f"{number(value)} {unit}"


def _achieved_text(indicator: PlanIndicator) -> str:
    achieved = indicator.achieved()
    return "-" if achieved is None else ("บรรลุ" if achieved else "ไม่บรรลุ")


def _context_tables(plan: Plan) -> list[Block]:
    """003's context tables; the total row is the sum of the rows, never typed."""
    blocks = []
    for n, t in enumerate(plan.context, start=1):
        rows = t.get("rows", [])
        width = len(t.get("header", []))
        totals = ["รวมทั้งสิ้น"] + [
            number(sum((Decimal(str(r[i])) for r in rows if str(r[i]).strip()), Decimal(0)))
            for i in range(1, width)
        ]
        blocks.append(table(f"ตารางที่ 1.{n} {t.get('title', '')}", t.get("header", []),
                            [[str(r[0])] + [number(Decimal(str(v))) for v in r[1:]] for r in rows],
                            totals))
    return blocks


def _alignment_table(plan: Plan) -> list[Block]:
    kinds = plan.alignment_kinds
    if not kinds:
        return []
    rows = [[f"{p.number}. {p.title}"] + ["\n".join(p.alignment.get(k, [])) or "-" for k in kinds]
            for p in plan.projects.all()]
    return [table("ความสอดคล้องของโครงการกับแผนระดับต่าง ๆ", ["โครงการ", *kinds.values()], rows)]


def _project_blocks(project: Project) -> list[Block]:
    blocks: list[Block] = [
        {"type": "heading", "level": 2, "text": f"{project.number}. {project.title}"},
        para(f"นโยบาย: {project.policy_area or '-'}"),
        para(f"กลุ่มงานที่รับผิดชอบ: {project.responsible_group or '-'}"
             + (f" ผู้รับผิดชอบ: {project.owner_name}" if project.owner_name else "")),
    ]
    if project.objectives:
        blocks.append(para(f"วัตถุประสงค์: {project.objectives}"))
    activities = list(project.activities.all())
    if activities:
        items = [f"กิจกรรมที่ {a.number} {a.title}" for a in activities]
        blocks.append({"type": "list", "items": items})
    blocks.append(para(f"งบประมาณ จำนวน {money(project.budget)} บาท (-{project.budget_words}-)"))
    indicators = project.figured_indicators()
    if indicators:
        blocks.append(table(
            f"ตัวชี้วัดโครงการที่ {project.number}",
            ["ตัวชี้วัด", "ระดับ", "ค่าเป้าหมาย", "ผลการดำเนินงาน", "ผล"],
            [[i.name, i.level, _with_unit(i.target_value, i.target_unit),
              _with_unit(i.result(), i.target_unit), _achieved_text(i)] for i in indicators]))
    spent = project.spent_until(4)
    if spent:
        blocks.append(para(f"ใช้งบประมาณตามรายงานรายไตรมาส {money(spent)} บาท"))
    reported = [f"ไตรมาส {p.quarter}: {p.problems}" for p in project.progress.all() if p.problems]
    if reported:
        blocks.append(para("ปัญหาที่รายงานระหว่างปี"))
        blocks.append({"type": "list", "items": reported})
    for label, text in (("ผลการดำเนินงาน", project.results), ("ปัญหา อุปสรรค", project.problems),
                        ("ข้อเสนอแนะ", project.suggestions)):
        if text:
            blocks.append(para(f"{label}: {text}"))
    return blocks


def _summary_blocks(plan: Plan) -> list[Block]:
    achievement = plan.achievement()
    missed = "; ".join(f"{i.name} (โครงการที่ {i.project.number})" for i in achievement.missed)
    blocks: list[Block] = [para(
        f"การติดตามประเมินผลการดำเนินโครงการตามแผนปฏิบัติการ จำนวน {plan.projects.count()} โครงการ "
        f"บรรลุค่าเป้าหมาย {achievement.achieved} ตัวชี้วัด จาก {achievement.total} ตัวชี้วัด "
        f"คิดเป็นร้อยละ {pct(achievement.pct)} ไม่บรรลุค่าเป้าหมาย "
        f"{achievement.total - achievement.achieved} ตัวชี้วัด"
        + (f" ได้แก่ {missed}" if missed else ""))]
    rows = []
    for project in plan.projects.all():
        indicators = project.figured_indicators()
        done = sum(1 for i in indicators if i.achieved())
        assessed = sum(1 for i in indicators if i.achieved() is not None)
        rows.append([str(project.number), project.title, number(len(indicators)), number(done),
                     number(assessed - done), money(project.budget)])
    blocks.append(table(
        "ตารางสรุปผลการดำเนินงานตามตัวชี้วัดรายโครงการ",
        ["ลำดับ", "โครงการ", "ตัวชี้วัด", "บรรลุ", "ไม่บรรลุ", "งบประมาณ (บาท)"], rows,
        ["", "รวม", number(achievement.total), number(achievement.achieved),
         number(achievement.total - achievement.achieved), money(plan.budget_total())]))
    return blocks


def _budget_blocks(plan: Plan) -> list[Block]:
    totals = plan.execution_totals()
    lines = list(plan.budget_lines.all())
    header = ["รายการ", "ได้รับจัดสรร (บาท)", "เบิกแล้ว (บาท)", "คงเหลือ (บาท)", "ร้อยละการเบิกจ่าย"]

    def row(label: str, allocated: Decimal, disbursed: Decimal, remaining: Decimal,
            rate: Decimal | None) -> list[str]:
        return [label, money(allocated), money(disbursed), money(remaining), pct(rate)]

    in_total = [line for line in lines if line.in_total]
    outside = [line for line in lines if not line.in_total]
    return [
        para(f"ได้รับจัดสรรงบประมาณ จำนวนทั้งสิ้น {money(totals['allocated'])} บาท "
             f"มีผลการเบิกจ่าย จำนวน {money(totals['disbursed'])} บาท "
             f"คิดเป็นร้อยละ {pct(totals['pct'])}"),
        table("ผลการบริหารจัดการงบประมาณ", header,
              [row(f"{n}. {line.display_label}", line.allocated, line.disbursed, line.remaining,
                   line.pct) for n, line in enumerate(in_total, start=1)],
              row("รวมทั้งสิ้น", totals["allocated"] or Decimal(0), totals["disbursed"] or Decimal(0),
                  totals["remaining"] or Decimal(0), totals["pct"]),
              [row(line.display_label, line.allocated, line.disbursed, line.remaining, line.pct)
               for line in outside]),
    ]


def build_report(plan: Plan) -> dict[str, Any]:
    office = plan.office
    chapters: list[dict[str, Any]] = [
        {"title": "บทที่ 1 บทนำ", "blocks": [para(plan.introduction)] if plan.introduction else []},
        {"title": "บทที่ 2 ข้อมูลพื้นฐาน",
         "blocks": _context_tables(plan) + _alignment_table(plan)},
        {"title": "บทที่ 3 ผลการดำเนินงานตามโครงการ",
         "blocks": [b for p in plan.projects.all() for b in _project_blocks(p)]},
        {"title": "บทที่ 4 สรุปผลการดำเนินงาน",
         "blocks": [
             *_summary_blocks(plan),
             {"type": "heading", "level": 2, "text": "สรุปผลการบริหารจัดการงบประมาณ"},
             *_budget_blocks(plan)]},
        {"title": "บทที่ 5 ปัญหา อุปสรรค ข้อเสนอแนะ และทิศทางการดำเนินงานปีถัดไป", "blocks": [
            {"type": "heading", "level": 2, "text": "ปัญหา อุปสรรค"}, para(plan.problems or "-"),
            {"type": "heading", "level": 2, "text": "ข้อเสนอแนะ"}, para(plan.suggestions or "-"),
            {"type": "heading", "level": 2, "text": "ทิศทางการดำเนินงานปีงบประมาณถัดไป"},
            para(plan.next_year_direction or "-"),
        ]},
    ]
    findings = check_plan(plan)
    if findings:
        chapters.append({"title": "ภาคผนวก ข้อสังเกตความสอดคล้องของข้อมูลที่นำเข้า", "blocks": [
            para("ตัวเลขต่อไปนี้ระบุไว้ในเอกสารต้นฉบับแต่ไม่ตรงกับข้อมูล ระบบเก็บค่าที่ระบุไว้และแสดงค่าที่คำนวณได้"),
            {"type": "list", "items": [f"[{f.kind_th}] {f.message_th}" for f in findings]},
        ]})
    return {
        "title": f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        "office": office.name_th,
        "fiscal_year": str(plan.fiscal_year),
        "chapters": chapters,
        "figures": [_figure(i) for i in plan.indicators()],
    }


def _figure(i: PlanIndicator) -> dict[str, Any]:
    """One indicator's figures with where each comes from: observations, or the plan's row."""
    counts, denominators = i.observation_ids if i.template_id else ([], [])
    return {
        "project": i.project.number, "indicator": i.pk, "name": i.name,
        "template": i.template.code if i.template else None,
        "target": str(i.target_value), "target_unit": i.target_unit,
        "count": {"value": i.count, "observations": counts},
        "denominator": {"value": i.denominator, "observations": denominators},
        "result": str(i.result()) if i.result() is not None else None,
        "achieved": i.achieved(),
        "source": "observations" if i.template_id else f"plan_indicator:{i.pk}",
    }


def thai_digits(content: Any) -> Any:
    """The same content with every digit in Thai (๐–๙)."""
    if isinstance(content, str):
        return to_thai_digits(content)
    if isinstance(content, list):
        return [thai_digits(c) for c in content]
    if isinstance(content, dict):
        # The figures are for machines (and carry ids): only the printed text turns Thai.
        return {k: thai_digits(v) if k not in ("type", "level", "figures") else v
                for k, v in content.items()}
    return content
