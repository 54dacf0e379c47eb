"""The kinds of document ``tidtam import`` and /imports/ read, found by convention.

Each kind of document (``ImportKind``) has a handler module
``tidtam.ingest.handlers.<kind, with - as _>`` exposing ``HANDLER``. The
command, the upload form and the review page only talk to handlers, so a
new kind of document is a parser, a handler and a template, without edits
to the shared pages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tidtam.ingest.models import ImportedSheet, ImportKind
from tidtam.orgs.models import OrgUnit


class Parsed(Protocol):
    """What a parser returns: enough to store a draft and to print a summary."""

    source_name: str
    repaired_text: str
    org: OrgUnit
    fiscal_year: int

    def as_json(self) -> dict[str, Any]: ...


class Outcome(Protocol):
    def summary(self) -> str: ...


@dataclass(frozen=True)
class Handler:
    kind: str
    help: str
    # parse(raw text, file name, office given on the command line or form or None);
    # raises tidtam.ingest.sources.ImportRejected with a Thai report.
    parse: Callable[[str, str, OrgUnit | None], Any]
    create_draft: Callable[[Any, str, Any], ImportedSheet]
    summary: Callable[[Any], str]
    # accept(draft, user): called inside a transaction with the draft locked
    # and still a draft; writes the real records or raises DraftRefused.
    accept: Callable[[ImportedSheet, Any], Outcome]
    may_decide: Callable[[Any, OrgUnit], bool]
    accept_label: str
    decider: str  # who decides, for those who may not ("ผู้ประเมินของหน่วยงานนี้")
    body_template: str
    body_context: Callable[[ImportedSheet], dict[str, Any]] = field(
        default=lambda draft: {}
    )


def module_name(kind: str) -> str:
    return "tidtam.ingest.handlers." + kind.replace("-", "_")


def handler(kind: str) -> Handler:
    found: Handler = importlib.import_module(module_name(kind)).HANDLER
    return found


def available() -> list[Handler]:
    """The handlers of every kind that has one, in the order of ``ImportKind``."""
    out = []
    for kind in ImportKind.values:
        try:
            out.append(handler(kind))
        except ModuleNotFoundError as exc:
            if exc.name != module_name(kind):
                raise  # the handler exists but something it imports doesn't
            continue
    return out
