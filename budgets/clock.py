"""Which day it is for a household, and which day its weeks begin: both come from people's preferences."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Value, When
from django.utils import timezone

from accounts.models import Membership, Preferences


@dataclass(frozen=True)
class HouseholdClock:
    today: date
    week_start: int = 0  # Python weekday number


def clock_for_preferences(prefs: Preferences | None) -> HouseholdClock:
    if prefs is None:
        return HouseholdClock(today=timezone.localdate(), week_start=0)
    try:
        zone = zoneinfo.ZoneInfo(prefs.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_default_timezone()
    return HouseholdClock(today=timezone.localtime(timezone.now(), zone).date(), week_start=prefs.week_start)


def clock_for_user(user) -> HouseholdClock:
    """The clock of the person looking (their time zone and week start)."""
    try:
        prefs = user.preferences
    except Preferences.DoesNotExist:
        prefs = None
    return clock_for_preferences(prefs)


def household_clock(household) -> HouseholdClock:
    """The clock of the household's owner — used when nobody is looking (imports, syncs, scheduled checks)."""
    prefs = (
        Preferences.objects.filter(user__membership__household=household)
        .order_by(
            Case(When(user__membership__role=Membership.Role.OWNER, then=Value(0)), default=Value(1)),
            "user__membership__joined_at",
        )
        .first()
    )
    return clock_for_preferences(prefs)
