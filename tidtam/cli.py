"""The ``tidtam`` console command: Django's management commands under one name.

``tidtam init --demo`` is ``manage.py init --demo``; every Django command
(``migrate``, ``runserver``, ``createsuperuser`` …) works the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "tidtam"
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        # A missing secret key or a bad setting is the operator's to fix: say
        # what is wrong, not where in Django it was noticed.
        sys.exit(f"tidtam: {exc}")


if __name__ == "__main__":
    main()
