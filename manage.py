#!/usr/bin/env python
"""Django's manage.py, kept for operators used to it; ``tidtam`` is the same."""

from tidtam.cli import main

if __name__ == "__main__":
    main()
