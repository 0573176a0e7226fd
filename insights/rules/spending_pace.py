"""Spending pace: this month so far against the household's own average for the same days of recent months.

Above the usual pace it names the category driving it; well below, it says so (praise is coaching too).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fincoach.money import ZERO, to_money

from .. import links
from ..facts.cashflow import category_label, spending_by_period_and_category
from ..facts.periods import same_span_in_month
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import ordinal, percent

MIN_DAYS_ELAPSED = 7  # earlier in the month one rent payment decides everything
OVER_RATIO = Decimal("1.15")
FAR_OVER_RATIO = Decimal("1.5")
UNDER_RATIO = Decimal("0.85")
MIN_DIFFERENCE = Decimal("50")
WINDOW = timedelta(days=7)


def evaluate(ctx: RuleContext) -> list[Candidate]:
    if ctx.today.day < MIN_DAYS_ELAPSED or not ctx.has_history:
        return []
    span = ctx.today.day
    earlier = [same_span_in_month(month, span) for month in ctx.trailing_months]
    *past, current = spending_by_period_and_category(ctx.household, [*earlier, ctx.month_to_date])
    usual_by_category = _average(past)
    usual = sum(usual_by_category.values(), ZERO)
    spent = sum(current.values(), ZERO)
    if usual <= 0:
        return []
    ratio = spent / usual
    month = ctx.today.strftime("%Y-%m")
    base = {
        "spent": str(spent),
        "usual": str(usual),
        "through_day": span,
        "percent_difference": percent(abs(ratio - 1)),
        "months_compared": len(past),
    }
    if ratio >= OVER_RATIO and spent - usual >= MIN_DIFFERENCE:
        code, now, before = _top_driver(current, usual_by_category)
        name, _ = category_label(code)
        message = (
            f"You've spent {ctx.money(spent)} this month through the {ordinal(span)}, {percent(ratio - 1)}% more "
            f"than your usual {ctx.money(usual)} by this day. {name} leads: {ctx.money(now)} vs "
            f"{ctx.money(before)} usually."
        )
        return [
            Candidate(
                kind=Kind.SPENDING_PACE,
                title=f"Spending is {percent(ratio - 1)}% above your usual pace",
                message=message,
                priority=Priority.HIGH if ratio >= FAR_OVER_RATIO else Priority.NORMAL,
                sentiment=Sentiment.WARNING,
                dedupe_key=f"spending_pace:{month}:over",
                window=WINDOW,
                expires_at=ctx.expires_end_of(ctx.today + timedelta(days=7)),
                relevance=float(min(ratio - 1, Decimal(1))),
                action_url=links.transactions_page(),
                action_label="Review spending",
                data={
                    **base,
                    "top_category": code,
                    "top_category_name": name,
                    "top_spent": str(now),
                    "top_usual": str(before),
                },
            )
        ]
    if ratio <= UNDER_RATIO and usual - spent >= MIN_DIFFERENCE:
        message = (
            f"You've spent {ctx.money(spent)} this month through the {ordinal(span)}, {percent(1 - ratio)}% less "
            f"than your usual {ctx.money(usual)} by this day. That's {ctx.money(usual - spent)} still in your pocket."
        )
        return [
            Candidate(
                kind=Kind.SPENDING_PACE,
                title=f"Spending is {percent(1 - ratio)}% below your usual pace",
                message=message,
                priority=Priority.LOW,
                sentiment=Sentiment.POSITIVE,
                dedupe_key=f"spending_pace:{month}:under",
                window=WINDOW,
                expires_at=ctx.expires_end_of(ctx.today + timedelta(days=7)),
                relevance=float(min(1 - ratio, Decimal(1))),
                action_url=links.insights_page(),
                action_label="See insights",
                data=base,
            )
        ]
    return []


def _average(periods: list[dict[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for spending in periods:
        for code, amount in spending.items():
            totals[code] = totals.get(code, ZERO) + amount
    return {code: to_money(total / len(periods)) for code, total in totals.items()}


def _top_driver(current: dict[str, Decimal], usual: dict[str, Decimal]) -> tuple[str, Decimal, Decimal]:
    """The category whose spending rose the most above its own usual level."""
    code = max(current, key=lambda c: (current[c] - usual.get(c, ZERO), c))
    return code, current[code], usual.get(code, ZERO)
