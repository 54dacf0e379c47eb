"""Annual reports (like seed 003): an office's action plan and what became of it.

Accepting writes the office's ``Plan`` for the year through the plans
loader (``load_plan_data``: projects, activities, indicators, budget lines,
context tables and what the report printed). It never replaces a plan: if
the office already has one for that year, the draft is refused with it named.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tidtam.accounts.permissions import AnyUser, can_approve, can_report
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.ingest import facts as stated_facts
from tidtam.ingest.annual_report import (
    KIND,
    ParsedReport,
    parse_annual_report,
    plan_data,
    unsaved_plan,
)
from tidtam.ingest.drafts import DraftRefused, store_draft
from tidtam.ingest.kinds import Handler
from tidtam.ingest.models import ImportedSheet, ImportKind
from tidtam.measures.models import Measure
from tidtam.orgs.models import OrgUnit
from tidtam.plans.loader import PlanFixtureError, load_plan_data
from tidtam.plans.models import Plan, PlanIndicator
from tidtam.plans.money import baht_words
from tidtam.thai.numbers import fmt_decimal

AUDIT_ACTION = Action.PLAN_IMPORT
PROJECT_TEXTS = [("objectives", "วัตถุประสงค์"), ("results", "ผลการดำเนินงาน"),
                 ("problems", "ปัญหา/อุปสรรค"), ("suggestions", "แนวทางการพัฒนา/ข้อเสนอแนะ")]


def parse(raw: str, source_name: str, org: OrgUnit | None) -> ParsedReport:
    return parse_annual_report(raw, source_name=source_name, org=org)


def _money(value: Decimal) -> str:
    return fmt_decimal(value, 2, grouping=True)


def text_summary(parsed: ParsedReport) -> str:
    plan, _, _, lines = unsaved_plan(parsed.plan_json())
    achievement = plan.achievement()
    totals = plan.execution_totals()
    out = [
        f"{parsed.source_name}: {parsed.title}",
        f"หน่วยงาน: {parsed.org.name_th} ({parsed.org.code})",
        f"ปีงบประมาณ: {parsed.fiscal_year}",
        f"โครงการ: {len(parsed.projects)} โครงการ งบประมาณรวม {_money(parsed.budget_total())} บาท",
    ]
    out += [f"  {p.number}. {p.title} · {p.group or '-'} · {_money(p.budget)} บาท"
            for p in parsed.projects]
    out.append(f"ตัวชี้วัดในตารางบทที่ 4: {achievement.total} ตัว บรรลุค่าเป้าหมาย "
               f"{achievement.achieved} ตัว (ร้อยละ {fmt_decimal(achievement.pct, 2)})")
    out.append(f"ผลการเบิกจ่ายตามหมวดงบ: {len(lines)} หมวด ได้รับจัดสรร "
               f"{_money(totals['allocated'] or Decimal(0))} เบิกแล้ว "
               f"{_money(totals['disbursed'] or Decimal(0))} คงเหลือ "
               f"{_money(totals['remaining'] or Decimal(0))} ร้อยละ {fmt_decimal(totals['pct'], 2)}")
    out.append(f"ตารางบทที่ 2: {len(parsed.tables)} ตาราง")
    if parsed.discrepancies:
        out.append(f"สิ่งที่เอกสารพิมพ์ขัดกันเอง ({len(parsed.discrepancies)}):")
        out += [f"  บรรทัดที่ {d.line}: {d.message}" for d in parsed.discrepancies]
    else:
        out.append("ไม่พบตัวเลขที่ขัดกันเอง")
    if parsed.facts:
        out.append(f"ค่าข้อมูลที่เอกสารระบุ ({len(parsed.facts)}): " + "; ".join(
            f"{f['measure']} = {f['value']} (บรรทัดที่ {f['line']})" for f in parsed.facts))
        within = stated_facts.conflicts_within(parsed.facts)
        if within:
            out.append("ค่าข้อมูลเดียวกันที่เอกสารระบุไม่ตรงกัน (ค่าแรกจะถูกบันทึก "
                       "ค่าอื่นเก็บไว้ให้ตรวจสอบ):")
            out += [f"  {line}" for line in within]
    if parsed.notes:
        out.append(f"ข้อสังเกต ({len(parsed.notes)}):")
        out += [f"  {n}" for n in parsed.notes]
    return "\n".join(out)


def create_draft(parsed: ParsedReport, raw: str, user: Any = None) -> ImportedSheet:
    return store_draft(
        KIND, parsed, raw, user,
        discrepancies=[{"line": d.line, "message": d.message, "printed": d.printed,
                        "computed": d.computed} for d in parsed.discrepancies],
        notes=[n.as_dict() for n in parsed.notes],
    )


@dataclass
class PlanAccepted:
    plan: Plan
    projects: int
    indicators: int
    budget_lines: int
    facts: stated_facts.FactsWritten | None = None

    def summary(self) -> str:
        head = (f"รับเข้าแล้ว: แผนปฏิบัติการ ปีงบประมาณ พ.ศ. {self.plan.fiscal_year} ของ "
                f"{self.plan.office.display_name} · โครงการ {self.projects} โครงการ "
                f"· ตัวชี้วัด {self.indicators} ตัว · หมวดงบ {self.budget_lines} หมวด")
        return f"{head}\n{self.facts.summary()}" if self.facts is not None else head


def accept(draft: ImportedSheet, user: Any) -> PlanAccepted:
    """Write the plan from the draft's content; refuse if the office has one for the year."""
    existing = list(Plan.objects.filter(office=draft.org, fiscal_year=draft.fiscal_year))
    if existing:
        listed = "\n".join(
            f"- {p.title} (เลขที่ {p.pk}, {p.projects.count()} โครงการ)" for p in existing)
        raise DraftRefused(
            f"ไม่รับเข้า เพราะ{draft.org.display_name} มีแผนปฏิบัติการปีงบประมาณ พ.ศ. "
            f"{draft.fiscal_year} อยู่แล้ว (การนำเข้าจะไม่เขียนทับ):\n{listed}")
    data = plan_data(draft.content["plan"])
    data["office"] = draft.org.code
    try:
        # every indicator row traced to its line of the imported file
        loaded = load_plan_data(data, source=draft.source_name[:60])
    except PlanFixtureError as exc:
        raise DraftRefused(f"ไม่รับเข้า: {exc}") from None
    written = stated_facts.write(user, draft.org, draft.fiscal_year,
                                 draft.content.get("facts", []), file=draft.source_name,
                                 draft=draft.pk)
    done = PlanAccepted(loaded.plan, loaded.projects, loaded.indicators,
                        loaded.plan.budget_lines.count(), written)
    record(user, AUDIT_ACTION, loaded.plan,
           target=f"แผนปฏิบัติการ ปีงบประมาณ พ.ศ. {draft.fiscal_year}", org=draft.org, after={
               "plan": loaded.plan.pk, "draft": draft.pk, "source": draft.source_name,
               "projects": done.projects, "indicators": done.indicators,
               "budget_lines": done.budget_lines,
               "budget_total": str(loaded.plan.budget_total()),
           }, comment=f"นำเข้าจากร่างเลขที่ {draft.pk}")
    return done


def may_decide(user: AnyUser, org: OrgUnit) -> bool:
    """The office's own staff who keep its plan (reporters) or its approvers, as plans/views."""
    return can_report(user, org) or can_approve(user, org)


def body_context(draft: ImportedSheet) -> dict[str, Any]:
    content = draft.content
    plan, projects, indicators, lines = unsaved_plan(content["plan"])
    by_project: dict[int, list[PlanIndicator]] = {}
    for indicator in indicators:
        by_project.setdefault(indicator.project.number, []).append(indicator)
    read = {p["number"]: p for p in content["plan"]["projects"]}
    rows = []
    for project in projects:
        raw = read[project.number]
        rows.append({
            "project": project, "group": raw.get("group", ""), "owner": raw.get("owner", ""),
            "policy_area": raw.get("policy_area", ""), "line": raw.get("budget_line", 0),
            "table_line": raw.get("table_line", 0),
            "words": baht_words(project.budget),
            "words_differ": bool(project.printed_budget_words)
            and "".join(project.printed_budget_words.split()) != baht_words(project.budget),
            "activities": raw.get("activities", []),
            "texts": [(label, raw.get(key, "")) for key, label in PROJECT_TEXTS if raw.get(key)],
            "alignment": [(content["plan"].get("alignment_kinds", {}).get(key, key), tags)
                          for key, tags in (raw.get("alignment") or {}).items() if tags],
            "indicators": [
                {"i": i, "activity": row[0], "line": row[10], "achieved": i.achieved()}
                for i, row in zip(by_project.get(project.number, []), raw["indicators"],
                                  strict=True)
            ],
        })
    return {
        "report": content, "projects": rows, "achievement": plan.achievement(),
        "narrative": [("introduction", "บทนำ"), ("problems", "ปัญหา อุปสรรค"),
                      ("suggestions", "ข้อเสนอแนะ"),
                      ("next_year_direction", "ทิศทางการพัฒนาปีงบประมาณถัดไป")],
        "budget_lines": lines, "totals": plan.execution_totals(),
        "budget_total": sum((p.budget for p in projects), Decimal(0)),
        "existing_plan": Plan.objects.filter(office=draft.org,
                                             fiscal_year=draft.fiscal_year).first(),
        "facts": _facts_shown(content.get("facts", []), draft.fiscal_year),
    }


def _facts_shown(found: list[dict[str, Any]], fiscal_year: int) -> list[dict[str, Any]]:
    """The stated facts with their measure's name, each second value marked."""
    names = dict(Measure.objects.filter(fiscal_year=fiscal_year,
                                        code__in={f["measure"] for f in found})
                 .values_list("code", "name_th"))
    first: dict[str, str] = {}
    out = []
    for f in found:
        kept = first.setdefault(f["measure"], f["value"])
        out.append(dict(f, name_th=names.get(f["measure"], f["measure"]),
                        differs=kept != f["value"]))
    return out


HANDLER = Handler(
    kind=ImportKind.ANNUAL_REPORT,
    help="รายงานผลการดำเนินงานประจำปีของเขตพื้นที่ (แผนปฏิบัติการ โครงการ ตัวชี้วัด งบประมาณ)",
    parse=parse,
    create_draft=create_draft,
    summary=text_summary,
    accept=accept,
    may_decide=may_decide,
    accept_label="รับเข้า (บันทึกเป็นแผนปฏิบัติการของหน่วยงาน)",
    decider="ผู้รายงานหรือผู้อนุมัติของหน่วยงานนี้",
    body_template="ingest/kinds/annual_report.html",
    body_context=body_context,
)
