"""The small expression language of validation rules, parsed by hand (never ``eval``).

Rules are data written by administrators, so an expression must not be able
to do anything but arithmetic on reported figures. The grammar is::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | REF | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"
    REF     := "#{" <node code> "." <element code> "}"

"×", "÷" and "−" are accepted for "*", "/" and "-" (they are what a Thai
planner types), and numbers may be written in Thai digits. Functions:
``count(#{list})``, ``pct(a, b)`` = a ÷ b × 100, ``sum(a, b, …)``,
``fy_start()``, ``fy_end()`` (first and last day of the fiscal year) and
``date(#{date element})``. Values are ``Decimal`` or ``datetime.date``; a date
minus a date is a number of days, a date plus a number is a date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Literal

from tidtam.thai.dates import fiscal_year_bounds
from tidtam.thai.numbers import to_arabic_digits
from tidtam.thai.parse import parse_number, parse_thai_date

Result = Decimal | dt.date
Type = Literal["number", "date"]
TYPE_LABELS: dict[str, str] = {"number": "ตัวเลข", "date": "วันที่"}

# Nesting deeper than any sensible rule is refused, so a hostile or broken
# fixture cannot exhaust the stack.
MAX_DEPTH = 40
MAX_LENGTH = 2000


class ExpressionError(ValueError):
    """A malformed or ill-typed expression; the message is Thai and names the spot."""


class Undefined(Exception):
    """The expression has no value for these figures (e.g. a percentage of zero)."""


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "ref", "name", "op", "(", ")", ",", "end"
    text: str
    pos: int  # 1-based column, as a person counts


_OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/"}
_NUM = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_GROUPED = re.compile(r",[0-9]{3}(?![0-9])")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REF = re.compile(r"#\{\s*([^{}\s]+)\s*\}")


def _error(text: str, reason: str, pos: int | None = None) -> ExpressionError:
    where = f" (ตำแหน่งที่ {pos})" if pos is not None else ""
    return ExpressionError(f"นิพจน์ '{text}' ไม่ถูกต้อง: {reason}{where}")


def tokenize(text: str) -> list[Token]:
    source = to_arabic_digits(text)
    tokens: list[Token] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        if m := _NUM.match(source, i):
            if _GROUPED.match(source, m.end()):
                # "sum(1,540)" would silently become the two arguments 1 and 540.
                raise _error(
                    text,
                    "ตัวเลขในนิพจน์ต้องไม่มีเครื่องหมายจุลภาค (,) คั่นหลัก"
                    " (ถ้าเป็นการคั่นค่าในฟังก์ชัน ให้เว้นวรรคหลังจุลภาค)",
                    i + 1,
                )
            tokens.append(Token("num", m.group(), i + 1))
            i = m.end()
        elif ch == "#":
            m = _REF.match(source, i)
            if m is None:
                raise _error(text, "การอ้างอิงข้อมูลต้องเขียนเป็น #{รหัสตัวชี้วัด.รหัสข้อมูล}", i + 1)
            key = m.group(1)
            if "." not in key.strip("."):
                raise _error(
                    text, f"การอ้างอิง '#{{{key}}}' ต้องมีรหัสตัวชี้วัดและรหัสข้อมูล คั่นด้วยจุด", i + 1
                )
            tokens.append(Token("ref", key, i + 1))
            i = m.end()
        elif m := _NAME.match(source, i):
            tokens.append(Token("name", m.group(), i + 1))
            i = m.end()
        elif ch in _OPERATORS:
            tokens.append(Token("op", _OPERATORS[ch], i + 1))
            i += 1
        elif ch in "(),":
            tokens.append(Token(ch, ch, i + 1))
            i += 1
        else:
            raise _error(text, f"ใช้อักขระ '{ch}' ในนิพจน์ไม่ได้", i + 1)
    # The end sits just after the last character a person can see.
    tokens.append(Token("end", "", len(source.rstrip()) + 1))
    return tokens


# ---------------------------------------------------------------- values at run time


class Env:
    """What an expression is evaluated against: the reported values and the year.

    Reading a value that is absent or unreadable raises ``Missing``; the engine
    checks for missing references before evaluating, so this is a safeguard.
    """

    def __init__(self, values: Mapping[str, object], fiscal_year: int) -> None:
        self.values = values
        self.fiscal_year = fiscal_year

    def number(self, key: str) -> Decimal:
        value = as_number(self.values.get(key))
        if value is None:
            raise Missing(key)
        return value

    def date(self, key: str) -> dt.date:
        value = as_date(self.values.get(key))
        if value is None:
            raise Missing(key)
        return value

    def items(self, key: str) -> list[str]:
        value = as_items(self.values.get(key))
        if value is None:
            raise Missing(key)
        return value


class Missing(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def as_number(value: object) -> Decimal | None:
    """A reported figure as a Decimal; None when unanswered or unreadable.

    Text that does not parse counts as unanswered: the form shows the parse
    error beside the field, and a rule should not add a second, vaguer one.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parse_number(value)
        except ValueError:
            return None
    return None


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return parse_thai_date(value)
        except ValueError:
            return None
    return None


def as_items(value: object) -> list[str] | None:
    """The items of a list element. An empty list is an answer (nothing listed); None is not."""
    if value is None:
        return None
    if isinstance(value, str):
        lines: list[object] = list(value.splitlines())
    elif isinstance(value, list | tuple):
        lines = list(value)
    else:
        return None
    return [str(item).strip() for item in lines if str(item).strip()]


# ---------------------------------------------------------------- syntax tree


class Expr:
    """A node of a parsed expression. Immutable, so parsed rules can be cached and shared."""

    def refs(self) -> Iterator[str]:
        yield from ()

    def evaluate(self, env: Env) -> Result:
        raise NotImplementedError

    def type_of(self, types: Mapping[str, str], text: str) -> Type:
        """The result type, checked against the data elements' value types (key → ValueType)."""
        raise NotImplementedError


NUMERIC_VALUE_TYPES = frozenset({"integer", "decimal", "percent", "money"})


def _element_type(types: Mapping[str, str], key: str, text: str) -> str:
    if key not in types:
        raise _error(text, f"ไม่พบข้อมูล '#{{{key}}}' ในกรอบการประเมิน")
    return types[key]


@dataclass(frozen=True)
class Number(Expr):
    value: Decimal

    def evaluate(self, env: Env) -> Result:
        return self.value

    def type_of(self, types: Mapping[str, str], text: str) -> Type:
        return "number"


@dataclass(frozen=True)
class Ref(Expr):
    """A reference to a numeric element; dates and lists go through date() and count()."""

    key: str

    def refs(self) -> Iterator[str]:
        yield self.key

    def evaluate(self, env: Env) -> Result:
        return env.number(self.key)

    def type_of(self, types: Mapping[str, str], text: str) -> Type:
        kind = _element_type(types, self.key, text)
        if kind == "date":
            raise _error(text, f"ข้อมูลวันที่ต้องเขียนเป็น date(#{{{self.key}}})")
        if kind == "list":
            raise _error(text, f"ข้อมูลแบบรายการต้องเขียนเป็น count(#{{{self.key}}})")
        if kind not in NUMERIC_VALUE_TYPES:
            raise _error(text, f"ข้อมูล '#{{{self.key}}}' เป็นข้อความ นำมาคำนวณไม่ได้")
        return "number"


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr

    def refs(self) -> Iterator[str]:
        yield from self.operand.refs()

    def evaluate(self, env: Env) -> Result:
        value = self.operand.evaluate(env)
        if not isinstance(value, Decimal):
            raise ExpressionError("ใส่เครื่องหมายลบหน้าวันที่ไม่ได้")
        return -value

    def type_of(self, types: Mapping[str, str], text: str) -> Type:
        if self.operand.type_of(types, text) != "number":
            raise _error(text, "ใส่เครื่องหมายลบหน้าวันที่ไม่ได้")
        return "number"


_OP_SIGNS = {"+": "+", "-": "-", "*": "×", "/": "÷"}


def _binary_type(op: str, left: Type, right: Type) -> Type | None:
    """The type of ``left op right``, or None when the operation makes no sense."""
    if left == right == "number":
        return "number"
    if op == "+" and {left, right} == {"number", "date"}:
        return "date"
    if op == "-" and left == "date":
        return "number" if right == "date" else "date"
    return None


@dataclass(frozen=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr

    def refs(self) -> Iterator[str]:
        yield from self.left.refs()
        yield from self.right.refs()

    def evaluate(self, env: Env) -> Result:
        a = self.left.evaluate(env)
        b = self.right.evaluate(env)
        if isinstance(a, Decimal) and isinstance(b, Decimal):
            if self.op == "+":
                return a + b
            if self.op == "-":
                return a - b
            if self.op == "*":
                return a * b
            if b == 0:
                raise Undefined("หารด้วยศูนย์")
            try:
                return a / b
            except (DivisionByZero, InvalidOperation):  # pragma: no cover - b != 0
                raise Undefined("หารด้วยศูนย์") from None
        if isinstance(a, dt.date) and isinstance(b, Decimal) and self.op in "+-":
            days = dt.timedelta(days=int(b))
            return a + days if self.op == "+" else a - days
        if isinstance(a, Decimal) and isinstance(b, dt.date) and self.op == "+":
            return b + dt.timedelta(days=int(a))
        if isinstance(a, dt.date) and isinstance(b, dt.date) and self.op == "-":
            return Decimal((a - b).days)
        raise ExpressionError(f"ใช้เครื่องหมาย {_OP_SIGNS[self.op]} กับวันที่แบบนี้ไม่ได้")

    def type_of(self, types: Mapping[str, str], text: str) -> Type:
        a = self.left.type_of(types, text)
        b = self.right.type_of(types, text)
        result = _binary_type(self.op, a, b)
        if result is None:
            raise _error(
                text,
                f"ใช้เครื่องหมาย {_OP_SIGNS[self.op]} ระหว่าง{TYPE_LABELS[a]}กับ{TYPE_LABELS[b]}ไม่ได้",
            )
        return result


@dataclass(frozen=True)
class Function:
    name: str
    min_args: int
    max_args: int | None
    # "ref:list" / "ref:date": the argument must be a reference to such an element.
    arg: Literal["number", "ref:list", "ref:date", "none"]
    result: Type
    usage: str
    call: Callable[[Env, tuple[Expr, ...]], Result]


def _pct(env: Env, args: tuple[Expr, ...]) -> Result:
    part, whole = (_number_arg(a, env) for a in args)
    if whole == 0:
        raise Undefined("ร้อยละของศูนย์")
    return part / whole * 100


def _sum(env: Env, args: tuple[Expr, ...]) -> Result:
    return sum((_number_arg(a, env) for a in args), Decimal(0))


def _count(env: Env, args: tuple[Expr, ...]) -> Result:
    ref = args[0]
    assert isinstance(ref, Ref)
    return Decimal(len(env.items(ref.key)))


def _date(env: Env, args: tuple[Expr, ...]) -> Result:
    ref = args[0]
    assert isinstance(ref, Ref)
    return env.date(ref.key)


def _number_arg(arg: Expr, env: Env) -> Decimal:
    value = arg.evaluate(env)
    if not isinstance(value, Decimal):
        raise ExpressionError("ฟังก์ชันนี้ใช้กับตัวเลขเท่านั้น")
    return value


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("count", 1, 1, "ref:list", "number", "count(#{ตัวชี้วัด.รายการ})", _count),
        Function("pct", 2, 2, "number", "number", "pct(ส่วน, ทั้งหมด)", _pct),
        Function("sum", 1, None, "number", "number", "sum(ค่า1, ค่า2, …)", _sum),
        Function("fy_start", 0, 0, "none", "date", "fy_start()",
                 lambda env, _: fiscal_year_bounds(env.fiscal_year)[0]),
        Function("fy_end", 0, 0, "none", "date", "fy_end()",
                 lambda env, _: fiscal_year_bounds(env.fiscal_year)[1]),
        Function("date", 1, 1, "ref:date", "date", "date(#{ตัวชี้วัด.วันที่})", _date),
    )
}


@dataclass(frozen=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]

    @property
    def function(self) -> Function:
        return FUNCTIONS[self.name]

    def refs(self) -> Iterator[str]:
        for a in self.args:
            yield from a.refs()

    def evaluate(self, env: Env) -> Result:
        return self.function.call(env, self.args)

    def type_of(self, types: Mapping[str, str], text: str) -> Type:
        f = self.function
        if f.arg in ("ref:list", "ref:date"):
            ref = self.args[0]
            assert isinstance(ref, Ref)  # the parser guarantees it
            wanted = f.arg.split(":")[1]
            if _element_type(types, ref.key, text) != wanted:
                what = "แบบรายการ" if wanted == "list" else "วันที่"
                raise _error(text, f"{f.name}() ใช้กับข้อมูล{what}เท่านั้น แต่ '#{{{ref.key}}}' ไม่ใช่")
        else:
            for a in self.args:
                if a.type_of(types, text) != "number":
                    raise _error(text, f"{f.name}() ใช้กับตัวเลขเท่านั้น")
        return f.result


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, reason: str, token: Token | None = None) -> ExpressionError:
        return _error(self.text, reason, (token or self.token).pos)

    def parse(self) -> Expr:
        if self.token.kind == "end":
            raise _error(self.text, "นิพจน์ว่าง")
        expr = self.expr()
        if self.token.kind != "end":
            raise self.fail(f"มี '{self.token.text}' เกินมา หรือขาดเครื่องหมายคำนวณก่อนหน้า")
        return expr

    def expr(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("ซ้อนวงเล็บหรือฟังก์ชันลึกเกินไป")
        node = self.term()
        while self.token.kind == "op" and self.token.text in "+-":
            op = self.advance().text
            node = BinOp(op, node, self.term())
        self.depth -= 1
        return node

    def term(self) -> Expr:
        node = self.unary()
        while self.token.kind == "op" and self.token.text in "*/":
            op = self.advance().text
            node = BinOp(op, node, self.unary())
        return node

    def unary(self) -> Expr:
        if self.token.kind == "op" and self.token.text == "-":
            self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail("เครื่องหมายลบซ้อนกันมากเกินไป")
            node = Neg(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Expr:
        token = self.token
        if token.kind == "num":
            self.advance()
            return Number(Decimal(token.text))
        if token.kind == "ref":
            self.advance()
            return Ref(token.text)
        if token.kind == "(":
            self.advance()
            node = self.expr()
            if self.token.kind != ")":
                raise self.fail("ขาดวงเล็บปิด ')'")
            self.advance()
            return node
        if token.kind == "name":
            return self.call()
        if token.kind == "end":
            raise self.fail("นิพจน์จบไม่สมบูรณ์ ต้องมีค่าต่อท้าย")
        if token.kind == "op":
            raise self.fail(f"ต้องมีค่าหน้าเครื่องหมาย '{token.text}'")
        raise self.fail(f"ไม่คาดว่าจะพบ '{token.text}' ตรงนี้")

    def call(self) -> Expr:
        name_token = self.advance()
        f = FUNCTIONS.get(name_token.text)
        if f is None:
            known = ", ".join(f"{n}()" for n in FUNCTIONS)
            raise self.fail(f"ไม่รู้จักฟังก์ชัน '{name_token.text}' (ใช้ได้: {known})", name_token)
        if self.token.kind != "(":
            raise self.fail(f"ต้องมีวงเล็บหลังชื่อฟังก์ชัน เช่น {f.usage}")
        self.advance()
        args: list[Expr] = []
        if self.token.kind != ")":
            args.append(self.expr())
            while self.token.kind == ",":
                self.advance()
                args.append(self.expr())
        if self.token.kind != ")":
            raise self.fail(f"ขาดวงเล็บปิด ')' ของ {f.name}()")
        self.advance()
        too_many = f.max_args is not None and len(args) > f.max_args
        if len(args) < f.min_args or too_many:
            raise self.fail(f"จำนวนค่าใน {f.name}() ไม่ถูกต้อง ต้องเขียนเป็น {f.usage}", name_token)
        if f.arg in ("ref:list", "ref:date") and not isinstance(args[0], Ref):
            raise self.fail(f"{f.name}() ต้องรับการอ้างอิงข้อมูลโดยตรง เช่น {f.usage}", name_token)
        return Call(f.name, tuple(args))


@lru_cache(maxsize=2048)
def parse_expression(text: str) -> Expr:
    """Parse a rule expression; raises ExpressionError with a Thai message saying where."""
    if len(text) > MAX_LENGTH:
        raise _error(text[:40] + "…", f"ยาวเกิน {MAX_LENGTH} ตัวอักษร")
    return _Parser(text).parse()


def references(text: str) -> list[str]:
    """The element keys an expression reads, in order of first appearance."""
    return list(dict.fromkeys(parse_expression(text).refs()))
