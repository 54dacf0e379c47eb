"""Amounts of money in Thai words, generated from the amount (never typed)."""

from __future__ import annotations

from decimal import Decimal

from pythainlp.util import bahttext

from tidtam.thai.numbers import quantize


def baht_words(amount: Decimal) -> str:
    """``Decimal('43135.20')`` → "สี่หมื่นสามพันหนึ่งร้อยสามสิบห้าบาทยี่สิบสตางค์".

    bahttext takes a float; the amount is first rounded to satang, and a
    float holds every two-decimal amount below 10^13 baht exactly enough to
    print back to the same satang.
    """
    return str(bahttext(float(quantize(Decimal(amount)))))


def normalise_words(text: str) -> str:
    """Words as a document prints them, without the dashes and spaces around them."""
    return "".join(text.split()).strip("-()")
