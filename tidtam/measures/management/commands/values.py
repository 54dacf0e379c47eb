"""``tidtam values import|export|show``: the observation store from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.csvfiles import ImportFailed
from tidtam.measures.importer import export_values, import_values
from tidtam.measures.models import Observation
from tidtam.measures.usage import as_json, observations_of, used_by
from tidtam.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "ค่าข้อมูล: import FILE.csv นำเข้า, export ส่งออก CSV, show แสดงพร้อมที่มาและเอกสารที่ใช้"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="นำเข้าค่าข้อมูลจาก CSV (ทั้งไฟล์หรือไม่นำเข้าเลย)")
        imp.add_argument("file", type=Path)
        imp.add_argument("--replace", action="store_true",
                         help="บันทึกทับค่าที่ต่างจากที่มีอยู่ (ค่าเริ่มต้น: เก็บไว้ให้ตรวจสอบ)")
        exp = sub.add_parser("export", help="ส่งออกค่าข้อมูลเป็น CSV (คอลัมน์เดียวกับการนำเข้า)")
        exp.add_argument("--org", default=None)
        exp.add_argument("--year", type=int, default=None)
        exp.add_argument("-o", "--output", type=Path, default=None)
        show = sub.add_parser("show", help="แสดงค่าข้อมูลของหน่วยงานพร้อมที่มาและเอกสารที่ใช้")
        show.add_argument("--org", required=True)
        show.add_argument("--year", type=int, required=True)
        show.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _org(self, code: str) -> OrgUnit:
        org = OrgUnit.objects.filter(code=code).first()
        if org is None:
            raise CommandError(f"ไม่พบหน่วยงานรหัส '{code}'")
        return org

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            result = import_values(path.read_bytes(), path.name, replace=options["replace"])
        except ImportFailed as exc:
            raise CommandError(exc.report()) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _export(self, options: dict[str, Any]) -> None:
        qs = Observation.objects.select_related("org", "measure", "period").order_by(
            "org__code", "measure__code", "period__start", "-period__end", "category")
        if options["org"]:
            qs = qs.filter(org=self._org(options["org"]))
        if options["year"]:
            qs = qs.filter(period__fiscal_year=options["year"])
        text = export_values(list(qs))
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8-sig")
            self.stderr.write(f"บันทึก {options['output']} แล้ว")
        else:
            sys.stdout.write(text)

    def _show(self, options: dict[str, Any]) -> None:
        org = self._org(options["org"])
        found = observations_of(org, options["year"])
        places = used_by(found)
        rows = [as_json(o, places[o.pk]) for o in found]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"org": org.code, "fiscal_year": options["year"],
                                          "observations": rows}, ensure_ascii=False, indent=2))
            return
        for r in rows:
            where = ", ".join(f"{p['framework']} {p['heading']}" for p in r["used_by"]) or "-"
            self.stdout.write(f"[{r['id']}] {r['measure']} {r['period']} = {r['text']} "
                              f"{r['unit']} ({r['source']['kind']}) → {where}")
