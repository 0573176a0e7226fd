"""Unusual transactions the anomaly detector flagged recently and nobody has reviewed yet."""

from __future__ import annotations

from datetime import timedelta

from .. import links
from ..facts.ml_results import open_anomalies
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit

RECENT = timedelta(days=14)


def evaluate(ctx: RuleContext) -> list[Candidate]:
    out = []
    for anomaly in open_anomalies(ctx.household, since=ctx.today - RECENT):
        duplicate = any("duplicate" in kind for kind in anomaly.reason_kinds)
        reasons = "; ".join(anomaly.reasons[:2]) or "it does not look like your usual spending"
        merchant = anomaly.merchant[:30]
        message = fit(
            f"{ctx.money(abs(anomaly.amount))} at {merchant} on {ctx.day(anomaly.day)}: {reasons}. "
            "If you don't recognise it, contact your bank.",
            240,
        )
        out.append(
            Candidate(
                kind=Kind.ANOMALY,
                title=fit(f"{'Possible duplicate' if duplicate else 'Unusual charge'} at {merchant}", 60),
                message=message,
                priority=Priority.HIGH if duplicate else Priority.NORMAL,
                sentiment=Sentiment.WARNING,
                is_alert=True,
                dedupe_key=f"anomaly:{anomaly.id}",
                expires_at=ctx.expires_end_of(anomaly.day + timedelta(days=30)),
                relevance=min(max(anomaly.score, 0.0), 1.0),
                action_url=links.anomalies_page(),
                action_label="Review it",
                data={
                    "anomaly_id": anomaly.id,
                    "transaction_id": anomaly.transaction_id,
                    "merchant": anomaly.merchant,
                    "amount": str(anomaly.amount),
                    "date": anomaly.day.isoformat(),
                    "reasons": anomaly.reasons,
                },
            )
        )
    return out
