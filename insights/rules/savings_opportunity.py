"""Savings opportunity: the month is heading for a surplus, so suggest a concrete amount to move to a named goal.

Projected surplus = expected income (the usual monthly income, or more if more already came in) − projected
spending (spent so far + the usual spending for the days left). Half of it is suggested, capped so the balance
forecast keeps its cushion, rounded down to $10.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from fincoach.money import ZERO, to_money

from .. import links
from ..facts.cashflow import income_total, spending_total
from ..facts.periods import month_end
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit

MIN_DAYS_ELAPSED = 10
SHARE = Decimal("0.5")
STEP = Decimal("10")
MIN_SUGGESTION = Decimal("25")
FORECAST_DAYS = 30


def evaluate(ctx: RuleContext) -> list[Candidate]:
    if ctx.today.day < MIN_DAYS_ELAPSED or not ctx.has_history:
        return []
    flows = ctx.trailing_flows
    usual_income = to_money(sum((f.income for f in flows), ZERO) / len(flows))
    usual_spending = to_money(sum((f.spending for f in flows), ZERO) / len(flows))
    income = max(income_total(ctx.household, ctx.month_to_date), usual_income)
    last_day = month_end(ctx.today)
    days_left = (last_day - ctx.today).days
    projected_spending = spending_total(ctx.household, ctx.month_to_date) + to_money(
        usual_spending * days_left / last_day.day
    )
    surplus = income - projected_spending
    suggestion = surplus * SHARE
    headroom = _forecast_headroom(ctx)
    if headroom is not None:
        suggestion = min(suggestion, headroom)
    suggestion = to_money((suggestion / STEP).quantize(Decimal("1"), rounding=ROUND_DOWN) * STEP)
    if suggestion < MIN_SUGGESTION:
        return []
    goal = _goal_to_fund(ctx)
    data = {
        "projected_surplus": str(surplus),
        "suggested_amount": str(suggestion),
        "expected_income": str(income),
        "projected_spending": str(projected_spending),
        "forecast_headroom": str(headroom) if headroom is not None else None,
    }
    if goal is not None:
        amount = min(suggestion, goal.remaining)
        name = goal.name[:40]
        title = f"Move {ctx.money(amount)} to {goal.name}"
        message = (
            f"This month is on course to end about {ctx.money(surplus)} ahead. Moving {ctx.money(amount)} to "
            f'"{name}" now brings it to {_percent_after(goal, amount)}% of {ctx.money(goal.target)}.'
        )
        data.update(goal_id=goal.id, goal_name=goal.name, suggested_amount=str(amount))
        action_url, action_label = links.goal_page(goal.id), "Add to the goal"
    else:
        title = f"Room to save {ctx.money(suggestion)} this month"
        message = (
            f"This month is on course to end about {ctx.money(surplus)} ahead. Setting aside {ctx.money(suggestion)} "
            "in a named goal, such as an emergency fund, makes it stick."
        )
        action_url, action_label = links.new_goal_page(), "Create a goal"
    return [
        Candidate(
            kind=Kind.SAVINGS_OPPORTUNITY,
            title=fit(title, 60),
            message=message,
            priority=Priority.NORMAL,
            sentiment=Sentiment.POSITIVE,
            dedupe_key=f"savings_opportunity:{ctx.today:%Y-%m}",
            expires_at=ctx.expires_end_of(last_day),
            relevance=float(min(suggestion / max(usual_income, Decimal(1)) * 5, Decimal(1))),
            action_url=action_url,
            action_label=action_label,
            data=data,
        )
    ]


def _forecast_headroom(ctx: RuleContext) -> Decimal | None:
    """How far the forecast stays above its cushion over the next month (None without a forecast)."""
    forecasts = [f for f in ctx.forecasts if f.account_id is None] or ctx.forecasts
    lows = []
    for forecast in forecasts:
        upcoming = [p for p in forecast.points if ctx.today <= p.day <= ctx.today + timedelta(days=FORECAST_DAYS)]
        if upcoming:
            lows.append(min(p.expected for p in upcoming) - forecast.threshold)
    return max(min(lows), ZERO) if lows else None


def _goal_to_fund(ctx: RuleContext):
    """The active goal that needs it most: behind schedule first, then by the goal's own priority."""
    open_goals = [g for g in ctx.goals if g.is_active and g.remaining > 0]
    if not open_goals:
        return None
    return min(open_goals, key=lambda g: (g.on_track is not False, g.priority, g.target_date or date.max, g.id))


def _percent_after(goal, amount: Decimal) -> int:
    return int(min((goal.saved + amount) * 100 / goal.target, Decimal(100)))
