"""What tidtam accepts from a user, checked in one place for every path that saves.

The same input must behave the same on SQLite and PostgreSQL: refused with a
Thai message that names the field and the limit, and nothing stored. Left to
the databases, SQLite stores a 16-digit figure it can't read back (every page
that reads it then fails) and a 1000-character name in a 255-character
column, while PostgreSQL answers both with an error page; a NUL byte is
stored by one and refused by the other. So the web pages, the API, the
importers and the CLI all check figures (``check_figure``), texts
(``check_text``) and whole rows about to be written (``check_values``, which
reads the limits off the model's fields) here, and read files through
``read_import_file``.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

MB = 1024 * 1024


class OutOfLimits(ValueError):
    """Input beyond what tidtam stores; ``message`` is Thai and names the field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field  # the model field, when ``check_values`` found it


# --- figures ---------------------------------------------------------------------

# SQLite keeps 15 significant digits of a decimal (it stores a float), and so does
# Excel, where these figures end up: a figure with more digits would come back
# changed from either. So every figure fits in 15 digits, its decimals included.
SIGNIFICANT_DIGITS = 15
# Below one million million (ล้านล้าน): above any budget or count an office handles.
INTEGER_DIGITS = 12


@dataclass(frozen=True)
class FigureLimit:
    """How many digits a figure may have before and after the decimal point."""

    integer_digits: int = SIGNIFICANT_DIGITS - 4
    decimals: int = 4

    @classmethod
    def of(cls, field: models.Field[Any, Any]) -> FigureLimit:
        """The limit of a DecimalField: its own size, within the shared caps."""
        assert isinstance(field, models.DecimalField)
        decimals = int(field.decimal_places)
        return cls(
            integer_digits=min(int(field.max_digits) - decimals, INTEGER_DIGITS,
                               SIGNIFICANT_DIGITS - decimals),
            decimals=decimals,
        )

    @property
    def bound(self) -> int:
        """The smallest whole number too large to accept (10^integer_digits)."""
        return 10**self.integer_digits


DEFAULT_FIGURE = FigureLimit()


def check_figure(value: Decimal, limit: FigureLimit = DEFAULT_FIGURE) -> Decimal:
    """``value`` if it fits ``limit``; else ``OutOfLimits`` saying what the limit is.

    The message has no field name: callers put the field first, as they do
    for a number that doesn't parse ("จำนวนนักเรียน: …").
    """
    if not value.is_finite():
        raise OutOfLimits("ไม่ใช่ตัวเลขที่บันทึกได้")
    if abs(value) >= limit.bound:
        raise OutOfLimits(
            f"ตัวเลขต้องน้อยกว่า {limit.bound:,} (ไม่เกิน {limit.integer_digits} หลัก"
            f"หน้าจุดทศนิยม) แต่พบ {_plain(value)}"
        )
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    if -exponent > limit.decimals:
        allowed = f"ได้ไม่เกิน {limit.decimals} ตำแหน่ง" if limit.decimals else "ไม่ได้"
        raise OutOfLimits(f"ทศนิยม{allowed} แต่พบ {_plain(value)}")
    return value


def _plain(value: Decimal) -> str:
    text = f"{value:,f}"
    return text if len(text) <= 40 else f"{text[:37]}…"


class FigureField(models.DecimalField):  # type: ignore[type-arg]
    """A DecimalField whose stored value can always be read back.

    SQLite keeps whatever number it is given. Django's SQLite converter fits
    what it reads into the column's ``max_digits`` and raises
    ``InvalidOperation`` when the value is wider (one written before these
    limits, or by hand), which made every page reading the row answer 500 —
    and the row could not even be corrected, since saving reads it first.
    Reading here uses a context wide enough for any float SQLite holds; a
    value that still can't be a number (infinity) reads as no value, its
    typed text being kept elsewhere. Writing is limited by ``check_figure``.

    The column is exactly a DecimalField's, so migrations see one.
    """

    @cached_property
    def context(self) -> decimal.Context:
        # 309 digits: the largest float; traps off so that infinity gives NaN, not an error.
        return decimal.Context(prec=int(self.max_digits) + 310, traps=[])

    def to_python(self, value: Any) -> Any:
        if isinstance(value, float):  # as Django does, at the column's precision
            value = decimal.Context(prec=int(self.max_digits)).create_decimal_from_float(value)
        return super().to_python(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, Decimal) and not value.is_finite():
            return None
        return value

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


# --- texts ------------------------------------------------------------------------

# A text field without a length of its own (a narrative, a problem, a step) holds
# at most this much typed text: some ten pages, beyond any answer a form asks for.
MAX_TEXT = 20_000

# What neither database nor document can hold: NUL (PostgreSQL refuses it), the
# other C0 controls XML forbids (DOCX and XLSX exports would fail on them), lone
# surrogates (not encodable as UTF-8) and the two non-characters. Tab and line
# breaks are text.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A legacy document's text keeps its page breaks and extraction leftovers (form
# feeds, the U+0003 fpdf2 leaves after ำ): only what no database stores is refused.
_NOT_STORABLE = re.compile("[\x00\ud800-\udfff]")


def check_text(text: str, label: str, max_length: int | None = None, *,
               document: bool = False) -> str:
    """``text`` with Windows line ends made ``\\n``, if it can be stored; else ``OutOfLimits``.

    ``document``: the text of an imported document, where control characters
    other than NUL are part of what was extracted.
    """
    text = text.replace("\r\n", "\n")
    bad = (_NOT_STORABLE if document else _NOT_TEXT).search(text)
    if bad is not None:
        raise OutOfLimits(
            f"{label}: มีอักขระที่ไม่ใช่ข้อความ (รหัส U+{ord(bad.group()):04X}) "
            f"ที่ตำแหน่ง {bad.start() + 1:,} กรุณาลบออกแล้วบันทึกอีกครั้ง"
        )
    if max_length is not None and len(text) > max_length:
        raise OutOfLimits(
            f"{label}: ยาว {len(text):,} ตัวอักษร เกินกำหนด {max_length:,} ตัวอักษร"
        )
    return text


def check_values(
    model: type[models.Model], values: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Check the values about to be written into ``model``'s fields; return them cleaned.

    Texts are held to the field's ``max_length`` (``MAX_TEXT`` for a field
    without one), figures to its digits, and the texts inside lists and dicts
    (JSON fields) are checked as texts. A field is named by ``labels`` or else
    its verbose name; the error carries the field's name too.
    """
    labels = labels or {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        label = labels.get(name) or str(getattr(field, "verbose_name", name))
        try:
            cleaned[name] = _check_value(field, value, label)
        except OutOfLimits as exc:
            raise OutOfLimits(exc.message, name) from None
    return cleaned


def _check_value(field: Any, value: Any, label: str) -> Any:
    if isinstance(value, str):
        return check_text(value, label, getattr(field, "max_length", None) or MAX_TEXT)
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        try:
            return check_figure(value, FigureLimit.of(field))
        except OutOfLimits as exc:
            raise OutOfLimits(f"{label}: {exc.message}") from None
    if isinstance(value, list | dict):
        return _check_nested(value, label)
    return value


def _check_nested(value: Any, label: str) -> Any:
    if isinstance(value, str):
        return check_text(value, label)
    if isinstance(value, list):
        return [_check_nested(v, label) for v in value]
    if isinstance(value, dict):
        return {check_text(str(k), label): _check_nested(v, label) for k, v in value.items()}
    return value


# --- files -----------------------------------------------------------------------

# Legacy documents and CSV files read by the importers (web and CLI). The largest
# seed (002, an inspection report of 1,834 lines) is 0.8 MB.
MAX_IMPORT_BYTES = int(getattr(settings, "TIDTAM_MAX_IMPORT_MB", 5)) * MB


def import_too_large(size: int, name: str) -> OutOfLimits | None:
    if size <= MAX_IMPORT_BYTES:
        return None
    return OutOfLimits(
        f"{name}: ไฟล์มีขนาด {size / MB:,.1f} MB เกินกำหนด {MAX_IMPORT_BYTES // MB} MB "
        "(แบ่งเป็นหลายไฟล์ หรือให้ผู้ดูแลระบบปรับ TIDTAM_MAX_IMPORT_MB)"
    )


def read_import_file(path: Path) -> bytes:
    """The file's bytes, refused before reading when it is over the limit.

    The size is checked from the file system first, and the read is bounded
    too, so that a pipe or a file still growing can't make it read more.
    """
    if path.is_file():
        refused = import_too_large(path.stat().st_size, path.name)
        if refused is not None:
            raise refused
    with path.open("rb") as handle:
        return read_import_stream(handle, path.name)


def read_import_stream(handle: BinaryIO, name: str) -> bytes:
    """At most the limit from ``handle`` (stdin); refused when there is more."""
    data = handle.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise OutOfLimits(
            f"{name}: ข้อมูลยาวเกินกำหนด {MAX_IMPORT_BYTES // MB} MB "
            "(แบ่งเป็นหลายไฟล์ หรือให้ผู้ดูแลระบบปรับ TIDTAM_MAX_IMPORT_MB)"
        )
    return data
