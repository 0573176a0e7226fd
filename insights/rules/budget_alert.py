"""Budget alerts: a budget at its alert threshold or over it, and — before that happens — a budget whose pace
will take it over by the end of its period.

The budgets app notifies the household itself when a threshold is crossed, so those insights are recorded for the
coach's pages without a second notification; the early pace warning is the coach's own and is delivered.
"""

from __future__ import annotations

from decimal import Decimal

from .. import links
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit

MIN_DAYS_ELAPSED = 5
MIN_DAYS_LEFT = 3
MIN_OVERSPEND = Decimal("20")
MIN_OVERSPEND_SHARE = Decimal("0.10")


def evaluate(ctx: RuleContext) -> list[Candidate]:
    out = []
    for budget in ctx.budgets:
        key = f"budget:{budget.id}:{budget.period_start.isoformat()}"
        common = {
            "kind": Kind.BUDGET_ALERT,
            "sentiment": Sentiment.WARNING,
            "expires_at": ctx.expires_end_of(budget.period_end),
            "action_url": links.budget_page(budget.id),
            "action_label": "Open the budget",
        }
        data = {
            "budget_id": budget.id,
            "name": budget.name,
            "available": str(budget.available),
            "spent": str(budget.spent),
            "period_start": budget.period_start.isoformat(),
            "period_end": budget.period_end.isoformat(),
            "days_left": budget.days_left,
        }
        name = budget.name[:30]
        spent_on = "in total" if budget.covers_all_spending else f"on {name}"
        if budget.status == "over":
            out.append(
                Candidate(
                    title=fit(f"Over budget: {budget.name}", 60),
                    message=(
                        f"You've spent {ctx.money(budget.spent)} {spent_on}, "
                        f"{ctx.money(budget.spent - budget.available)} over your {ctx.money(budget.available)} "
                        f"budget with {budget.days_left} days left in the period."
                    ),
                    priority=Priority.HIGH,
                    is_alert=True,
                    deliver=False,
                    dedupe_key=f"{key}:over",
                    relevance=1.0,
                    data=data,
                    **common,
                )
            )
        elif budget.status == "warning":
            out.append(
                Candidate(
                    title=fit(f"{budget.name} budget at {int(budget.percent or 0)}%", 60),
                    message=(
                        f"{ctx.money(budget.spent)} of {ctx.money(budget.available)} spent {spent_on}; "
                        f"{ctx.money(budget.remaining)} left for the next {budget.days_left} days."
                    ),
                    priority=Priority.NORMAL,
                    is_alert=True,
                    deliver=False,
                    dedupe_key=f"{key}:threshold",
                    relevance=0.8,
                    data={**data, "percent": str(budget.percent)},
                    **common,
                )
            )
        elif _heading_over(budget):
            overspend = budget.projected_overspend
            out.append(
                Candidate(
                    title=fit(f"{budget.name} is on course to overspend", 60),
                    message=(
                        f"At this pace you'll spend {ctx.money(budget.projected_spend)} {spent_on} by "
                        f"{ctx.day(budget.period_end)}, {ctx.money(overspend)} over your {ctx.money(budget.available)}"
                        f" budget. Keeping to {ctx.money(budget.remaining / budget.days_left)} a day avoids that."
                    ),
                    priority=Priority.NORMAL,
                    dedupe_key=f"{key}:pace",
                    relevance=float(min(overspend / budget.available, Decimal(1))),
                    data={**data, "projected_spend": str(budget.projected_spend), "overspend": str(overspend)},
                    **common,
                )
            )
    return out


def _heading_over(budget) -> bool:
    overspend = budget.projected_overspend
    elapsed = (budget.period_end - budget.period_start).days + 1 - budget.days_left
    return (
        overspend is not None
        and elapsed >= MIN_DAYS_ELAPSED
        and budget.days_left >= MIN_DAYS_LEFT
        and overspend >= max(MIN_OVERSPEND, budget.available * MIN_OVERSPEND_SHARE)
        and budget.remaining > 0
    )
