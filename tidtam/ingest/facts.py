"""Facts a legacy document states in its sentences, brought into the observation store.

An annual report prints the office's learner count in chapter 3 and again in
chapter 4 — and 003 prints it as 42,753 (L549) and as 41,965 (L1047). Which
sentences state which measure is data (``fixtures/<kind>_facts.yaml``: one
regular expression per sentence form, its named groups the measure codes).
Accepting the import writes each fact once, for the document's fiscal year,
with the file and line it came from; a second, different value — later in
the same document, or against a value already stored — is kept as a
disagreement for the evaluator, never written over the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.measures import store
from tidtam.measures.models import YEAR_TYPE, Measure, Period, SourceKind
from tidtam.orgs.models import OrgUnit

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    data = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8")) or {}
    return tuple(re.compile(f["pattern"]) for f in data.get("facts", []))


def read(lines: list[str], fixture: str) -> list[dict[str, Any]]:
    """Every fact the lines state, in document order: ``{measure, value, line, text}``.

    ``lines`` are the repaired text with Arabic digits. One value per measure,
    line and value: two sentence forms matching the same words count once.
    """
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, str]] = set()
    for index, line in enumerate(lines):
        for pattern in _patterns(fixture):
            for m in pattern.finditer(line):
                for code, raw in m.groupdict().items():
                    if raw is None:
                        continue
                    try:
                        value = Decimal(raw.replace(",", ""))
                    except InvalidOperation:
                        continue
                    shown = f"{value:,}" if value == value.to_integral_value() else str(value)
                    key = (code, index + 1, shown)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append({"measure": code, "value": shown, "line": index + 1,
                                "text": " ".join(m.group(0).split())})
    out.sort(key=lambda f: (f["line"], f["measure"]))
    return out


def conflicts_within(facts: list[dict[str, Any]]) -> list[str]:
    """Thai lines naming each measure the document itself states with two values."""
    first: dict[str, dict[str, Any]] = {}
    out = []
    for f in facts:
        kept = first.setdefault(f["measure"], f)
        if _number(kept["value"]) != _number(f["value"]):
            out.append(f"{f['measure']}: บรรทัดที่ {kept['line']} ระบุ {kept['value']} "
                       f"แต่บรรทัดที่ {f['line']} ระบุ {f['value']}")
    return out


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@dataclass
class FactsWritten:
    created: int = 0
    unchanged: int = 0
    disagreements: list[str] = field(default_factory=list)
    #: measure codes the year's register does not have (nothing stored for them)
    unknown: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"ค่าข้อมูลที่เอกสารระบุ: บันทึกใหม่ {self.created} รายการ",
                 f"ตรงกับที่บันทึกไว้ {self.unchanged}"]
        if self.disagreements:
            parts.append(f"ไม่ตรงกัน {len(self.disagreements)} รายการ (เก็บไว้ให้ตรวจสอบ "
                         f"ไม่ได้บันทึกทับ: {'; '.join(self.disagreements)})")
        if self.unknown:
            parts.append(f"ไม่มีในทะเบียนรายการข้อมูลของปีนี้: {', '.join(sorted(self.unknown))}")
        return " · ".join(parts)


def write(user: Any, org: OrgUnit, fiscal_year: int, facts: list[dict[str, Any]], *,
          file: str, draft: int | None = None) -> FactsWritten:
    """Store the document's facts for ``org`` and its fiscal year (call inside the accept)."""
    done = FactsWritten()
    if not facts:
        return done
    measures = {m.code: m for m in Measure.objects.filter(
        fiscal_year=fiscal_year, code__in={f["measure"] for f in facts})}
    period = Period.of(fiscal_year, YEAR_TYPE)
    for f in facts:
        measure = measures.get(f["measure"])
        if measure is None:
            if f["measure"] not in done.unknown:
                done.unknown.append(f["measure"])
            continue
        source = {"file": file, "line": f["line"], "draft": draft, "text": f["text"]}
        obs = store.find(org, measure, period)
        if obs is None:
            written = store.write(user, org, measure, period, f["value"], 0,
                                  source_kind=SourceKind.IMPORTED, source=source)
            record(user, Action.OBSERVATION_IMPORT, written.observation,
                   target=f"{measure.name_th} ({period.label_th})", org=org,
                   after=written.observation.text,
                   comment=f"นำเข้าจาก {file} บรรทัดที่ {f['line']}")
            done.created += 1
        elif obs.value_decimal is not None and obs.value_decimal == _number(f["value"]):
            done.unchanged += 1
        else:
            store.record_disagreement(org, measure, period, f["value"],
                                      source_kind=SourceKind.IMPORTED, source=source,
                                      observation=obs)
            done.disagreements.append(
                f"{measure.name_th} บันทึกไว้ {obs.text} แต่บรรทัดที่ {f['line']} ระบุ {f['value']}")
    return done
