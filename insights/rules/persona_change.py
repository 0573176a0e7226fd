"""Persona change: the household's spending persona moved (or was found for the first time)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .. import links
from ..facts.ml_results import persona_history
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit

RECENT = timedelta(days=14)


def evaluate(ctx: RuleContext) -> list[Candidate]:
    history = persona_history(ctx.household, limit=2)
    if not history:
        return []
    current = history[0]
    if timezone.localdate(current.assigned_at) < ctx.today - RECENT:
        return []
    previous = history[1] if len(history) > 1 else None
    if previous is not None and previous.key == current.key:
        return []
    if previous is None:
        title = f"Meet your spending persona: {current.name}"
        opening = f"From your spending so far you look like a {current.name}."
    else:
        title = f"Your spending persona is now {current.name}"
        opening = f"Recent months moved you from {previous.name} to {current.name}."
    tip = f" Tip: {fit(current.tips[0], 100)}" if current.tips else ""
    message = fit(f"{opening} {current.description}", 240 - len(tip)) + tip
    return [
        Candidate(
            kind=Kind.PERSONA_CHANGE,
            title=fit(title, 60),
            message=message,
            priority=Priority.LOW,
            sentiment=Sentiment.NEUTRAL,
            dedupe_key=f"persona:{current.id}",
            expires_at=ctx.expires_end_of(ctx.today + timedelta(days=14)),
            relevance=0.6 if previous else 0.4,
            action_url=links.insights_page("persona"),
            action_label="About your persona",
            data={
                "persona": current.key,
                "name": current.name,
                "previous": previous.key if previous else None,
                "previous_name": previous.name if previous else None,
                "confidence": round(current.confidence, 2),
            },
        )
    ]
