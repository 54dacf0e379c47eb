"""How a person is named on screen, in documents and in e-mail: by name, not username.

Usernames are identifiers for signing in and for the API; people read names.
An account without a name (a command-line superuser) falls back to its username.
"""

from __future__ import annotations

from typing import Any


def person_name(user: Any, default: str = "-") -> str:
    """``ชื่อ นามสกุล`` of a user, its username when it has no name, ``default`` for nobody."""
    if user is None or not getattr(user, "is_authenticated", False):
        return default
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.get_username()
