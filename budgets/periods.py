"""Budget periods as date ranges: weekly, monthly (any start day), yearly, or a custom range.

Pure date arithmetic (no Django), so boundaries — month ends, leap years, week starts, a 25th-to-24th month — are
easy to test by hand.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

WEEKLY = "weekly"
MONTHLY = "monthly"
YEARLY = "yearly"
CUSTOM = "custom"


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days_elapsed(self, today: date) -> int:
        """Days of the period up to and including `today` (0 before it starts, all of them after it ends)."""
        return max(0, min(self.days, (today - self.start).days + 1))

    def days_left(self, today: date) -> int:
        """Days still to come, today included: 1 on the last day, 0 once the period is over."""
        return self.days - self.days_elapsed(today) + (1 if today in self else 0)

    def overlap_days(self, other: Period) -> int:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return max(0, (end - start).days + 1)


@dataclass(frozen=True)
class Cadence:
    """How a budget's periods repeat."""

    kind: str = MONTHLY
    week_start: int = 0  # Python weekday of the first day of a week (0 = Monday, 6 = Sunday)
    month_start_day: int = 1  # 1..31; a day past the month's end means the month's last day
    custom: Period | None = None  # the one period of a custom budget

    def __post_init__(self) -> None:
        if self.kind not in (WEEKLY, MONTHLY, YEARLY, CUSTOM):
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 0 <= self.week_start <= 6:
            raise ValueError(f"week_start must be a weekday number 0..6, not {self.week_start}")
        if not 1 <= self.month_start_day <= 31:
            raise ValueError(f"month_start_day must be 1..31, not {self.month_start_day}")
        if self.kind == CUSTOM and self.custom is None:
            raise ValueError("a custom cadence needs its date range")

    def period_containing(self, day: date) -> Period:
        if self.kind == WEEKLY:
            start = day - timedelta(days=(day.weekday() - self.week_start) % 7)
            return Period(start, start + timedelta(days=6))
        if self.kind == MONTHLY:
            start = self._month_start(day.year, day.month)
            if day < start:
                start = self._month_start(*_shift_month(day.year, day.month, -1))
            following = self._month_start(*_shift_month(start.year, start.month, 1))
            return Period(start, following - timedelta(days=1))
        if self.kind == YEARLY:
            return Period(date(day.year, 1, 1), date(day.year, 12, 31))
        return self.custom  # a custom range is the only period there is, whatever the day

    def following(self, period: Period) -> Period | None:
        """The next period (None for a custom range, which does not repeat)."""
        if self.kind == CUSTOM:
            return None
        return self.period_containing(period.end + timedelta(days=1))

    def preceding(self, period: Period) -> Period | None:
        if self.kind == CUSTOM:
            return None
        return self.period_containing(period.start - timedelta(days=1))

    def periods_between(self, first_day: date, last_day: date) -> Iterator[Period]:
        """Every period from the one containing `first_day` to the one containing `last_day`, in order."""
        period: Period | None = self.period_containing(first_day)
        while period is not None and period.start <= last_day:
            yield period
            period = self.following(period)

    def _month_start(self, year: int, month: int) -> date:
        return date(year, month, min(self.month_start_day, calendar.monthrange(year, month)[1]))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end: Jan 31 + 1 month = Feb 28/29."""
    year, month = _shift_month(day.year, day.month, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def prorated_amount(amount: Decimal, cadence: Cadence, window: Period, since: date | None = None) -> Decimal:
    """How much of a per-period `amount` falls inside `window`, by days of overlap with each of the cadence's
    periods (a weekly 70 over a 31-day month is 310). Days before `since` are not budgeted."""
    if since is not None and since > window.end:
        return Decimal("0")
    start = max(window.start, since) if since is not None else window.start
    clipped = Period(start, window.end)
    total = Decimal("0")
    for period in cadence.periods_between(clipped.start, clipped.end):
        total += amount * clipped.overlap_days(period) / period.days
    return total.quantize(Decimal("0.01"))
