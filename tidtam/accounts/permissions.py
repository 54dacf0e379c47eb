"""Permission checks, one place for the UI, the API and file downloads.

Every check answers "may this user do this to this org unit?" from the
user's role assignments; the assignments are read once per user object.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

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


# --- who manages whose account ---------------------------------------------------
# An office administrator (Role.OFFICE_ADMIN, or the all-powerful Role.ADMIN,
# held on a unit) manages the accounts tied to that unit's subtree: by their
# home unit (Profile.org) or by a role held there. Granting Role.ADMIN, and
# anything about staff or superuser accounts, is for global administrators
# (superusers) only; nobody changes their own roles or switches themselves off.
MANAGER_ROLES = frozenset({Role.OFFICE_ADMIN})


def _covers(user: AnyUser, path: str) -> bool:
    """Whether ``user`` administers the unit whose materialized path is ``path``."""
    if user.is_superuser:
        return True
    wanted = MANAGER_ROLES | {Role.ADMIN}
    return any(role in wanted and path.startswith(p) for role, p in _assignments(user))


def manages_users(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(roles_of(user) & (MANAGER_ROLES | {Role.ADMIN}))


def managed_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """The units whose accounts ``user`` manages (the union of their subtrees)."""
    if not manages_users(user):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(org_filter(user, MANAGER_ROLES))


def can_manage_unit(user: AnyUser, org: OrgUnit) -> bool:
    return manages_users(user) and _covers(user, org.path)


def grantable_roles(user: AnyUser) -> list[Role]:
    if not manages_users(user):
        return []
    if user.is_superuser:
        return list(Role)
    return [r for r in Role if r != Role.ADMIN]


def visible_accounts(user: AnyUser) -> QuerySet[User]:
    """Accounts tied to a unit ``user`` manages; a superuser sees every account."""
    if not manages_users(user):
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    tied = (org_filter(user, MANAGER_ROLES, "profile__org__")
            | org_filter(user, MANAGER_ROLES, "role_assignments__org__"))
    ids = User.objects.filter(tied).values("pk")
    return User.objects.filter(pk__in=ids, is_staff=False, is_superuser=False)


def _home_path(target: User) -> str | None:
    profile = getattr(target, "profile", None)
    return profile.org.path if profile is not None and profile.org_id else None


def can_see_account(user: AnyUser, target: User) -> bool:
    if not manages_users(user):
        return False
    if user.is_superuser:
        return True
    if target.is_staff or target.is_superuser:
        return False
    home = _home_path(target)
    paths = [p for _, p in _assignments(target)] + ([home] if home else [])
    return any(_covers(user, p) for p in paths)


def can_manage_account(user: AnyUser, target: User) -> bool:
    """Account-wide changes (switch off, e-mail, password e-mail, unlock, second factor).

    Only when every tie of the account lies inside what ``user`` manages and
    it holds no role ``user`` could not have granted: an area office's
    administrator cannot switch off a colleague who also works for OBEC.
    """
    if target.pk == user.pk or not can_see_account(user, target):
        return False
    if user.is_superuser:
        return True
    home = _home_path(target)
    if home is not None and not _covers(user, home):
        return False
    grantable = set(grantable_roles(user))
    return all(role in grantable and _covers(user, p) for role, p in _assignments(target))


def can_change_role(user: AnyUser, target: User, role: str, org: OrgUnit) -> bool:
    """Grant or remove ``role`` on ``org`` for ``target``."""
    return (
        target.pk != user.pk
        and can_see_account(user, target)
        and role in grantable_roles(user)
        and _covers(user, org.path)
    )


def administered_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """The units on which ``user`` holds a managing role: the tops of what they manage."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    held = RoleAssignment.objects.filter(user=user, role__in=MANAGER_ROLES | {Role.ADMIN})
    return OrgUnit.objects.filter(pk__in=held.values("org"))
