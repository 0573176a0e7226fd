"""Goals: milestones and completions to celebrate, and goals falling behind their target date.

The goals app notifies milestones itself, so celebrations are recorded for the coach's pages without a second
notification; "behind schedule" is the coach's own nudge and is delivered.
"""

from __future__ import annotations

from datetime import timedelta

from .. import links
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit

RECENT = timedelta(days=7)


def evaluate(ctx: RuleContext) -> list[Candidate]:
    out = []
    for goal in ctx.goals:
        if goal.milestones and goal.last_milestone_at and goal.last_milestone_at >= ctx.today - RECENT:
            out.append(_celebration(ctx, goal))
        if goal.is_active and goal.on_track is False and goal.required_monthly and goal.target_date:
            out.append(_behind(ctx, goal))
    return out


def _celebration(ctx: RuleContext, goal) -> Candidate:
    milestone = max(goal.milestones)
    name = goal.name[:40]
    if milestone >= 100:
        title = f"Goal reached: {goal.name}!"
        message = f'You saved {ctx.money(goal.saved)} for "{name}". Well done: that took real discipline.'
    else:
        title = f"{milestone}% of the way to {goal.name}"
        message = (
            f'"{name}" is at {ctx.money(goal.saved)} of {ctx.money(goal.target)}, {ctx.money(goal.remaining)} to go.'
        )
    return Candidate(
        kind=Kind.GOAL_MILESTONE,
        title=fit(title, 60),
        message=message,
        priority=Priority.LOW,
        sentiment=Sentiment.POSITIVE,
        deliver=False,
        dedupe_key=f"goal_milestone:{goal.id}:{milestone}",
        expires_at=ctx.expires_end_of(ctx.today + timedelta(days=14)),
        relevance=milestone / 100,
        action_url=links.goal_page(goal.id),
        action_label="See the goal",
        data={
            "goal_id": goal.id,
            "name": goal.name,
            "milestone": milestone,
            "saved": str(goal.saved),
            "target": str(goal.target),
        },
    )


def _behind(ctx: RuleContext, goal) -> Candidate:
    name = goal.name[:40]
    message = (
        f'To reach "{name}" by {ctx.long_day(goal.target_date)} you need {ctx.money(goal.required_monthly)} a month'
    )
    if goal.projected_date:
        message += f"; at your current pace you'd get there on {ctx.long_day(goal.projected_date)}."
    else:
        message += "; nothing has been added recently."
    return Candidate(
        kind=Kind.GOAL_BEHIND,
        title=fit(f"{goal.name} is behind schedule", 60),
        message=message,
        priority=Priority.NORMAL,
        sentiment=Sentiment.WARNING,
        dedupe_key=f"goal_behind:{goal.id}:{ctx.today:%Y-%m}",
        expires_at=ctx.expires_end_of(ctx.today + timedelta(days=30)),
        relevance=0.6,
        action_url=links.goal_page(goal.id),
        action_label="Adjust the goal",
        data={
            "goal_id": goal.id,
            "name": goal.name,
            "required_monthly": str(goal.required_monthly),
            "target_date": goal.target_date.isoformat(),
            "projected_date": goal.projected_date.isoformat() if goal.projected_date else None,
        },
    )
