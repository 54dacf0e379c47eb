from typing import Any

from django import template

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import roles_of

register = template.Library()


@register.filter
def handles_incidents(user: Any) -> bool:
    """Whether the menu shows the incidents register (the SC roles, or an administrator)."""
    return bool(user.is_authenticated and roles_of(user) & {Role.SC_OPERATOR, Role.SC_ACTION,
                                                            Role.ADMIN})


@register.inclusion_tag("incidents/_unit_panel.html", takes_context=True)
def incidents_panel(context: dict[str, Any], unit: Any) -> dict[str, Any]:
    """On a unit's page: its safety dashboard (for its readers) and, for a school, the
    notice when it has fewer than two SC-Operators (003 L706). Counts only, no names."""
    from tidtam.accounts.permissions import can_read
    from tidtam.incidents.views import sc_operators
    from tidtam.orgs.models import OrgType

    user = context["request"].user
    readable = can_read(user, unit)
    school = unit.type == OrgType.SCHOOL
    return {"unit": unit, "readable": readable,
            "operators": sc_operators(unit) if school and readable else None}
