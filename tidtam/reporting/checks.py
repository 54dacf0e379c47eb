"""Run the framework's validation rules over a submission's figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tidtam.reporting.figures import values_of
from tidtam.reporting.models import Submission


@dataclass(frozen=True)
class CheckResult:
    rule_code: str
    severity: str  # "error" | "warning"
    message_th: str
    keys: tuple[str, ...]


def run_checks(submission: Submission, keys: Iterable[str] | None = None) -> list[CheckResult]:
    """All findings, or only those of rules that touch ``keys`` (for checks on save)."""
    from tidtam.validation.engine import check
    from tidtam.validation.models import ValidationRule

    rules = list(ValidationRule.objects.filter(framework=submission.framework, active=True))
    findings = check(rules, values_of(submission), submission.framework.fiscal_year)
    wanted = set(keys) if keys is not None else None
    out = []
    for f in findings:
        f_keys = tuple(getattr(f, "keys", ()) or ())
        if wanted is not None and not wanted & set(f_keys):
            continue
        out.append(CheckResult(f.rule.code, f.severity, f.message_th, f_keys))
    return out
