"""Demo incidents (``tidtam/demo/fixtures/incidents_*.yaml``), walked through the workflow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model

from tidtam.incidents import workflow
from tidtam.incidents.loader import load_threats
from tidtam.incidents.models import Incident


def load_demo_incidents(path: Path) -> int:
    """Create the cases not there yet (by tracking code); returns how many were created."""
    load_threats()
    users = {u.username: u for u in get_user_model().objects.all()}
    created = 0
    for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        if Incident.objects.filter(tracking_code=e["code"]).exists():
            continue
        day = e["happened_on"]
        case = workflow.report(None, workflow.Report(
            org_code=e["org"], group_code=e["group"], type_code=e.get("type", ""),
            what=e["what"], happened_on=day if isinstance(day, dt.date)
            else dt.date.fromisoformat(str(day)), place=e.get("place", ""),
            reporter_name=e.get("reporter_name", ""),
            reporter_contact=e.get("reporter_contact", ""),
            people_involved=e.get("people_involved", "")))
        Incident.objects.filter(pk=case.pk).update(tracking_code=e["code"])
        case.refresh_from_db()
        for action, username, note in e.get("steps", []):
            assignee = None
            if action == "assign":
                assignee = workflow.action_candidates(case.handler)[0]
            case = workflow.apply(users[username], case, action, note=note, assignee=assignee)
        created += 1
    return created
