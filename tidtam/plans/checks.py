"""Checks that would have caught the errors of seed 003 (DOMAIN.md §7).

Each check compares a figure the document *printed* (kept in a ``printed_*``
field or a plan statement) with what the stored data give, at the precision
it was printed (two decimals, half-up). A mismatch is a ``Finding``: the
printed value stays stored, the finding says where and what it should be.

Classes (``Finding.kind``):
- ``pct_vs_counts``: a percentage against its part and whole;
- ``achieved_flag``: "achieved" against the target and the result;
- ``count_vs_list``: a stated number of items against the items listed;
- ``total_vs_parts``: a total or remainder against its parts;
- ``words_vs_amount``: an amount in Thai words against the amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tidtam.plans.models import BudgetLine, Plan, PlanIndicator, Project, percent
from tidtam.plans.money import baht_words, normalise_words
from tidtam.thai.numbers import fmt_decimal, quantize

KINDS = {
    "pct_vs_counts": "ร้อยละไม่ตรงกับจำนวน",
    "achieved_flag": "ผลการบรรลุไม่ตรงกับค่าเป้าหมาย",
    "count_vs_list": "จำนวนที่ระบุไม่ตรงกับรายการ",
    "total_vs_parts": "ยอดรวมไม่ตรงกับส่วนประกอบ",
    "words_vs_amount": "จำนวนเงินตัวอักษรไม่ตรงกับตัวเลข",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str
    printed: str
    expected: str
    message_th: str

    @property
    def kind_th(self) -> str:
        return KINDS[self.kind]


def _money(value: Decimal) -> str:
    return fmt_decimal(value, 2, grouping=True)


def _pct(value: Decimal | None) -> str:
    return fmt_decimal(value, 2)


def _differs(printed: Decimal, computed: Decimal | None) -> bool:
    return computed is not None and quantize(printed) != quantize(computed)


# --- one check per class ----------------------------------------------------
def check_percentage(where: str, part: Decimal | int, whole: Decimal | int,
                     printed_pct: Decimal) -> Finding | None:
    computed = percent(part, whole)
    if not _differs(printed_pct, computed):
        return None
    return Finding("pct_vs_counts", where, _pct(printed_pct), _pct(computed),
                   f"{where}: ระบุร้อยละ {_pct(printed_pct)} แต่ "
                   f"{Decimal(part):,} จาก {Decimal(whole):,} "
                   f"คิดเป็นร้อยละ {_pct(computed)}")


def check_achieved_flag(indicator: PlanIndicator, where: str) -> Finding | None:
    achieved = indicator.achieved()
    printed = indicator.printed_achieved
    if printed is None or achieved is None or achieved == printed:
        return None
    said = "บรรลุ" if indicator.printed_achieved else "ไม่บรรลุ"
    real = "บรรลุ" if achieved else "ไม่บรรลุ"
    return Finding("achieved_flag", where, said, real,
                   f"{where}: ระบุว่า{said}เป้าหมาย แต่ผล {_pct(indicator.result())} "
                   f"เทียบกับค่าเป้าหมาย {indicator.comparator} {_pct(indicator.target_value)} "
                   f"คือ{real}")


def check_count(where: str, stated: int, items: Sequence[Any]) -> Finding | None:
    if stated == len(items):
        return None
    return Finding("count_vs_list", where, str(stated), str(len(items)),
                   f"{where}: ระบุ {stated} รายการ แต่รายการที่มีจริงมี {len(items)} รายการ")


def check_total(where: str, stated: Decimal, parts: Sequence[Decimal]) -> Finding | None:
    total = sum(parts, Decimal(0))
    if quantize(stated) == quantize(total):
        return None
    return Finding("total_vs_parts", where, _money(stated), _money(total),
                   f"{where}: ระบุ {_money(stated)} แต่ผลรวมของส่วนประกอบคือ {_money(total)}")


def check_words(where: str, amount: Decimal, printed_words: str) -> Finding | None:
    expected = baht_words(amount)
    if not printed_words or normalise_words(printed_words) == normalise_words(expected):
        return None
    return Finding("words_vs_amount", where, printed_words, expected,
                   f"{where}: จำนวนเงิน {_money(amount)} บาท เขียนเป็นตัวอักษรว่า "
                   f"\"{printed_words}\" ที่ถูกต้องคือ \"{expected}\"")


# --- over a whole plan ---------------------------------------------------------
def _indicator_where(indicator: PlanIndicator) -> str:
    source = f" ({indicator.source})" if indicator.source else ""
    return f"โครงการที่ {indicator.project.number} ตัวชี้วัด \"{indicator.name[:60]}\"{source}"


def indicator_findings(indicator: PlanIndicator) -> list[Finding]:
    where = _indicator_where(indicator)
    found: list[Finding | None] = [check_achieved_flag(indicator, where)]
    if (indicator.count is not None and indicator.denominator and indicator.actual_value is not None
            and indicator.actual_unit == indicator.target_unit == "ร้อยละ"):
        found.append(check_percentage(where, indicator.count, indicator.denominator,
                                      indicator.actual_value))
    return [f for f in found if f]


def budget_line_findings(line: BudgetLine, where: str) -> list[Finding]:
    found: list[Finding | None] = []
    printed = line.printed_remaining
    if printed is not None and quantize(printed) != quantize(line.remaining):
        found.append(Finding(
            "total_vs_parts", f"{where} คงเหลือ", _money(printed), _money(line.remaining),
            f"{where}: ระบุคงเหลือ {_money(printed)} แต่ได้รับจัดสรร {_money(line.allocated)} − "
            f"เบิกแล้ว {_money(line.disbursed)} = {_money(line.remaining)}"))
    if line.printed_pct is not None:
        found.append(check_percentage(f"{where} ร้อยละการเบิกจ่าย", line.disbursed, line.allocated,
                                      line.printed_pct))
    return [f for f in found if f]


def project_findings(project: Project) -> list[Finding]:
    found = check_words(f"โครงการที่ {project.number} งบประมาณ", project.budget,
                        project.printed_budget_words)
    return [found] if found else []


def statement_findings(plan: Plan) -> list[Finding]:
    found: list[Finding | None] = []
    for s in plan.statements:
        where = f"{s.get('label', '')} ({s.get('source', '')})"
        if s.get("kind") == "sum":
            found.append(check_total(where, Decimal(s["stated"]),
                                     [Decimal(value) for _, value in s["parts"]]))
        elif s.get("kind") == "ratio":
            found.append(check_percentage(where, Decimal(s["part"]), Decimal(s["whole"]),
                                          Decimal(s["stated"])))
    return [f for f in found if f]


def plan_summary_findings(plan: Plan) -> list[Finding]:
    indicators = plan.indicators()
    achievement = plan.achievement()
    found: list[Finding | None] = []
    if plan.printed_indicator_count is not None:
        found.append(check_count("จำนวนตัวชี้วัดของแผน", plan.printed_indicator_count, indicators))
        if plan.printed_achieved_count is not None and plan.printed_achievement_pct is not None:
            found.append(check_percentage("ร้อยละของตัวชี้วัดที่บรรลุ (ตามจำนวนที่ระบุ)",
                                          plan.printed_achieved_count, plan.printed_indicator_count,
                                          plan.printed_achievement_pct))
    if plan.printed_achieved_count is not None:
        achieved = [i for i in indicators if i.achieved()]
        found.append(check_count("จำนวนตัวชี้วัดที่บรรลุค่าเป้าหมาย", plan.printed_achieved_count,
                                 achieved))
    if plan.printed_achievement_pct is not None and achievement.total:
        found.append(check_percentage("ร้อยละของตัวชี้วัดที่บรรลุ (จากตัวชี้วัดทั้งหมด)",
                                      achievement.achieved, achievement.total,
                                      plan.printed_achievement_pct))
    totals = plan.execution_totals()
    labels = {"allocated": "ได้รับจัดสรร", "disbursed": "เบิกแล้ว", "remaining": "คงเหลือ"}
    lines = plan.budget_lines_in_total()
    for key, label in labels.items():
        if key in plan.printed_budget_totals:
            parts = [getattr(line, key) for line in lines]
            stated = Decimal(plan.printed_budget_totals[key])
            found.append(check_total(f"ยอดรวม{label}", stated, parts))
    if "pct" in plan.printed_budget_totals and totals["allocated"]:
        found.append(check_percentage("ร้อยละการเบิกจ่ายรวม", totals["disbursed"] or 0,
                                      totals["allocated"] or 0,
                                      Decimal(plan.printed_budget_totals["pct"])))
    return [f for f in found if f]


def check_plan(plan: Plan) -> list[Finding]:
    """Every contradiction in a plan, in reading order."""
    findings: list[Finding] = []
    for project in plan.projects.all():
        findings += project_findings(project)
    for indicator in plan.indicators():
        findings += indicator_findings(indicator)
    for line in plan.budget_lines.all():
        findings += budget_line_findings(line, f"ผลการเบิกจ่าย {line.display_label}")
    findings += statement_findings(plan)
    findings += plan_summary_findings(plan)
    return findings
