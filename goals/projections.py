"""Goal projections: the monthly contribution a deadline needs, the pace so far, and when the goal is reached at
that pace. Pure functions on Decimals and dates, checked against hand-computed cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from budgets.periods import add_months

CENT = Decimal("0.01")
ZERO = Decimal("0")
# The mean Gregorian month, for turning a span of days into months.
DAYS_PER_MONTH = Decimal("30.436875")


def months_until(today: date, target: date) -> int:
    """Whole months from `today` until `target` (Jan 31 → Feb 28 is one month; a target in the past is 0)."""
    if target <= today:
        return 0
    months = (target.year - today.year) * 12 + (target.month - today.month)
    if add_months(today, months) > target:
        months -= 1
    return max(months, 0)


def required_monthly(remaining: Decimal, today: date, target_date: date | None) -> Decimal | None:
    """What to put in each month to finish on time: None without a deadline; all of it when due within a month."""
    if remaining <= 0:
        return ZERO
    if target_date is None:
        return None
    months = months_until(today, target_date)
    if months == 0:
        return remaining
    return (remaining / months).quantize(CENT, rounding=ROUND_CEILING)


def monthly_pace(
    movements: Iterable[tuple[date, Decimal]], today: date, since: date, window_months: int = 3
) -> Decimal:
    """Average net progress per month over the last `window_months` months, or since `since` when the goal is
    younger (counting at least one month, so a first deposit is not multiplied up)."""
    window_start = max(add_months(today, -window_months), since)
    total = sum((amount for day, amount in movements if window_start <= day <= today), ZERO)
    months = max(Decimal((today - window_start).days) / DAYS_PER_MONTH, Decimal(1))
    return (total / months).quantize(CENT, rounding=ROUND_HALF_UP)


def projected_completion(remaining: Decimal, pace: Decimal, today: date) -> date | None:
    """The day the goal is reached at `pace` per month (today when already reached; None when not progressing)."""
    if remaining <= 0:
        return today
    if pace <= 0:
        return None
    months = int((remaining / pace).to_integral_value(rounding=ROUND_CEILING))
    return add_months(today, months)


@dataclass(frozen=True)
class Projection:
    remaining: Decimal
    required_monthly: Decimal | None
    pace: Decimal
    projected_date: date | None
    target_date: date | None

    @property
    def status(self) -> str:
        """ "done", "on_track", "behind" or "no_deadline"."""
        if self.remaining <= 0:
            return "done"
        if self.target_date is None:
            return "no_deadline"
        if self.projected_date is not None and self.projected_date <= self.target_date:
            return "on_track"
        return "behind"

    @property
    def shortfall_per_month(self) -> Decimal:
        """How much more per month the deadline needs than the current pace."""
        if self.required_monthly is None:
            return ZERO
        return max(ZERO, self.required_monthly - self.pace)


def project(
    *, remaining: Decimal, target_date: date | None, movements: Iterable[tuple[date, Decimal]], today: date, since: date
) -> Projection:
    pace = monthly_pace(movements, today, since)
    return Projection(
        remaining=max(remaining, ZERO),
        required_monthly=required_monthly(remaining, today, target_date),
        pace=pace,
        projected_date=projected_completion(remaining, pace, today),
        target_date=target_date,
    )
