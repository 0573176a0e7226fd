"""A household's (or one account's) daily history: net flow per day and the end-of-day balance."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ml.recurring import RecurringSeries, detect_in_validated

SeriesKey = tuple[str, str, bool]  # (merchant, cadence, is_income), as the stored RecurringSeries are keyed
# The recurring series known at the end of a day, from the transactions up to that day only.
SeriesSource = Callable[[date], list[RecurringSeries]]


def shared_series(frame: pd.DataFrame) -> SeriesSource:
    """Detection on a household's validated frame, once per day asked: its accounts' forecasts and its own backtest
    from the same origins, so each origin's series are detected once for all of them (see `for_account`)."""
    known: dict[date, list[RecurringSeries]] = {}

    def at(day: date) -> list[RecurringSeries]:
        if day not in known:
            known[day] = detect_in_validated(frame, day)
        return known[day]

    return at


def for_account(source: SeriesSource, account_id: int) -> SeriesSource:
    """The household's series that are paid into or from one account."""
    return lambda day: [s for s in source(day) if s.account_id == account_id]


@dataclass(frozen=True)
class SeriesMarks:
    """The user's word on recurring series, which the cash-flow model follows.

    - `not_recurring`: "not a subscription" - never projected; its charges count as ordinary spending.
    - `cancelled`: key -> the series' last charge. Not projected from any later origin (before it, the series was
      still charging, so a backtest from then rightly expects it).
    """

    not_recurring: frozenset[SeriesKey] = frozenset()
    cancelled: Mapping[SeriesKey, date] = field(default_factory=dict)


@dataclass(frozen=True)
class DailyHistory:
    """Daily net flows and balances from the first transaction day to `as_of` (inclusive)."""

    frame: pd.DataFrame  # the transactions up to as_of (contract frame)
    days: pd.DatetimeIndex
    flow: np.ndarray  # net amount per day
    balance: np.ndarray  # end-of-day balance
    marks: SeriesMarks = field(default_factory=SeriesMarks)
    series_source: SeriesSource | None = None  # None: detect on `frame` itself

    @property
    def as_of(self) -> date:
        return self.days[-1].date()

    @property
    def last_balance(self) -> float:
        return float(self.balance[-1])

    def until(self, origin: date) -> DailyHistory:
        """The history as it was known at the end of `origin`."""
        cut = int(np.searchsorted(self.days, pd.Timestamp(origin), side="right"))
        frame = self.frame[self.frame["date"] <= pd.Timestamp(origin)]
        return DailyHistory(frame, self.days[:cut], self.flow[:cut], self.balance[:cut], self.marks, self.series_source)

    def known_series(self) -> list[RecurringSeries]:
        """The recurring series as known at the end of the history (never from later transactions)."""
        if self.series_source is not None:
            return self.series_source(self.as_of)
        return detect_in_validated(self.frame, self.as_of)

    def balances_between(self, start: date, end: date) -> np.ndarray:
        """End-of-day balances for the days after `start` up to `end` (for scoring a forecast)."""
        mask = (self.days > pd.Timestamp(start)) & (self.days <= pd.Timestamp(end))
        return self.balance[mask]


NO_MARKS = SeriesMarks()


def daily_history(
    frame: pd.DataFrame,
    current_balance: float,
    as_of: date,
    marks: SeriesMarks = NO_MARKS,
    series_source: SeriesSource | None = None,
) -> DailyHistory:
    """Build the daily history of a validated frame whose balance at the end of `as_of` is `current_balance`.

    Balances are reconstructed backwards: the balance on day t is the current balance minus every flow
    after t. Transactions after `as_of` are ignored.
    """
    frame = frame[frame["date"] <= pd.Timestamp(as_of)]
    start = frame["date"].min() if not frame.empty else pd.Timestamp(as_of)
    days = pd.date_range(start, pd.Timestamp(as_of), freq="D")
    flow = frame.groupby("date")["amount"].sum().reindex(days, fill_value=0.0).to_numpy(dtype=float)
    after = np.concatenate((np.cumsum(flow[::-1])[::-1][1:], [0.0]))  # flows strictly after each day
    balance = current_balance - after
    return DailyHistory(frame, days, flow, balance, marks, series_source)
