"""Template helpers shared by the budgets and goals pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from fincoach.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str = "USD") -> str:
    """`{{ amount|money:currency }}` → "$1,234.50" (no sign for positive values)."""
    return format_money(value, currency or "USD")


@register.filter
def money_whole(value: Decimal | None, currency: str = "USD") -> str:
    """Money without cents, for headline figures and chart-adjacent labels: "$1,235"."""
    if value is None:
        return format_money(None)
    return format_money(Decimal(value).quantize(Decimal("1")), currency or "USD").removesuffix(".00")


@register.filter
def progress_class(status: str) -> str:
    """Bootstrap background class for a usage or goal status."""
    return {"over": "bg-danger", "warning": "bg-warning", "behind": "bg-warning", "done": "bg-success"}.get(
        status, "bg-success" if status in ("ok", "on_track") else "bg-primary"
    )
