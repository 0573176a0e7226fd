"""Template helpers of the coach's pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

_SENTIMENT_BORDER = {"warning": "border-warning", "positive": "border-success", "neutral": "border-secondary"}
_PRIORITY_BADGE = {40: "text-bg-danger", 30: "text-bg-warning", 20: "text-bg-primary", 10: "text-bg-secondary"}


@register.filter
def sentiment_border(sentiment: str) -> str:
    return _SENTIMENT_BORDER.get(sentiment, "border-secondary")


@register.filter
def priority_badge(priority: int) -> str:
    return _PRIORITY_BADGE.get(priority, "text-bg-secondary")


@register.filter
def bar_class(status: str) -> str:
    """Bootstrap background for a budget or goal progress bar."""
    return {"over": "bg-danger", "warning": "bg-warning", "behind": "bg-warning"}.get(status, "bg-success")


@register.filter
def percent_of(part: Decimal | None, whole: Decimal | None) -> int:
    """Whole percent of `part` in `whole`, clipped to 0–100 for progress bars."""
    if not part or not whole or whole <= 0:
        return 0
    return int(min(max(part * 100 / whole, Decimal(0)), Decimal(100)))


@register.filter
def change_class(change: Decimal | None) -> str:
    """Spending going up is the warning colour, down the good one."""
    if not change:
        return "text-body-secondary"
    return "text-danger-emphasis" if change > 0 else "text-success-emphasis"


_SHARE_WORDS = ("share", "rate", "ratio", "percent", "load")


@register.filter
def feature_value(feature: dict) -> str:
    """A persona feature's value for people: shares as percentages, other numbers rounded, text as it is."""
    value = feature.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value if value is not None else "—")
    label = str(feature.get("label") or feature.get("feature") or "").lower()
    if any(word in label for word in _SHARE_WORDS) and -1 <= value <= 1:
        return f"{round(value * 100)}%"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
