"""Loading YAML fixtures into the database: one upsert and one result for every app.

Fixtures (frameworks, measures, validation rules, inspection forms) are loaded
by an upsert keyed by codes, so running a load again changes nothing, and a
corrected fixture updates names in place without touching the rows that refer
to them. The count of changed rows lets ``tidtam init`` say whether anything
happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class FixtureError(ValueError):
    """A fixture file is malformed; the message names the file and the entry."""


@dataclass
class LoadResult:
    changed: int = 0
    unchanged: int = 0

    def add(self, other: LoadResult) -> LoadResult:
        self.changed += other.changed
        self.unchanged += other.unchanged
        return self


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any],
           result: LoadResult) -> M:
    """The row ``lookup`` names, created or updated to ``values``; counted in ``result``."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        result.changed += 1
        return obj
    dirty = [k for k, v in values.items() if getattr(obj, k) != v]
    if dirty:
        for k in dirty:
            setattr(obj, k, values[k])
        obj.save(update_fields=dirty)
        result.changed += 1
    else:
        result.unchanged += 1
    return obj


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def choice(value: Any, choices: type[models.TextChoices], where: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise FixtureError(f"{where}: ค่า '{value}' ใช้ไม่ได้ (ใช้ได้: {allowed})")
    return str(value)
