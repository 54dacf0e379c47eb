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
