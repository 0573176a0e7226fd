"""A household's (or one account's) daily history: net flow per day and the end-of-day balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DailyHistory:
    """Daily net flows and balances from the first transaction day to `as_of` (inclusive)."""

    frame: pd.DataFrame  # the transactions up to as_of (contract frame)
    days: pd.DatetimeIndex
    flow: np.ndarray  # net amount per day
    balance: np.ndarray  # end-of-day balance

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
        return DailyHistory(frame, self.days[:cut], self.flow[:cut], self.balance[:cut])

    def balances_between(self, start: date, end: date) -> np.ndarray:
        """End-of-day balances for the days after `start` up to `end` (for scoring a forecast)."""
        mask = (self.days > pd.Timestamp(start)) & (self.days <= pd.Timestamp(end))
        return self.balance[mask]


def daily_history(frame: pd.DataFrame, current_balance: float, as_of: date) -> DailyHistory:
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
    return DailyHistory(frame, days, flow, balance)
