"""``tidtam plans load-fixture [FILE.yaml]``, ``check`` and ``report`` for an office and year.

``tidtam plans report --org SPM-65-53 --year 2565 --format docx -o report.docx``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.plans.checks import check_plan
from tidtam.plans.loader import PlanFixtureError, load_demo_plans, load_plan_file
from tidtam.plans.models import Plan
from tidtam.plans.render import FORMATS, render_report


def get_plan(org: str, year: int) -> Plan:
    plan = Plan.objects.filter(office__code=org, fiscal_year=year).first()
    if plan is None:
        raise CommandError(f"ไม่พบแผนปฏิบัติการของหน่วยงาน {org} ปีงบประมาณ {year}")
    return plan


class Command(BaseCommand):
    help = "แผนปฏิบัติการ: load-fixture นำเข้าแผนจาก YAML, check ตรวจความสอดคล้องของตัวเลข"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-fixture", help="นำเข้าแผน (ไม่ระบุไฟล์ = แผนตัวอย่างทั้งหมด)")
        load.add_argument("file", type=Path, nargs="?")
        check = sub.add_parser("check", help="ตรวจตัวเลขที่ระบุในเอกสารกับข้อมูล")
        check.add_argument("--org", required=True)
        check.add_argument("--year", type=int, required=True)
        report = sub.add_parser("report", help="รายงานผลการดำเนินงานประจำปี")
        report.add_argument("--org", required=True)
        report.add_argument("--year", type=int, required=True)
        report.add_argument("--format", choices=FORMATS, default="html")
        report.add_argument("--thai-digits", action="store_true")
        report.add_argument("-o", "--output", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "report":
            plan = get_plan(options["org"], options["year"])
            if options["format"] != "html" and not options["output"]:
                raise CommandError(f"รูปแบบ {options['format']} ต้องระบุไฟล์ด้วย -o")
            data = render_report(plan, options["format"], thai=options["thai_digits"])
            if options["output"]:
                options["output"].write_bytes(data)
            else:
                self.stdout.write(data.decode())
            return
        if options["action"] == "check":
            findings = check_plan(get_plan(options["org"], options["year"]))
            for f in findings:
                self.stdout.write(f"[{f.kind_th}] {f.message_th}")
            self.stdout.write(f"พบ {len(findings)} รายการ")
            return
        path: Path | None = options["file"]
        if path is not None and not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            results = [load_plan_file(path)] if path else load_demo_plans()
        except PlanFixtureError as exc:
            raise CommandError(str(exc)) from None
        for r in results:
            self.stdout.write(self.style.SUCCESS(
                f"{r.plan.office.display_name} ปีงบประมาณ {r.plan.fiscal_year}: "
                f"{r.projects} โครงการ {r.indicators} ตัวชี้วัด"))
