"""``tidtam incidents recompute|load|overdue``: the safety incidents register, command line."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tidtam.incidents import feeding, workflow
from tidtam.incidents.loader import load_threats
from tidtam.incidents.models import Incident, StateDeadline
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = ("ทะเบียนเหตุความปลอดภัย: recompute คำนวณค่าข้อมูล QP1 จากทะเบียนใหม่, "
            "load โหลดกลุ่มภัยและกำหนดเวลา, overdue แสดงเรื่องที่เกินกำหนด")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("recompute", help="คำนวณค่าข้อมูลของทุกหน่วยงานที่มีเหตุ "
                                               "(หรือเฉพาะ --org, --year)")
        rec.add_argument("--org", default=None, help="รหัสสำนักงานเขตพื้นที่การศึกษา")
        rec.add_argument("--year", type=int, default=None, help="ปีงบประมาณ (พ.ศ.)")
        sub.add_parser("load", help="โหลด tidtam/incidents/fixtures/threats.yaml")
        over = sub.add_parser("overdue", help="เรื่องที่เกินกำหนดเวลาของสถานะ")
        over.add_argument("--org", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            r = load_threats()
            self.stdout.write(f"กลุ่มภัยและกำหนดเวลา: เปลี่ยนแปลง {r.changed} ไม่เปลี่ยนแปลง {r.unchanged}")
        elif action == "recompute":
            if options["org"]:
                office = OrgUnit.objects.filter(code=options["org"]).first()
                if office is None:
                    raise CommandError(f"ไม่พบหน่วยงานรหัส '{options['org']}'")
                years = ([options["year"]] if options["year"] else sorted(set(
                    Incident.objects.filter(org__path__startswith=office.path)
                    .values_list("fiscal_year", flat=True))))
                changed = sum(feeding.recompute(office, y) for y in years)
            else:
                changed = feeding.recompute_all(options["year"])
            self.stdout.write(f"ค่าข้อมูลจากทะเบียนเหตุ: เปลี่ยนแปลง {changed} รายการ")
        else:
            deadlines = dict(StateDeadline.objects.values_list("state", "hours"))
            qs = Incident.objects.select_related("org")
            if options["org"]:
                qs = qs.filter(org__path__regex=rf"(^|/){re.escape(options['org'])}/")
            now = timezone.now()
            late = [c for c in qs if workflow.overdue(c, deadlines, now)]
            for c in late:
                self.stdout.write(f"{c.tracking_code}\t{c.get_state_display()}\t"
                                  f"{c.org.code}\t{(now - c.state_since).days} วัน")
            self.stdout.write(f"เกินกำหนด {len(late)} เรื่อง")
