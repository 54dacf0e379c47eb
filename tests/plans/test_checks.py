"""One test per inconsistency class of DOMAIN.md §7 that occurs in seed 003.

Each check fails on the value 003 printed and passes once it is corrected;
the printed value stays stored next to the finding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tidtam.plans.checks import (
    check_achieved_flag,
    check_count,
    check_percentage,
    check_plan,
    check_total,
    check_words,
)


def kinds(plan: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in check_plan(plan):
        found.setdefault(f.kind, []).append(f.where)
    return found


def test_percentage_against_counts() -> None:
    # 003 L3284: 312.923 of 338.316 million baht printed as 96.04 %
    finding = check_percentage("L3284", Decimal("312.923"), Decimal("338.316"), Decimal("96.04"))
    assert finding is not None and finding.expected == "92.49"
    assert "ระบุร้อยละ 96.04" in finding.message_th and "ร้อยละ 92.49" in finding.message_th
    corrected = Decimal("92.49")
    assert check_percentage("L3284", Decimal("312.923"), Decimal("338.316"), corrected) is None


def test_achieved_flag_against_target(plan: Any) -> None:
    # 003 L3238: 34 of 57 schools = 59.65 % against a 60 % target, marked achieved
    indicator = plan.indicators()[0].__class__.objects.get(project__plan=plan, source="003 L3238")
    assert indicator.printed_achieved is True
    finding = check_achieved_flag(indicator, "L3238")
    assert finding is not None and (finding.printed, finding.expected) == ("บรรลุ", "ไม่บรรลุ")
    assert "59.65" in finding.message_th
    indicator.printed_achieved = False
    assert check_achieved_flag(indicator, "L3238") is None
    indicator.printed_achieved = True
    indicator.count = 35  # 35/57 = 61.40 %: then "achieved" is right
    assert check_achieved_flag(indicator, "L3238") is None


def test_stated_count_against_list(plan: Any) -> None:
    # 003 L3061: "49 ตัวชี้วัด" while the table below it lists 51
    listed = plan.indicators()
    assert len(listed) == 51
    finding = check_count("L3061", 49, listed)
    assert finding is not None and (finding.printed, finding.expected) == ("49", "51")
    assert check_count("L3061", 51, listed) is None


def test_remainder_against_its_parts(plan: Any) -> None:
    # 003 L3351: งบกลาง 5,851,800.00 − 5,851,795.80 printed as 5.20 (is 4.20)
    central = plan.budget_lines.get(category="central")
    assert central.printed_remaining == Decimal("5.20") and central.remaining == Decimal("4.20")
    assert "คงเหลือ" in kinds(plan)["total_vs_parts"][0]
    central.printed_remaining = Decimal("4.20")
    central.printed_pct = Decimal("100.00")
    central.save()
    assert not any("งบกลาง" in where for where in kinds(plan).get("total_vs_parts", []))


def test_total_against_its_parts() -> None:
    # 003 L2283–2293: 362 requests, by reason 155+5+24+26+5+33+2+15+87 = 352
    parts = [Decimal(n) for n in (155, 5, 24, 26, 5, 33, 2, 15, 87)]
    finding = check_total("L2283", Decimal(362), parts)
    assert finding is not None and finding.expected == "352.00"
    assert check_total("L2283", Decimal(352), parts) is None


def test_amount_against_words() -> None:
    # 003 L1933: 348,445 บาท written "…สี่ร้อยสี่สิบบาทถ้วน" (the ห้า is missing)
    printed = "-สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบบาทถ้วน-"
    finding = check_words("L1933", Decimal(348445), printed)
    assert finding is not None and finding.expected == "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน"
    assert check_words("L1933", Decimal(348445), "-สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน-") is None


def test_the_whole_plan_is_flagged_and_keeps_what_was_printed(plan: Any) -> None:
    found = kinds(plan)
    assert set(found) == {"pct_vs_counts", "achieved_flag", "count_vs_list", "total_vs_parts",
                          "words_vs_amount"}
    # 003's amounts in words wrong for projects 5, 6, 7 and 12 (L1811, L1933, L2209, L2734)
    assert found["words_vs_amount"] == [f"โครงการที่ {n} งบประมาณ" for n in (5, 6, 7, 12)]
    assert plan.projects.get(number=6).printed_budget_words.endswith("สี่สิบบาทถ้วน")
    # the same achievement rate printed twice, 95.92 (L3061) and 95.52 (L3191)
    assert any("003 L3191" in w for w in found["pct_vs_counts"])
    # Table 13's printed totals agree with the lines: no finding on them
    assert not any(w.startswith("ยอดรวม") for w in found["total_vs_parts"])
