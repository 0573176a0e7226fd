"""Chart spec for a goal's progress, read by static/budgets/charts.js (amounts stay decimal strings)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .selectors import GoalProgress


def goal_progress_chart(history: Sequence[tuple[date, Decimal]], progress: GoalProgress, currency: str) -> dict:
    """A line of progress at each month's end against the target."""
    label = "Paid off" if progress.goal.is_debt else "Saved"
    return {
        "type": "line",
        "currency": currency,
        "labels": [f"{day:%b %Y}" for day, _ in history],
        "datasets": [
            {"label": label, "role": "progress", "data": [str(value) for _, value in history]},
            {"label": "Target", "role": "budget", "data": [str(progress.target)] * len(history)},
        ],
    }
