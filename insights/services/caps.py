"""How many coaching insights someone may still receive now: the daily cap and their chosen frequency.

Alerts (low balance, bills, anomalies, budget thresholds) are never capped. Insights recorded without a notification
(a goal milestone the goals app already announced) do not count either.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from accounts.models import Preferences

from ..facts.periods import start_of_local_day
from ..models import Insight


def coaching_allowance(user, *, today: date) -> int:
    """Coaching insights `user` may still get: `INSIGHTS_DAILY_COACHING_CAP` a day (frequency "daily"), that many a
    week ("weekly"), none ("alerts only")."""
    prefs = getattr(user, "preferences", None)
    frequency = getattr(prefs, "insight_frequency", Preferences.Frequency.DAILY)
    cap = max(settings.INSIGHTS_DAILY_COACHING_CAP, 0)
    if frequency == Preferences.Frequency.ALERTS_ONLY:
        return 0
    days = 7 if frequency == Preferences.Frequency.WEEKLY else 1
    since = start_of_local_day(user, today - timedelta(days=days - 1))
    used = Insight.objects.for_user(user).filter(is_alert=False, delivered=True, created_at__gte=since).count()
    return max(cap - used, 0)
