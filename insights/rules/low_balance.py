"""Low or critical balance ahead: the forecast dips under the account's cushion (or below zero) soon."""

from __future__ import annotations

from datetime import timedelta

from .. import links
from .base import Candidate, Kind, Priority, RuleContext, Sentiment

LOOKAHEAD_DAYS = 30
WINDOW = timedelta(days=7)


def evaluate(ctx: RuleContext) -> list[Candidate]:
    # Per-account forecasts say which account runs short; the household one is used only when there are none.
    forecasts = [f for f in ctx.forecasts if f.account_id is not None] or ctx.forecasts
    out = []
    for forecast in forecasts:
        lows = forecast.low_points_within(ctx.today, LOOKAHEAD_DAYS)
        if not lows:
            continue
        first = lows[0]
        lowest = min(lows, key=lambda p: (p.expected, p.day))
        critical = lowest.expected < 0
        where = "your balance" if forecast.account_id is None else f"{forecast.account_name[:30]}"
        if critical:
            title = f"Balance may go negative by {ctx.day(lowest.day)}"
            message = (
                f"{where[0].upper()}{where[1:]} is forecast to dip below {ctx.money(forecast.threshold)} on "
                f"{ctx.day(first.day)} and reach {ctx.money(lowest.expected)} on {ctx.day(lowest.day)}. "
                "Move money in or delay a payment before then to avoid an overdraft."
            )
        else:
            title = f"Low balance ahead on {ctx.day(first.day)}"
            message = (
                f"{where[0].upper()}{where[1:]} is forecast to dip below your {ctx.money(forecast.threshold)} "
                f"cushion on {ctx.day(first.day)}, down to {ctx.money(lowest.expected)} on {ctx.day(lowest.day)}."
            )
        depth = forecast.threshold - lowest.expected
        scale = max(abs(forecast.threshold), abs(lowest.expected), 1)
        out.append(
            Candidate(
                kind=Kind.LOW_BALANCE,
                title=title,
                message=message,
                priority=Priority.CRITICAL if critical else Priority.HIGH,
                sentiment=Sentiment.WARNING,
                is_alert=True,
                dedupe_key=f"low_balance:{forecast.account_id or 'household'}:{'critical' if critical else 'low'}",
                window=WINDOW,
                expires_at=ctx.expires_end_of(lowest.day),
                relevance=float(min(depth / scale, 1)),
                action_url=links.insights_page("forecast"),
                action_label="See the forecast",
                data={
                    "account": forecast.account_name,
                    "threshold": str(forecast.threshold),
                    "first_low_date": first.day.isoformat(),
                    "first_low_amount": str(first.expected),
                    "lowest_date": lowest.day.isoformat(),
                    "lowest_amount": str(lowest.expected),
                    "days_until": (first.day - ctx.today).days,
                },
            )
        )
    return out
