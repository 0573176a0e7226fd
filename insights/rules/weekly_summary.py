"""Weekly summary, early in the user's week: last week's spending against their recent weeks, and where it went."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fincoach.money import ZERO, to_money

from .. import links
from ..facts.cashflow import category_label, first_transaction_date, spending_by_period_and_category
from ..facts.periods import Period, week_containing
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import day_range, percent

COMPARE_WEEKS = 8
DELIVER_WITHIN_DAYS = 3  # a summary that arrives on Friday is news from last week
BETTER_RATIO = Decimal("0.95")
WORSE_RATIO = Decimal("1.2")


def evaluate(ctx: RuleContext) -> list[Candidate]:
    this_week = week_containing(ctx.today, ctx.week_start)
    if (ctx.today - this_week.start).days >= DELIVER_WITHIN_DAYS:
        return []
    weeks = [_shift(this_week, -n) for n in range(COMPARE_WEEKS + 1, 0, -1)]  # oldest first; last = last week
    first = first_transaction_date(ctx.household)
    if first is None or first > weeks[0].end:  # every compared week has data
        return []
    *earlier, last = spending_by_period_and_category(ctx.household, weeks)
    spent = sum(last.values(), ZERO)
    average = to_money(sum((sum(w.values(), ZERO) for w in earlier), ZERO) / len(earlier))
    if average <= 0:
        return []
    ratio = spent / average
    week = weeks[-1]
    if ratio <= BETTER_RATIO:
        sentiment, comparison = Sentiment.POSITIVE, f"{percent(1 - ratio)}% less than"
    elif ratio >= WORSE_RATIO:
        sentiment, comparison = Sentiment.WARNING, f"{percent(ratio - 1)}% more than"
    else:
        sentiment, comparison = Sentiment.NEUTRAL, "close to"
    message = (
        f"Last week ({day_range(week.start, week.end)}) you spent {ctx.money(spent)}, {comparison} your "
        f"{COMPARE_WEEKS}-week average of {ctx.money(average)}."
    )
    data = {
        "week_start": week.start.isoformat(),
        "week_end": week.end.isoformat(),
        "spent": str(spent),
        "average": str(average),
        "weeks_compared": COMPARE_WEEKS,
    }
    if last:
        code = max(last, key=lambda c: (last[c], c))
        name, _ = category_label(code)
        message += f" Top category: {name} ({ctx.money(last[code])})."
        data.update(top_category=code, top_category_name=name, top_spent=str(last[code]))
    return [
        Candidate(
            kind=Kind.WEEKLY_SUMMARY,
            title=f"Your week: {ctx.money(spent)} spent",
            message=message,
            priority=Priority.LOW,
            sentiment=sentiment,
            dedupe_key=f"weekly_summary:{week.start.isoformat()}",
            expires_at=ctx.expires_end_of(this_week.end),
            relevance=0.4 if sentiment == Sentiment.NEUTRAL else 0.7,
            action_url=links.transactions_page(),
            action_label="See last week",
            data=data,
        )
    ]


def _shift(week: Period, weeks: int) -> Period:
    delta = timedelta(days=7 * weeks)
    return Period(week.start + delta, week.end + delta)
