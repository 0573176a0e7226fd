"""Calendar arithmetic the coach needs (pure: no Django models)."""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """An inclusive date range."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_period(day: date) -> Period:
    return Period(month_start(day), month_end(day))


def month_to_date(today: date) -> Period:
    return Period(month_start(today), today)


def same_span_in_month(month_first_day: date, days: int) -> Period:
    """The first `days` days of a month (clamped to its length): to compare like with like."""
    last = month_end(month_first_day)
    return Period(month_first_day, min(month_first_day + timedelta(days=days - 1), last))


def week_containing(day: date, week_start: int) -> Period:
    """The week holding `day`, starting on Python weekday `week_start` (0 = Monday, 6 = Sunday)."""
    offset = (day.weekday() - week_start) % 7
    start = day - timedelta(days=offset)
    return Period(start, start + timedelta(days=6))


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone, or UTC for an empty or unknown name."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def timezone_of(user) -> zoneinfo.ZoneInfo:
    prefs = getattr(user, "preferences", None)
    return zone_named(getattr(prefs, "timezone", "") or "UTC")


def local_now(user) -> datetime:
    return timezone.now().astimezone(timezone_of(user))


def local_today(user) -> date:
    return local_now(user).date()


def end_of_local_day(user, day: date) -> datetime:
    """The aware moment a local day ends for `user` (used for expiry times)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=timezone_of(user))


def start_of_local_day(user, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone_of(user))
