"""Ranking: which coaching insights are worth someone's attention today.

score = priority × (0.5 + relevance) × feedback weight. The weight per kind comes from the person's own verdicts:
(helpful + 2) / (not helpful + 2), where acting on an insight counts as half a "helpful". Two "not helpful" votes
halve a kind's weight; it never drops below a fifth, so a kind can win back its place.
"""

from __future__ import annotations

from django.db.models import Count, Q

from ..models import Insight

MIN_WEIGHT = 0.2
MAX_WEIGHT = 3.0
PRIOR = 2.0


def feedback_weights(user) -> dict[str, float]:
    """Weight per insight kind from the user's feedback (kinds without feedback are absent: weight 1)."""
    rows = (
        Insight.objects.for_user(user)
        .values("kind")
        .annotate(
            helpful_votes=Count("id", filter=Q(helpful=True)),
            unhelpful_votes=Count("id", filter=Q(helpful=False)),
            acted_on=Count("id", filter=Q(helpful__isnull=True, acted_at__isnull=False)),
        )
        .order_by()
    )
    weights = {}
    for row in rows:
        positive = row["helpful_votes"] + 0.5 * row["acted_on"]
        if positive or row["unhelpful_votes"]:
            weight = (positive + PRIOR) / (row["unhelpful_votes"] + PRIOR)
            weights[row["kind"]] = min(max(weight, MIN_WEIGHT), MAX_WEIGHT)
    return weights


def score(*, priority: int, relevance: float, weight: float = 1.0) -> float:
    return round(priority * (0.5 + relevance) * weight, 3)
