"""The personal fields of a case: read here, by its handlers only, and every read audited."""

from __future__ import annotations

from typing import Any

from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.incidents.models import Incident
from tidtam.incidents.workflow import may_handle

PERSONAL = ("reporter_name", "reporter_contact", "people_involved")


def personal(user: Any, incident: Incident, where: str) -> dict[str, str] | None:
    """The reporter and the people involved, for a handler (the read is logged); else None."""
    if not may_handle(user, incident):
        return None
    values = {name: getattr(incident, name) for name in PERSONAL}
    if any(values.values()):
        record(user, Action.INCIDENT_READ, incident, org=incident.org,
               target=f"{incident} · {where}")
    return values
