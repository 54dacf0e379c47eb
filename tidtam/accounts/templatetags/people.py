"""``{{ user|person }}``: a person by name wherever one is shown (a builtin, no load needed)."""

from __future__ import annotations

from typing import Any

from django import template

from tidtam.accounts import permissions
from tidtam.accounts.people import person_name

register = template.Library()


@register.filter
def person(user: Any, default: str = "-") -> str:
    return person_name(user, default)


@register.filter
def manages_users(user: Any) -> bool:
    """Whether the navigation shows the user-management pages (no query: roles are cached)."""
    return permissions.manages_users(user)
