"""Small wording helpers shared by the rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def percent(fraction: Decimal) -> int:
    """0.284 → 28."""
    return int((fraction * 100).quantize(Decimal("1")))


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def fit(text: str, limit: int) -> str:
    """`text` cut at a word boundary so it fits in `limit` characters (with an ellipsis when cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-")
    return f"{cut}…"


def day_range(start: date, end: date) -> str:
    """'Mar 3–9', or 'Mar 28–Apr 3' across months."""
    if start.month == end.month:
        return f"{start:%b} {start.day}–{end.day}"
    return f"{start:%b} {start.day}–{end:%b} {end.day}"


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
