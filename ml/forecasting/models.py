"""The three balance models. Each maps a history to `horizon` daily balance predictions after its last day.

- `naive`: tomorrow looks like today (the balance stays where it is).
- `cashflow`: the known future - active recurring series (salary, rent, bills, subscriptions) projected on
  their cadence - plus the household's usual non-recurring spending for each day of the week.
- `prophet`: Prophet on the daily balance with weekly and monthly seasonality (no yearly: one year of
  history cannot separate it from trend). Intervals come from backtest residuals, as for the others, so
  Prophet's uncertainty sampling (slow, and seeded through global numpy state) is off.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ml.forecasting.history import DailyHistory, SeriesKey
from ml.recurring import BY_NAME, RecurringSeries, semimonthly_dates

BASELINE_DAYS = 91  # the non-recurring "usual" is learnt from the last 13 weeks
# Daily non-recurring flows are clipped to these quantiles before averaging: a rare large purchase is real,
# but spreading its average over every future day moves the typical path away from what usually happens.
BASELINE_CLIP = (0.02, 0.98)
PROPHET_HISTORY_DAYS = 365

Model = Callable[[DailyHistory, int], np.ndarray]


def naive(history: DailyHistory, horizon: int) -> np.ndarray:
    """The last balance, flat."""
    return np.full(horizon, history.last_balance)


def _add_months(day: date, months: int, anchor_day: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def series_occurrences(series: RecurringSeries, start: date, end: date) -> list[date]:
    """Expected dates of an active series strictly after `start`, up to `end`.

    A charge that is due but has not arrived yet (still within the cadence's tolerance) is expected
    tomorrow - once: earlier expected dates that passed are not charged twice.
    """
    cadence = BY_NAME[series.cadence]
    first = series.next_date
    if series.anchor_days:  # twice a month: on its two days
        due = [first, *semimonthly_dates(series.anchor_days, first, end)]
        ahead = [d for d in due if start < d <= end]
        return ahead if due[0] > start else [start + timedelta(days=1), *ahead]
    # A series due on the last day of a month stays on month ends (28 February, then 31 March).
    anchor = 31 if first.day == calendar.monthrange(first.year, first.month)[1] else first.day
    out: list[date] = []
    step = 0
    while True:
        if cadence.months:
            when = _add_months(first, cadence.months * step, anchor)
        else:
            when = first + timedelta(days=round(cadence.days) * step)
        if when > end:
            return out
        if when > start:
            out.append(when)
        elif not out:
            out.append(start + timedelta(days=1))
        step += 1


def _key(series: RecurringSeries) -> SeriesKey:
    return (series.merchant[:200], series.cadence, series.is_income)


def recurring_flows(history: DailyHistory, horizon: int) -> tuple[np.ndarray, set[int]]:
    """Projected daily flows of the active recurring series, and the ids of their past transactions.

    The series are those known at the history's last day (`DailyHistory.known_series`). The user's marks apply: a
    series they said is not recurring is neither projected nor set apart from ordinary spending; one they cancelled
    is not projected after its last charge.
    """
    start = history.as_of
    end = start + timedelta(days=horizon)
    flows = np.zeros(horizon)
    ids: set[int] = set()
    marks = history.marks
    for series in history.known_series():
        key = _key(series)
        if key in marks.not_recurring:
            continue
        ids.update(series.txn_ids)
        cancelled_after = marks.cancelled.get(key)
        if series.status != "active" or (cancelled_after is not None and start >= cancelled_after):
            continue
        amount = float(series.next_amount)
        for when in series_occurrences(series, start, end):
            flows[(when - start).days - 1] += amount
    return flows, ids


def baseline_flows(history: DailyHistory, horizon: int, recurring_ids: set[int]) -> np.ndarray:
    """Usual non-recurring net flow per future day, by day of week, from the last BASELINE_DAYS days."""
    frame = history.frame
    recurring = frame["txn_id"].isin(recurring_ids).to_numpy()
    day_index = (frame["date"].to_numpy()[recurring] - history.days[0].to_datetime64()) // np.timedelta64(1, "D")
    recurring_per_day = np.bincount(
        day_index.astype(np.int64), weights=frame["amount"].to_numpy()[recurring], minlength=len(history.days)
    )
    daily = (history.flow - recurring_per_day)[-BASELINE_DAYS:]
    weekdays = history.days.day_of_week.to_numpy()[-BASELINE_DAYS:]
    if len(daily) >= 14:
        daily = np.clip(daily, *np.quantile(daily, BASELINE_CLIP))
    counts = np.bincount(weekdays, minlength=7)
    sums = np.bincount(weekdays, weights=daily, minlength=7)
    by_weekday = np.where(counts > 0, sums / np.maximum(counts, 1), daily.mean())
    first_future = (weekdays[-1] + 1) % 7
    return by_weekday[(first_future + np.arange(horizon)) % 7]


def cashflow(history: DailyHistory, horizon: int) -> np.ndarray:
    """Last balance + projected recurring flows + usual day-of-week spending."""
    recurring, ids = recurring_flows(history, horizon)
    return history.last_balance + np.cumsum(recurring + baseline_flows(history, horizon, ids))


def prophet(history: DailyHistory, horizon: int) -> np.ndarray:
    """Prophet on the daily balance (last PROPHET_HISTORY_DAYS days)."""
    from prophet import Prophet  # imported lazily: slow to import, and only some households need it

    for name in ("cmdstanpy", "prophet"):
        logging.getLogger(name).setLevel(logging.ERROR)
    keep = min(len(history.days), PROPHET_HISTORY_DAYS)
    data = pd.DataFrame({"ds": history.days[-keep:], "y": history.balance[-keep:]})
    model = Prophet(weekly_seasonality=True, yearly_seasonality=False, daily_seasonality=False, uncertainty_samples=0)
    model.add_seasonality(name="monthly", period=30.5, fourier_order=5)
    model.fit(data)
    future = pd.DataFrame({"ds": pd.date_range(history.days[-1] + pd.Timedelta(days=1), periods=horizon)})
    return model.predict(future)["yhat"].to_numpy()


MODELS: dict[str, Model] = {"naive": naive, "cashflow": cashflow, "prophet": prophet}
