"""``tidtam burden --org CODE --year 2566 [--format json]``: what an office must fill in."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.measures.burden import burden
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "ภาระการรายงาน: จำนวนข้อมูลที่หน่วยงานต้องกรอกทุกกรอบของปี และข้อมูลที่ใช้ร่วมกัน"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        org = OrgUnit.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"ไม่พบหน่วยงานรหัส '{options['org']}'")
        b = burden(org, options["year"])
        if options["format"] == "json":
            data = b.as_json()
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{org.display_name} ปีงบประมาณ {options['year']}")
        self.stdout.write(f"ข้อมูลที่ต้องกรอก {b.inputs:,} รายการ (ใช้ร่วมกันหลายที่ {b.shared:,})"
                          f" จากที่แบบรายงานถามทั้งหมด {b.before:,} ครั้ง")
        if b.fed:
            self.stdout.write(f"ในจำนวนนี้ทะเบียนของหน่วยงานกรอกให้เอง {len(b.fed):,} รายการ"
                              f" เหลือที่ต้องพิมพ์ {b.to_type:,} รายการ")
        for code, n in b.by_framework.items():
            self.stdout.write(f"  {code}: ถาม {n:,} ครั้ง")
