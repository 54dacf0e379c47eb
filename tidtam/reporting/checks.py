"""Run the framework's validation rules over a submission's figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tidtam.reporting.figures import Figure, values_of
from tidtam.reporting.models import Submission


@dataclass(frozen=True)
class CheckResult:
    rule_code: str
    severity: str  # "error" | "warning"
    message_th: str
    keys: tuple[str, ...]


def run_checks(submission: Submission, keys: Iterable[str] | None = None, *,
               known: Mapping[str, Figure] | None = None) -> list[CheckResult]:
    """All findings, or only those of rules that touch ``keys`` (for checks on save).

    ``known``: figures already read (keyed ``<node>.<element>``), not read again.
    """
    from tidtam.validation.engine import check, rules_touching
    from tidtam.validation.models import ValidationRule

    rules = list(ValidationRule.objects.filter(framework=submission.framework, active=True))
    wanted = set(keys) if keys is not None else None
    if wanted is None:
        values = values_of(submission)
    else:
        # A finding carries every key its rule reads (Finding.keys is rule.keys), and a
        # rule reads only those: the rules touching ``keys`` and their figures give the
        # same findings as the whole report filtered, without reading every figure.
        rules = rules_touching(rules, wanted)
        if not rules:
            return []
        values = values_of(submission, {k for r in rules for k in r.keys}, known=known)
    findings = check(rules, values, submission.framework.fiscal_year)
    out = []
    for f in findings:
        f_keys = tuple(getattr(f, "keys", ()) or ())
        if wanted is not None and not wanted & set(f_keys):
            continue
        out.append(CheckResult(f.rule.code, f.severity, f.message_th, f_keys))
    return out
