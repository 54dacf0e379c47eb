"""Numbers as Thai documents print them.

Rounding happens here and only here: stored and computed values stay exact
``Decimal``; a figure is rounded half-up when it is shown.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up to ``places`` decimals (4.505 → 4.51, never banker's 4.50)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_decimal(value: Decimal | int | None, places: int = 2, *, grouping: bool = False) -> str:
    """Format with a fixed number of decimals, half-up; ``None`` prints as "-"."""
    if value is None:
        return "-"
    q = quantize(Decimal(value), places)
    return f"{q:,.{places}f}" if grouping else f"{q:.{places}f}"


def to_thai_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


def to_arabic_digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)
