"""Money amounts as banks print them: decimal comma or point, thousands separators, currency symbols,
parentheses and trailing-minus negatives, CR/DR suffixes. Always Decimal, never float."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

# The overwhelmingly common shapes, checked first because this runs once per row.
_PLAIN_POINT = re.compile(r"-?\d+(?:\.\d+)?").fullmatch
_PLAIN_COMMA = re.compile(r"-?\d+(?:,\d+)?").fullmatch

# Credit/debit markers after the number: 12.50 CR, 12,50 S (Soll) / H (Haben).
_SUFFIX_SIGN = re.compile(r"(?<=[\d\s.,])(CR|DR|H|S)\.?$", re.IGNORECASE)
_CURRENCY_NOISE = re.compile(r"[$€£¥₹₩₽¤]|\b[A-Z]{3}\b|\b(?:kr|zł|Fr|CHF|SFr)\.?", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_DIGITS_AND_SEPARATORS = re.compile(r"\d[\d.,]*|[.,]\d+")
# Thousands groups: 1,234,567 and Indian 12,34,567.
_POINT_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3}")
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")


def plain_amount_matcher(decimal_comma: bool) -> Callable[[str], object]:
    """A fast test for amounts Decimal() reads directly (after swapping a decimal comma for a point)."""
    return _PLAIN_COMMA if decimal_comma else _PLAIN_POINT


class AmountError(ValueError):
    """The text is not an amount; the message says why."""


def parse_amount(text: str, decimal_comma: bool = False) -> Decimal:
    """Parse a bank's amount text into a signed Decimal.

    `decimal_comma` selects `1.234,56` (True) over `1,234.56` (False). Accepts `(12.50)`, `12,50-`, `-$12.50`,
    `12.50 DR`, `EUR 1 234,56`, `+5`. Raises AmountError with a reason for anything else.
    """
    if (_PLAIN_COMMA if decimal_comma else _PLAIN_POINT)(text):
        value = Decimal(text.replace(",", ".") if decimal_comma else text)
    else:
        value = _parse_decorated(text, decimal_comma)
    return value if value else abs(value)  # "-0.00" is no negative zero


def _parse_decorated(text: str, decimal_comma: bool) -> Decimal:
    s = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    if not s:
        raise AmountError("amount is empty")
    negative = False
    suffix = _SUFFIX_SIGN.search(s)
    if suffix:
        negative = suffix.group(1).upper() in {"DR", "S"}
        s = s[: suffix.start()]
    s = _CURRENCY_NOISE.sub("", s)
    s = _SPACES.sub("", s)
    if s.startswith("(") and s.endswith(")"):
        negative = not negative
        s = s[1:-1]
    sign_chars = 0
    while s[:1] in {"-", "+"} and s:
        negative ^= s[0] == "-"
        sign_chars += 1
        s = s[1:]
    while s[-1:] in {"-", "+"} and s:
        negative ^= s[-1] == "-"
        sign_chars += 1
        s = s[:-1]
    if sign_chars > 1 or not _DIGITS_AND_SEPARATORS.fullmatch(s):
        raise AmountError(f"amount {text!r} is not a number")
    number = _normalise_separators(s, decimal_comma, text)
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the shape check above rules this out
        raise AmountError(f"amount {text!r} is not a number") from None
    return -value if negative else value


def _normalise_separators(s: str, decimal_comma: bool, original: str) -> str:
    decimal, thousands = (",", ".") if decimal_comma else (".", ",")
    grouped = _COMMA_GROUPED if decimal_comma else _POINT_GROUPED
    integer, _, fraction = s.partition(decimal)
    if decimal in fraction or thousands in fraction:
        raise AmountError(f"amount {original!r} has misplaced separators")
    if thousands in integer:
        if not grouped.fullmatch(integer):
            style = "decimal comma (1.234,56)" if decimal_comma else "decimal point (1,234.56)"
            raise AmountError(f"amount {original!r} does not fit the file's {style} style")
        integer = integer.replace(thousands, "")
    return f"{integer or '0'}.{fraction}" if fraction else integer


def infer_decimal_comma(values: Iterable[str]) -> bool | None:
    """Decide from a whole column whether amounts use a decimal comma; None if no value tells.

    The last separator followed by one, two or four-plus digits is the decimal mark; `1,234` alone is
    undecided (thousands in one style, a fraction in the other). Majority wins over stray values.
    """
    comma_votes = point_votes = 0
    for value in values:
        vote = _decimal_vote(value)
        if vote is True:
            comma_votes += 1
        elif vote is False:
            point_votes += 1
    if comma_votes == point_votes:
        return None
    return comma_votes > point_votes


def _decimal_vote(value: str) -> bool | None:
    last_comma = value.rfind(",")
    last_point = value.rfind(".")
    if last_comma < 0 and last_point < 0:
        return None
    if last_comma >= 0 and last_point >= 0:
        return last_comma > last_point
    mark = "," if last_comma >= 0 else "."
    position = max(last_comma, last_point)
    digits = len(value[position + 1 :]) - len(value[position + 1 :].lstrip("0123456789"))
    if value.count(mark) > 1:
        return mark == "."  # repeated marks are thousands separators: 1.234.567 means decimal comma
    if digits == 3 or digits == 0:
        return None
    return mark == ","
