"""The ``tidtam`` console command: Django's management commands under one name.

``tidtam init --demo`` is ``manage.py init --demo``; every Django command
(``migrate``, ``runserver``, ``createsuperuser`` …) works the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "tidtam"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
