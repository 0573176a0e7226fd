"""Chart specs for the budget pages, read by static/budgets/charts.js (amounts stay decimal strings)."""

from __future__ import annotations

from collections.abc import Sequence

from .periods import Period
from .selectors import MonthFigures
from .usage import Usage


def _period_label(period: Period) -> str:
    if period.start.day == 1:
        return period.start.strftime("%b %Y")
    return f"{period.start:%b %-d} – {period.end:%b %-d}"


def budget_vs_actual_chart(figures: Sequence[MonthFigures], currency: str) -> dict:
    """Bars per budget month: what was budgeted and what was spent in budgeted categories, plus all spending."""
    return {
        "type": "bar",
        "currency": currency,
        "labels": [_period_label(f.period) for f in figures],
        "datasets": [
            {"label": "Budgeted", "role": "budget", "data": [str(f.budgeted) for f in figures]},
            {"label": "Spent in budgets", "role": "actual", "data": [str(f.spent_in_budgets) for f in figures]},
            {"label": "All spending", "role": "total", "type": "line", "data": [str(f.spending) for f in figures]},
        ],
    }


def budget_history_chart(history: Sequence[Usage], currency: str) -> dict:
    """Bars per period of one budget: available (with rollover) vs spent."""
    return {
        "type": "bar",
        "currency": currency,
        "labels": [_period_label(u.period) for u in history],
        "datasets": [
            {"label": "Available", "role": "budget", "data": [str(u.available) for u in history]},
            {"label": "Spent", "role": "actual", "data": [str(u.spent) for u in history]},
        ],
    }
