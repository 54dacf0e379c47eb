"""``tidtam measures list --year 2566 [--format json]``: the register and where each is asked."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tidtam.measures.models import Measure
from tidtam.measures.usage import bindings_of, describe


class Command(BaseCommand):
    help = "ทะเบียนรายการข้อมูล: list แสดงรายการข้อมูลของปีพร้อมกรอบที่ถาม"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        lst = sub.add_parser("list", help="แสดงรายการข้อมูลของปีงบประมาณพร้อมกรอบที่ถาม")
        lst.add_argument("--year", type=int, required=True)
        lst.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        measures = list(Measure.objects.filter(fiscal_year=options["year"])
                        .select_related("numerator", "denominator"))
        bindings = bindings_of(measures)
        rows = [{
            "code": m.code, "name_th": m.name_th, "value_type": m.value_type, "unit": m.unit,
            "aggregation": m.aggregation, "definition_th": m.definition_th,
            "numerator": m.numerator.code if m.numerator else None,
            "denominator": m.denominator.code if m.denominator else None,
            "reported_by": m.reported_by, "categories": m.categories, "source": m.source,
            "bindings": [describe(e) for e in bindings.get(m.pk, [])],
        } for m in measures]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"fiscal_year": options["year"], "measures": rows},
                                         ensure_ascii=False, indent=2))
            return
        for r in rows:
            where = ", ".join(f"{b['framework']} {b['heading']}" for b in r["bindings"]) or "-"
            self.stdout.write(f"{r['code']}\t{r['name_th']} ({r['unit'] or r['value_type']})"
                              f"\t→ {where}")
