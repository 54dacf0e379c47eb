"""Running validation rules over an office's reported values.

``check`` is pure apart from looking up element names for a "not filled in"
finding: give it the rules, the values by key and the fiscal year, and it
returns the findings in rule order. The same call serves every moment a
check is needed: on save (``keys=`` the fields just saved, so only the rules
that read them run and the findings show beside those fields), on submit
(all rules; any error blocks) and over imported documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tidtam.frameworks.models import DataElement, Framework
from tidtam.thai.dates import thai_date
from tidtam.thai.numbers import quantize
from tidtam.validation.expressions import (
    Env,
    ExpressionError,
    Missing,
    Result,
    Undefined,
)
from tidtam.validation.models import MissingPolicy, Operator, Severity, ValidationRule

# What a caller may hand in per key: Decimal (or int) for numbers, date for
# dates, list[str] (or newline-separated text) for lists, str for text or for
# raw input still to be parsed; None or absent = not answered.
Value = Decimal | int | dt.date | list[str] | str | None

MESSAGE_FIELDS = ("left", "right", "difference", "tolerance")


@dataclass(frozen=True)
class Finding:
    rule: ValidationRule
    severity: str
    message_th: str
    keys: tuple[str, ...]  # every element the rule reads: where the UI shows it
    left: Result | None = None
    right: Result | None = None
    missing: tuple[str, ...] = field(default=())  # keys not filled in, when that is the finding

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def code(self) -> str:
        return self.rule.code

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (API, htmx fragments)."""
        return {
            "rule": self.rule.code,
            "name_th": self.rule.name_th,
            "kind": self.rule.kind,
            "severity": self.severity,
            "message_th": self.message_th,
            "keys": list(self.keys),
            "left": _json_value(self.left),
            "right": _json_value(self.right),
            "missing": list(self.missing),
        }


def _json_value(value: Result | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def format_value(value: Result) -> str:
    """A figure as the message shows it: "1,538", "92.49", "10 มิถุนายน 2565".

    Whole numbers print without decimals; others with at most two, half-up,
    the precision a reporter typed them with (a computed 92.4946… → "92.49").
    """
    if isinstance(value, dt.date):
        return thai_date(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    exponent = value.as_tuple().exponent
    shown = quantize(value, 2) if isinstance(exponent, int) and exponent < -2 else value
    return f"{shown:,f}"


def _difference(left: Result, right: Result) -> Decimal | None:
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return abs(left - right)
    if isinstance(left, dt.date) and isinstance(right, dt.date):
        return Decimal(abs((left - right).days))
    return None


def holds(rule: ValidationRule, left: Result, right: Result) -> bool:
    """Whether ``left <operator> right`` holds, within the rule's tolerance for == and !=."""
    if isinstance(left, Decimal) != isinstance(right, Decimal):
        raise ExpressionError(f"กฎ {rule.code}: เปรียบเทียบตัวเลขกับวันที่ไม่ได้")
    op = rule.operator
    if op in (Operator.EQ, Operator.NE):
        diff = _difference(left, right)
        assert diff is not None
        equal = diff <= (rule.tolerance or 0)
        return equal if op == Operator.EQ else not equal
    # Both sides are the same type here; mypy can't see it through the union.
    a: Any = left
    b: Any = right
    if op == Operator.LT:
        return bool(a < b)
    if op == Operator.LE:
        return bool(a <= b)
    if op == Operator.GT:
        return bool(a > b)
    if op == Operator.GE:
        return bool(a >= b)
    raise ExpressionError(f"กฎ {rule.code}: ไม่รู้จักตัวดำเนินการ '{op}'")


def _unanswered(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def rules_touching(rules: Iterable[ValidationRule], keys: Iterable[str]) -> list[ValidationRule]:
    """The rules that read any of ``keys``: what to run when those fields are saved."""
    wanted = set(keys)
    return [r for r in rules if wanted.intersection(r.keys)]


def check(
    rules: Iterable[ValidationRule],
    values: Mapping[str, Value],
    fiscal_year: int,
    *,
    keys: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the active rules over ``values`` and return what is wrong, in rule order.

    A rule that reads a value not yet given is skipped, unless the rule says
    ``missing: error`` (then it reports which fields are empty) or
    ``missing: error_if_partial`` (the same, once any of its values is given). A rule whose
    value is undefined for these figures (a percentage of a zero total) is
    skipped too: the range rules are what catch a count over a zero total.
    With ``keys``, only the rules that read one of those keys run.
    """
    selected = [r for r in rules if r.active]
    if keys is not None:
        selected = rules_touching(selected, keys)
    env = Env(values, fiscal_year)
    # A rule with empty fields and ``missing: error`` becomes a finding once
    # the fields' Thai names are known (one query for all of them, at the end).
    results: list[Finding | tuple[ValidationRule, tuple[str, ...]]] = []
    for rule in selected:
        outcome = _run(rule, values, env)
        if outcome is None:
            continue
        if isinstance(outcome, tuple):
            if _report_missing(rule, outcome):
                results.append((rule, outcome))
            continue
        results.append(outcome)
    pending = [r for r in results if isinstance(r, tuple)]
    if not pending:
        return [r for r in results if isinstance(r, Finding)]
    names = _element_names(
        [rule.framework_id for rule, _ in pending], [k for _, keys_ in pending for k in keys_]
    )
    findings = []
    for r in results:
        if isinstance(r, Finding):
            findings.append(r)
            continue
        rule, missing = r
        listed = ", ".join(names.get((rule.framework_id, k), k) for k in missing)
        findings.append(Finding(
            rule=rule, severity=rule.severity,
            message_th=f"{rule.name_th}: ยังไม่ได้กรอก {listed}",
            keys=rule.keys, missing=missing,
        ))
    return findings


def _report_missing(rule: ValidationRule, missing: tuple[str, ...]) -> bool:
    if rule.missing == MissingPolicy.ERROR:
        return True
    if rule.missing == MissingPolicy.ERROR_IF_PARTIAL:
        return len(missing) < len(rule.keys)
    return False


def _run(
    rule: ValidationRule, values: Mapping[str, Value], env: Env
) -> Finding | tuple[str, ...] | None:
    """One rule: a finding, the keys it lacks, or None when it holds or can't apply."""
    missing = tuple(k for k in rule.keys if _unanswered(values.get(k)))
    if missing:
        return missing
    try:
        left = rule.left_expr.evaluate(env)
        right = rule.right_expr.evaluate(env)
    except Missing as m:  # text that doesn't read as the element's type
        return (m.key,)
    except Undefined:
        return None
    if holds(rule, left, right):
        return None
    return Finding(
        rule=rule, severity=rule.severity, message_th=render_message(rule, left, right),
        keys=rule.keys, left=left, right=right,
    )


def render_message(rule: ValidationRule, left: Result, right: Result) -> str:
    """The rule's message with the actual figures filled in."""
    difference = _difference(left, right)
    return rule.message_th.format_map({
        "left": format_value(left),
        "right": format_value(right),
        "difference": format_value(difference) if difference is not None else "",
        "tolerance": format_value(rule.tolerance or Decimal(0)),
    })


def _element_names(
    framework_ids: Sequence[int], keys: Sequence[str]
) -> dict[tuple[int, str], str]:
    """Thai names of elements, to tell the reporter which fields are empty."""
    node_codes = {k.rsplit(".", 1)[0] for k in keys if "." in k}
    names: dict[tuple[int, str], str] = {}
    elements = DataElement.objects.filter(
        node__framework_id__in=set(framework_ids), node__code__in=node_codes
    ).select_related("node")
    for e in elements:
        names[(e.node.framework_id, e.key)] = e.name_th
    return names


def active_rules(framework: Framework) -> list[ValidationRule]:
    return list(framework.validation_rules.filter(active=True).select_related("framework"))


def check_framework(
    framework: Framework,
    values: Mapping[str, Value],
    *,
    keys: Iterable[str] | None = None,
) -> list[Finding]:
    """All of a framework's active rules over one submission's values (its fiscal year)."""
    return check(active_rules(framework), values, framework.fiscal_year, keys=keys)


def check_one_element(
    framework: Framework, values: Mapping[str, Value], key: str
) -> list[Finding]:
    """The findings to show beside one field right after it is saved."""
    return check_framework(framework, values, keys=[key])


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block submission."""
    return [f for f in findings if f.is_error]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a reporter may answer with a reason and still submit."""
    return [f for f in findings if not f.is_error]
