"""Subscription review (monthly): how many, what they cost a month and a year, recent price rises, overlaps.
Plus a prompt note for each fresh price rise."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fincoach.money import ZERO, to_money

from .. import links
from ..facts.ml_results import MONTHLY_FACTOR, duplicate_subscriptions, price_increases
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit, join_names

MIN_SUBSCRIPTIONS = 2
REVIEW_LOOKBACK = timedelta(days=90)  # price rises worth mentioning in the monthly review
FRESH_RISE = timedelta(days=30)  # price rises that get their own note


def evaluate(ctx: RuleContext) -> list[Candidate]:
    subscriptions = ctx.subscriptions
    out = [_price_rise(ctx, change) for change in price_increases(subscriptions, ctx.today - FRESH_RISE)]
    if len(subscriptions) < MIN_SUBSCRIPTIONS:
        return out
    monthly = sum((s.monthly_cost for s in subscriptions), ZERO)
    rises = price_increases(subscriptions, ctx.today - REVIEW_LOOKBACK)
    overlaps = duplicate_subscriptions(subscriptions)
    parts = [
        f"You have {len(subscriptions)} subscriptions costing {ctx.money(monthly)} a month "
        f"({ctx.money(monthly * 12)} a year)."
    ]
    if rises:
        latest = rises[-1]
        parts.append(f"{latest.subscription.name[:24]} rose from {ctx.money(latest.old)} to {ctx.money(latest.new)}.")
    if overlaps:
        names = [s.name[:20] for s in overlaps[0]]
        parts.append(f"{join_names(names)} look like paying twice.")
    out.append(
        Candidate(
            kind=Kind.SUBSCRIPTION_REVIEW,
            title=f"{len(subscriptions)} subscriptions: {ctx.money(monthly)} a month",
            message=fit(" ".join(parts), 240),
            priority=Priority.NORMAL if (rises or overlaps) else Priority.LOW,
            sentiment=Sentiment.NEUTRAL,
            dedupe_key=f"subscription_review:{ctx.today:%Y-%m}",
            expires_at=ctx.expires_end_of(ctx.today + timedelta(days=14)),
            relevance=min(float(monthly / Decimal(200)), 1.0),
            action_url=links.subscriptions_page(),
            action_label="Review subscriptions",
            data={
                "count": len(subscriptions),
                "monthly_total": str(monthly),
                "yearly_total": str(monthly * 12),
                "price_rises": [
                    {"name": c.subscription.name, "date": c.day.isoformat(), "old": str(c.old), "new": str(c.new)}
                    for c in rises
                ],
                "overlaps": [[s.name for s in group] for group in overlaps],
            },
        )
    )
    return out


def _price_rise(ctx: RuleContext, change) -> Candidate:
    sub = change.subscription
    yearly_extra = to_money(change.increase * MONTHLY_FACTOR.get(sub.cadence, Decimal(1)) * 12)
    message = (
        f"{sub.name[:40]} went up from {ctx.money(change.old)} to {ctx.money(change.new)} on {ctx.day(change.day)}, "
        f"{ctx.money(yearly_extra)} more a year. Still worth it? Cancelling or switching plans takes minutes."
    )
    return Candidate(
        kind=Kind.SUBSCRIPTION_PRICE,
        title=fit(f"{sub.name} raised its price", 60),
        message=message,
        priority=Priority.NORMAL,
        sentiment=Sentiment.WARNING,
        dedupe_key=f"subscription_price:{sub.id}:{change.day.isoformat()}",
        expires_at=ctx.expires_end_of(ctx.today + timedelta(days=30)),
        relevance=min(float(change.increase / change.old), 1.0) if change.old else 1.0,
        action_url=links.subscriptions_page(),
        action_label="Review subscriptions",
        data={
            "name": sub.name,
            "date": change.day.isoformat(),
            "old": str(change.old),
            "new": str(change.new),
            "yearly_extra": str(yearly_extra),
        },
    )
