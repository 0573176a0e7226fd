"""Proposed budget amounts from a category's trailing monthly spending: the median month, after setting aside
one-off spikes (a month far from the others, judged by the median absolute deviation)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal

# 1.4826 × MAD estimates a standard deviation for normal data; 3 of those is a conventional outlier fence.
_MAD_SCALE = Decimal("1.4826")
_FENCE = Decimal("3")


def median(values: Sequence[Decimal]) -> Decimal:
    if not values:
        raise ValueError("the median of nothing is undefined")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def without_outliers(values: Sequence[Decimal]) -> list[Decimal]:
    """The values whose distance from the median is within 3 scaled median absolute deviations. When most
    values are identical (a deviation of 0), anything different is an outlier."""
    centre = median(values)
    spread = median([abs(v - centre) for v in values]) * _MAD_SCALE
    return [v for v in values if abs(v - centre) <= _FENCE * spread]


def round_up_budget(amount: Decimal) -> Decimal:
    """A friendly amount just above `amount`: to the next 5 below 100, the next 10 from 100, the next 50 from 1000."""
    step = Decimal("5") if amount < 100 else Decimal("10") if amount < 1000 else Decimal("50")
    return ((amount / step).to_integral_value(rounding=ROUND_CEILING) * step).quantize(Decimal("0.01"))


def suggest_monthly_amount(
    monthly_spent: Sequence[Decimal], min_share_of_months: Decimal = Decimal("0.5")
) -> Decimal | None:
    """A monthly budget from one category's spending per month (one value per month, zeros included).

    None when the category was spent on in fewer than half of the months (a one-off, not a habit) or nothing
    was spent overall.
    """
    if not monthly_spent:
        return None
    active_months = sum(1 for v in monthly_spent if v > 0)
    if active_months < len(monthly_spent) * min_share_of_months:
        return None
    typical = median(without_outliers(monthly_spent))
    if typical <= 0:
        return None
    return round_up_budget(typical)
