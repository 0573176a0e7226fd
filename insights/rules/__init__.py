"""The coach's rules, one module each. A rule is a module with `evaluate(ctx: RuleContext) -> list[Candidate]`:
it reads facts, decides, and words its finding neutrally with real numbers; it never writes."""

from __future__ import annotations

from types import ModuleType

from . import (
    anomaly,
    bill_reminder,
    budget_alert,
    goal_progress,
    low_balance,
    persona_change,
    savings_opportunity,
    spending_pace,
    subscription_review,
    weekly_summary,
)

RULES: dict[str, ModuleType] = {
    "low_balance": low_balance,
    "bill_reminder": bill_reminder,
    "anomaly": anomaly,
    "budget_alert": budget_alert,
    "spending_pace": spending_pace,
    "savings_opportunity": savings_opportunity,
    "subscription_review": subscription_review,
    "goal_progress": goal_progress,
    "weekly_summary": weekly_summary,
    "persona_change": persona_change,
}

# What new or changed transactions can change at once. The weekly summary and the monthly savings suggestion wait
# for the morning run, so an import late at night does not bring them at the wrong time.
EVENT_RULES: tuple[str, ...] = (
    "low_balance",
    "bill_reminder",
    "anomaly",
    "budget_alert",
    "spending_pace",
    "subscription_review",
    "goal_progress",
    "persona_change",
)
