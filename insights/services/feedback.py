"""What people do with insights: open, act on, judge (helpful or not) and dismiss them. Their verdicts feed
`ranking.feedback_weights`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Insight
from ..notifications import notification_mark_read


def _read_notification(user, insight: Insight) -> None:
    if insight.notification_id and insight.notification.read_at is None:
        notification_mark_read(user, insight.notification)


@transaction.atomic
def insight_open(user, insight: Insight) -> Insight:
    """Following an insight's action: read, and acted on (the first time)."""
    now = timezone.now()
    insight.read_at = insight.read_at or now
    insight.acted_at = insight.acted_at or now
    insight.save(update_fields=["read_at", "acted_at"])
    _read_notification(user, insight)
    return insight


@transaction.atomic
def insight_set_helpful(user, insight: Insight, *, helpful: bool) -> Insight:
    """Record the person's verdict (a later click changes it)."""
    now = timezone.now()
    insight.helpful = helpful
    insight.feedback_at = now
    insight.read_at = insight.read_at or now
    insight.save(update_fields=["helpful", "feedback_at", "read_at"])
    _read_notification(user, insight)
    return insight


@transaction.atomic
def insight_dismiss(user, insight: Insight) -> Insight:
    now = timezone.now()
    insight.dismissed_at = insight.dismissed_at or now
    insight.read_at = insight.read_at or now
    insight.save(update_fields=["dismissed_at", "read_at"])
    _read_notification(user, insight)
    return insight
