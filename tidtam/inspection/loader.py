"""Load the inspection framework fixtures (``fixtures/fy<year>/*.yaml``).

An upsert keyed by codes and numbers: loading twice changes nothing, and a
corrected title is updated in place without touching the entries that point
at the question. Call :func:`load_inspection_frameworks` from ``tidtam init``
and the demo loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from tidtam.inspection.models import ALL_LEVELS, InspectionFramework, Issue, Policy, Question

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
SECTION_COUNT = 5


class FixtureError(ValueError):
    """A malformed fixture; the message names the file and the place."""


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, bool]:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    dirty = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in dirty:
        setattr(obj, k, values[k])
    if dirty:
        obj.save(update_fields=dirty)
    return obj, bool(dirty)


def _levels(raw: Any, where: str) -> list[str]:
    levels = list(raw or ALL_LEVELS)
    bad = [x for x in levels if x not in ALL_LEVELS]
    if bad:
        raise FixtureError(f"{where}: ระดับ {bad} ไม่รู้จัก (ใช้ได้: {', '.join(ALL_LEVELS)})")
    return levels


def load_file(path: Path) -> int:
    """Load one framework file; returns the number of rows added or changed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = data.get("sections") or []
    if len(sections) != SECTION_COUNT:
        raise FixtureError(f"{path.name}: ต้องมีหัวข้อย่อย {SECTION_COUNT} หัวข้อ พบ {len(sections)}")
    changed = 0
    with transaction.atomic():
        fw, c = _upsert(
            InspectionFramework, {"code": data["code"], "year": int(data["year"])},
            {"title": data["title"], "form": data.get("form", ""), "sections": sections},
        )
        changed += c
        for policy_data in data["policies"]:
            policy, c = _upsert(
                Policy, {"framework": fw, "number": int(policy_data["number"])},
                {"title": policy_data["title"]},
            )
            changed += c
            for i_order, issue_data in enumerate(policy_data["issues"], start=1):
                code = str(issue_data["code"])
                issue, c = _upsert(
                    Issue, {"policy": policy, "code": code},
                    {"title": issue_data["title"], "order": i_order,
                     "optional": bool(issue_data.get("optional", False))},
                )
                changed += c
                for q_order, q in enumerate(issue_data.get("questions") or [], start=1):
                    where = f"{path.name} ประเด็น {code} ข้อ {q_order}"
                    levels = _levels(q.get("levels"), where)
                    question, c = _upsert(
                        Question, {"issue": issue, "number": str(q_order)},
                        {"text": q["text"], "definition": q.get("definition", ""),
                         "levels": levels, "order": q_order * 100, "parent": None},
                    )
                    changed += c
                    for s_order, sub in enumerate(q.get("subtypes") or [], start=1):
                        _, c = _upsert(
                            Question, {"issue": issue, "number": f"{q_order}.{s_order}"},
                            {"text": sub, "definition": "", "levels": levels,
                             "order": q_order * 100 + s_order, "parent": question},
                        )
                        changed += c
    return changed


def load_inspection_frameworks(base: Path = FIXTURES_DIR) -> int:
    """Load every inspection framework fixture; 0 when the database already matches."""
    return sum(load_file(p) for p in sorted(base.glob("fy*/*.yaml")))
