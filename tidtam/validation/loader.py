"""Load validation rules from YAML fixtures (one directory per fiscal year).

Like the framework loader, loading is an upsert keyed by (framework, code):
running it again changes nothing, a corrected fixture updates rules in place,
and a rule dropped from a fixture is deleted. Every rule is checked before
anything is written — operator, severity, expressions, that each reference
names a data element of the framework with a type the expression can use,
and that the message uses only the figures the engine fills in — so a broken
fixture fails ``tidtam init`` with a Thai message instead of failing a
reporter later. Frameworks must be loaded first.

A fixture file::

    framework: qp            # framework code …
    fiscal_year: 2566        # … of this fiscal year
    rules:
      - code: qp10.parts_sum
        name_th: …
        kind: sum            # sum | ratio | range | count_list | date_in_fy | other
        left: "sum(#{10.a}, #{10.b})"
        operator: "=="       # == != < <= > >=
        right: "#{10.total}"
        tolerance: 0         # optional; for == and != (days, for dates)
        severity: error      # error | warning
        missing: skip        # optional; skip (default) | error | error_if_partial
        message_th: "ผลรวม ({left}) ไม่เท่ากับยอดรวม ({right})"
        active: true         # optional
      - code: non_negative   # one rule per listed element: code "non_negative:<key>"
        each: ["1.learners_total", …]
        left: "#{each}"      # #{each} is the element; {element} in texts its Thai name
        …
"""

from __future__ import annotations

import string
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from tidtam.frameworks.models import DataElement, Framework
from tidtam.validation.engine import MESSAGE_FIELDS
from tidtam.validation.expressions import ExpressionError, parse_expression
from tidtam.validation.models import Kind, MissingPolicy, Operator, Severity, ValidationRule

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"

EACH_REF = "#{each}"
EACH_NAME = "{element}"
REQUIRED = ("code", "name_th", "left", "operator", "right", "severity", "message_th")


class RuleFixtureError(ValueError):
    """A rule fixture is malformed; the message names the file and the rule."""


def _choice(value: Any, choices: type[models.TextChoices], where: str, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise RuleFixtureError(f"{where}: {field} '{value}' ใช้ไม่ได้ (ใช้ได้: {allowed})")
    return str(value)


def _expand(raw: dict[str, Any], names: dict[str, str], where: str) -> list[dict[str, Any]]:
    """A rule with ``each:`` becomes one rule per listed element."""
    if "each" not in raw:
        return [raw]
    keys = raw["each"]
    if not isinstance(keys, list) or not keys:
        raise RuleFixtureError(f"{where}: each ต้องเป็นรายการรหัสข้อมูลอย่างน้อยหนึ่งรายการ")
    expanded = []
    for key in keys:
        key = str(key)
        if key not in names:
            raise RuleFixtureError(f"{where}: ไม่พบข้อมูล '{key}' ที่ระบุใน each")
        rule = {k: v for k, v in raw.items() if k != "each"}
        rule["code"] = f"{raw['code']}:{key}"
        for field in ("left", "right"):
            rule[field] = str(raw.get(field, "")).replace(EACH_REF, f"#{{{key}}}")
        for field in ("name_th", "message_th"):
            rule[field] = str(raw.get(field, "")).replace(EACH_NAME, names[key])
        expanded.append(rule)
    return expanded


def _check_message(message: str, where: str) -> None:
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(message) if f is not None}
    except ValueError as e:
        raise RuleFixtureError(f"{where}: ข้อความมีวงเล็บปีกกาไม่ครบคู่ ({e})") from None
    unknown = fields - set(MESSAGE_FIELDS)
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in MESSAGE_FIELDS)
        raise RuleFixtureError(
            f"{where}: ข้อความใช้ {', '.join(sorted(unknown))} ไม่ได้ (ใช้ได้: {allowed})"
        )


def _rule_values(
    raw: dict[str, Any], types: dict[str, str], where: str, position: int
) -> dict[str, Any]:
    absent = [f for f in REQUIRED if raw.get(f) in (None, "")]
    if absent:
        raise RuleFixtureError(f"{where}: ขาด {', '.join(absent)}")
    left, right = str(raw["left"]), str(raw["right"])
    try:
        left_type = parse_expression(left).type_of(types, left)
        right_type = parse_expression(right).type_of(types, right)
    except ExpressionError as e:
        raise RuleFixtureError(f"{where}: {e}") from None
    if left_type != right_type:
        raise RuleFixtureError(f"{where}: เปรียบเทียบตัวเลขกับวันที่ไม่ได้ ('{left}' กับ '{right}')")
    operator = _choice(str(raw["operator"]), Operator, where, "operator")
    try:
        tolerance = Decimal(str(raw.get("tolerance", 0)))
    except InvalidOperation:
        raise RuleFixtureError(f"{where}: tolerance ต้องเป็นตัวเลข") from None
    if tolerance < 0 or not tolerance.is_finite():
        raise RuleFixtureError(f"{where}: tolerance ต้องไม่ติดลบ")
    if tolerance and operator not in (Operator.EQ, Operator.NE):
        raise RuleFixtureError(f"{where}: tolerance ใช้ได้กับ == และ != เท่านั้น")
    message = str(raw["message_th"]).strip()
    _check_message(message, where)
    return {
        "name_th": str(raw["name_th"]).strip(),
        "kind": _choice(raw.get("kind", Kind.OTHER), Kind, where, "kind"),
        "left": left,
        "operator": operator,
        "right": right,
        "tolerance": tolerance,
        "severity": _choice(raw["severity"], Severity, where, "severity"),
        "missing": _choice(raw.get("missing", MissingPolicy.SKIP), MissingPolicy, where, "missing"),
        "message_th": message,
        "active": bool(raw.get("active", True)),
        "position": position,
    }


def _upsert(framework: Framework, code: str, values: dict[str, Any]) -> bool:
    """Create or update one rule; True if anything changed."""
    rule = ValidationRule.objects.filter(framework=framework, code=code).first()
    if rule is None:
        ValidationRule.objects.create(framework=framework, code=code, **values)
        return True
    dirty = [k for k, v in values.items() if getattr(rule, k) != v]
    if dirty:
        for k in dirty:
            setattr(rule, k, values[k])
        rule.save(update_fields=dirty)
    return bool(dirty)


def _prepare_file(path: Path) -> tuple[Framework, dict[str, dict[str, Any]]]:
    """Read and check one fixture file: its framework and its rules' field values by code."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleFixtureError(f"{path}: ต้องมี framework, fiscal_year และ rules")
    code, year = str(data.get("framework")), str(data.get("fiscal_year"))
    framework = (
        Framework.objects.filter(code=code, fiscal_year=int(year)).first()
        if year.isdigit() else None
    )
    if framework is None:
        raise RuleFixtureError(
            f"{path}: ไม่พบกรอบการประเมิน '{code}' ปีงบประมาณ {year} (ต้องโหลดกรอบการประเมินก่อน)"
        )
    elements = DataElement.objects.filter(node__framework=framework).select_related("node")
    types = {e.key: e.value_type for e in elements}
    names = {e.key: e.name_th for e in elements}
    prepared: dict[str, dict[str, Any]] = {}
    for raw in data["rules"]:
        where = f"{path.name} กฎ {raw.get('code', '?')}" if isinstance(raw, dict) else path.name
        if not isinstance(raw, dict) or not raw.get("code"):
            raise RuleFixtureError(f"{where}: กฎทุกข้อต้องมี code")
        for rule in _expand(raw, names, where):
            rule_code = str(rule["code"])
            here = f"{path.name} กฎ {rule_code}"
            if rule_code in prepared:
                raise RuleFixtureError(f"{here}: รหัสกฎซ้ำ")
            prepared[rule_code] = _rule_values(rule, types, here, len(prepared))
    return framework, prepared


def load_rules(directory: Path) -> int:
    """Load every fixture file of one fiscal-year directory, all or nothing.

    Returns the number of rules created, updated or deleted. The fixtures are
    the source of truth for the frameworks they cover: a rule of such a
    framework that no file lists any more is deleted.
    """
    by_framework: dict[int, tuple[Framework, dict[str, dict[str, Any]]]] = {}
    for path in sorted(directory.glob("*.yaml")):
        framework, prepared = _prepare_file(path)
        _, rules = by_framework.setdefault(framework.pk, (framework, {}))
        clash = sorted(set(rules) & set(prepared))
        if clash:
            raise RuleFixtureError(f"{path.name}: รหัสกฎซ้ำกับไฟล์อื่น: {', '.join(clash)}")
        offset = len(rules)
        for rule_code, values in prepared.items():
            rules[rule_code] = {**values, "position": offset + values["position"]}
    changed = 0
    with transaction.atomic():
        for framework, rules in by_framework.values():
            changed += sum(_upsert(framework, c, v) for c, v in rules.items())
            stale = ValidationRule.objects.filter(framework=framework).exclude(code__in=list(rules))
            changed += stale.count()
            stale.delete()
    return changed


def load_all_rules(fixtures_dir: Path = FIXTURES_DIR) -> int:
    """Load every year's rules; call after the frameworks are loaded (``tidtam init``).

    Returns the number of rules created, updated or deleted (0 on a second run).
    """
    with transaction.atomic():
        return sum(
            load_rules(d) for d in sorted(p for p in fixtures_dir.iterdir() if p.is_dir())
        )
