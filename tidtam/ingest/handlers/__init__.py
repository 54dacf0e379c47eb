"""One module per kind of imported document, each exposing ``HANDLER`` (see kinds.py)."""
