"""Permission checks, one place for the UI, the API and file downloads.

Every check answers "may this user do this to this org unit?" from the
user's role assignments; the assignments are read once per user object.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from tidtam.accounts.models import Role, RoleAssignment
from tidtam.orgs.models import OrgUnit

AnyUser = User | AnonymousUser
READ_ROLES = frozenset(Role)
CACHE_ATTR = "_tidtam_roles"


def _assignments(user: AnyUser) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).values_list("role", "org__path")
        )
        setattr(user, CACHE_ATTR, cached)
    return cached


def forget(user: AnyUser) -> None:
    """Drop the cached assignments (after they change)."""
    if hasattr(user, CACHE_ATTR):
        delattr(user, CACHE_ATTR)


def has_role(user: AnyUser, roles: Iterable[str], org: OrgUnit) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    wanted = set(roles) | {Role.ADMIN}
    return any(role in wanted and org.path.startswith(path) for role, path in _assignments(user))


def can_read(user: AnyUser, org: OrgUnit) -> bool:
    return has_role(user, READ_ROLES, org)


def can_report(user: AnyUser, org: OrgUnit) -> bool:
    return has_role(user, {Role.REPORTER}, org)


def can_rate(user: AnyUser, org: OrgUnit) -> bool:
    return has_role(user, {Role.EVALUATOR}, org)


def can_approve(user: AnyUser, org: OrgUnit) -> bool:
    return has_role(user, {Role.APPROVER}, org)


def can_read_sheet(user: AnyUser, org: OrgUnit) -> bool:
    """An office's result sheet: its own staff and every unit above it (any role there)."""
    return can_read(user, org)


def can_see_unapproved(user: AnyUser, org: OrgUnit) -> bool:
    """Levels not yet approved are for the evaluators and approvers of the office only.

    Everyone else who may read the office (its reporters, viewers above it)
    sees its ratings as last approved (``tidtam.reporting.approval``).
    """
    return has_role(user, {Role.EVALUATOR, Role.APPROVER}, org)


def roles_of(user: AnyUser) -> set[str]:
    if user.is_authenticated and user.is_superuser:
        return set(Role)
    return {role for role, _ in _assignments(user)}


def org_filter(user: AnyUser, roles: Iterable[str] = READ_ROLES, field: str = "") -> Q:
    """A Q selecting the org units (via ``field``, e.g. "org__") the user holds a role over."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    wanted = set(roles) | {Role.ADMIN}
    paths = [path for role, path in _assignments(user) if role in wanted]
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}path__startswith": path})
    return q
