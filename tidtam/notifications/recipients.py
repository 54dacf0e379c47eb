"""Who is told: the people whose role, held on a unit, reaches the office in question.

Roles reach a unit's whole subtree (``tidtam.accounts.permissions``); here the
question is turned round: given an office, which users hold a role whose unit
is the office or one of its ancestors. Only explicit assignments count: a
superuser or an administrator may act anywhere, but is not told about every
office in the country.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from tidtam.accounts.models import RoleAssignment
from tidtam.orgs.models import OrgUnit


def holders(role: str, org: OrgUnit) -> list[Any]:
    """Active users holding ``role`` on ``org`` or above it."""
    return sorted(reach(role, [org]), key=lambda u: u.pk)


def reach(role: str, offices: Iterable[OrgUnit]) -> dict[Any, list[OrgUnit]]:
    """Each active user holding ``role`` over some of ``offices`` → those offices, in order."""
    offices = list(offices)
    out: dict[int, list[OrgUnit]] = defaultdict(list)
    assignments = list(RoleAssignment.objects.filter(role=role, user__is_active=True)
                       .values_list("user_id", "org__path"))
    for office in offices:
        for user_id in sorted({u for u, path in assignments if office.path.startswith(path)}):
            out[user_id].append(office)
    users = get_user_model().objects.in_bulk(list(out))
    return {users[uid]: found for uid, found in out.items()}
