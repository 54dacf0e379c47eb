"""Who reads a child's personal data, and the record that they did.

A child's names, full ID, birth date, address and home pin are read only by
a *handler* of the case: ``Role.CHILD_HANDLER`` held on the case's unit or a
unit above it (an office administrator of the whole system — ``Role.ADMIN`` or a
superuser — counts too, as everywhere). Anyone else who may read the unit
sees the case's masked ID, unit, grade, state and dates, never a name. Every
page, API answer and export that shows personal data writes ``CHILD_READ`` (or
``CHILD_EXPORT``) with the cases shown, so a read is never silent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import AnyUser, has_role, org_filter, roles_of
from tidtam.audit.log import record
from tidtam.audit.models import Action
from tidtam.children.models import Case
from tidtam.orgs.models import OrgUnit

HANDLER_ROLES = frozenset({Role.CHILD_HANDLER})


def handles(user: AnyUser, org: OrgUnit) -> bool:
    return has_role(user, HANDLER_ROLES, org)


def handled_cases(user: AnyUser) -> QuerySet[Case]:
    """The cases whose personal data ``user`` may read."""
    return Case.objects.filter(org_filter(user, HANDLER_ROLES, "org__"))


def readable_cases(user: AnyUser) -> QuerySet[Case]:
    """The cases ``user`` may count (and see masked): any role on the unit or above."""
    return Case.objects.filter(org_filter(user, field="org__"))


def has_any_handler_role(user: AnyUser) -> bool:
    """Whether ``user`` handles children anywhere (offers the import and the search)."""
    return bool(roles_of(user) & (HANDLER_ROLES | {Role.ADMIN}))


def audit_read(user: AnyUser, cases: Iterable[Case], where: str, *,
               action: str = Action.CHILD_READ, org: OrgUnit | None = None) -> None:
    """One entry for what a page or answer showed: the case ids and masked IDs only."""
    shown = list(cases)
    if not shown:
        return
    target = (f"{where}: {shown[0]}" if len(shown) == 1
              else f"{where}: เด็ก {len(shown)} ราย")
    record(user, action, shown[0] if len(shown) == 1 else None, target=target,
           org=org or shown[0].org,
           after={"cases": [c.pk for c in shown], "ids": [c.masked_id for c in shown]})


def public_view(case: Case) -> dict[str, Any]:
    """What anyone who may read the unit sees of a case: nothing personal."""
    return {
        "id": case.pk, "national_id": case.masked_id, "org": case.org.code,
        "org_name": case.org.display_name, "grade": case.grade,
        "affiliation": case.affiliation, "source_agency": case.source_agency,
        "state": case.state, "state_label": case.get_state_display(),
        "state_since": case.state_since.isoformat(),
        "first_name": None, "last_name": None, "birth_date": None, "address": None,
        "latitude": None, "longitude": None, "personal": False,
    }


def handler_view(case: Case) -> dict[str, Any]:
    """What a handler sees: the whole case (the caller audits the read)."""
    from tidtam.children.nationalid import formatted

    return {
        **public_view(case), "national_id": formatted(case.national_id),
        "first_name": case.first_name, "last_name": case.last_name,
        "birth_date": case.birth_date.isoformat() if case.birth_date else None,
        "address": case.address,
        "latitude": str(case.latitude) if case.latitude is not None else None,
        "longitude": str(case.longitude) if case.longitude is not None else None,
        "personal": True,
    }
