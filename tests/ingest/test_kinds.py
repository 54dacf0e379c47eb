"""Every kind of document an import can be has a handler, and the command offers it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tidtam.ingest.kinds import available, handler
from tidtam.ingest.models import ImportKind


def test_every_kind_has_a_handler() -> None:
    assert [h.kind for h in available()] == list(ImportKind.values)
    for kind in ImportKind.values:
        h = handler(kind)
        assert h.kind == kind and h.body_template == f"ingest/kinds/{kind.replace('-', '_')}.html"
        assert h.accept_label and h.decider and h.help


def test_the_command_offers_every_kind() -> None:
    # "--help" of a kind the command knows exits cleanly; an unknown kind is an error
    for kind in ImportKind.values:
        with pytest.raises(SystemExit) as done:
            call_command("import", kind, "--help", stdout=io.StringIO())
        assert done.value.code == 0
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import", "minutes", "x.txt")
