"""``record``: the one way anything in tidtam writes the audit log.

Every path that changes data that matters — the web pages, the API, the
command line, imports and the Django admin — calls ``record`` with the
object the change concerns. The entry is keyed to that object (content type
and id); its org unit and submission are worked out from the object unless
given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from tidtam.audit.models import Action, AuditEntry
from tidtam.orgs.models import OrgUnit

# How to reach the org unit an object belongs to, tried in order (a dotted path of attributes).
ORG_PATHS = (
    "org", "office", "unit", "submission.org", "report.submission.org", "report.org",
    "project.plan.office", "plan.office", "entry.unit",
)


def jsonable(value: Any) -> Any:
    """A value as the JSON columns keep it: decimals and dates as text, files by name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def _follow(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def org_of(obj: Any) -> OrgUnit | None:
    if isinstance(obj, OrgUnit):
        return obj
    for path in ORG_PATHS:
        found = _follow(obj, path)
        if isinstance(found, OrgUnit):
            return found
    return None


def submission_of(obj: Any) -> Any:
    from tidtam.reporting.models import Submission

    if isinstance(obj, Submission):
        return obj
    for path in ("submission", "report.submission"):
        found = _follow(obj, path)
        if isinstance(found, Submission):
            return found
    return None


def record(
    user: Any, action: str, obj: models.Model | None = None, *, target: str = "",
    org: OrgUnit | None = None, submission: Any = None,
    before: Any = None, after: Any = None, comment: str = "",
) -> AuditEntry:
    """Write one entry: ``user`` did ``action`` to ``obj`` (before → after).

    ``target`` describes the object in Thai as it is now (default: its str);
    ``before``/``after`` are JSON values. A deleted object is recorded just
    before its deletion so the entry keeps its key.
    """
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}: add it to tidtam.audit.models.Action")
    if submission is None and obj is not None:
        submission = submission_of(obj)
    if org is None:
        org = submission.org if submission is not None else org_of(obj)
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        org=org, submission=submission, action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        target=(target or (str(obj) if obj is not None else ""))[:255],
        before=jsonable(before), after=jsonable(after), comment=comment,
    )


# Values never written to the log; a change of them is recorded as a change.
SECRET_FIELDS = frozenset({"password", "key_hash"})
SECRET = "(ค่าที่เก็บเป็นความลับ)"


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Every field of a row as stored (foreign keys by id, many-to-many as sorted ids).

    A model may define ``audit_values()`` to say what its history consists of
    (a rating: level, status, actual, target, note).
    """
    values = getattr(obj, "audit_values", None)
    if callable(values):
        return jsonable(values())
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if field.name in SECRET_FIELDS and value:
            # a digest, so that a change shows as a change without the value itself
            value = f"{SECRET} {hashlib.sha256(str(value).encode()).hexdigest()[:8]}"
        out[field.name] = jsonable(value)
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            out[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return out


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None
            ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Only the fields that differ (all of them for an added or a deleted row)."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
