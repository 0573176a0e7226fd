"""Daily balance forecast with model choice by rolling-origin backtest on the household's own history.

Backtest: origins every `BACKTEST_STEP` days before `as_of` (up to `BACKTEST_ORIGINS`), each model fitted
on the history up to the origin and scored on the following `BACKTEST_HORIZON` days (mean absolute error
of the balance). The better of the cash-flow model and Prophet is chosen; naive is always scored as the
yardstick.

Prophet policy (speed): the cash-flow model takes milliseconds, Prophet about a second per household with
its backtests. With `prophet="auto"` (the nightly default) Prophet is fitted only when the cash-flow
model's backtest is poor - its MAE is above `PROPHET_TRIGGER` x the naive MAE, i.e. it barely beats
"nothing changes" - and it races: it is backtested from the latest origin first and dropped when it does worse
there than the cash-flow model (its MAE in `model_maes` then covers that origin only, and it is not chosen).
"always" (every origin, no race) and "never" force it.

Interval: the chosen model's backtest errors at horizon h, divided by sqrt(h), give empirical 10 % and 90 %
quantiles; the 80 % interval at horizon h is yhat + q * sqrt(h) (errors of a sum of daily surprises grow
like its square root), which also extends it beyond the backtest horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ml.forecasting.history import NO_MARKS, DailyHistory, SeriesMarks, SeriesSource, daily_history
from ml.forecasting.models import MODELS
from ml.frames import validate_transactions

HORIZONS = (30, 60, 90)
BACKTEST_HORIZON = 30
BACKTEST_ORIGINS = 3
BACKTEST_STEP = 30
MIN_TRAIN_DAYS = 90
MIN_HISTORY_DAYS = MIN_TRAIN_DAYS + BACKTEST_HORIZON  # less than this: "not enough data"
MIN_TRANSACTIONS = 30
PROPHET_TRIGGER = 0.8
INTERVAL_QUANTILES = (0.1, 0.9)
PROPHET_POLICIES = ("auto", "always", "never")


@dataclass(frozen=True)
class ForecastPoint:
    date: date
    yhat: float
    lower: float
    upper: float


@dataclass(frozen=True)
class ForecastResult:
    status: str  # ok | insufficient_data
    reason: str
    as_of: date
    horizon: int
    start_balance: float
    model: str | None = None  # cashflow | prophet
    backtest_mae: float | None = None
    model_maes: dict[str, float] = field(default_factory=dict)
    points: tuple[ForecastPoint, ...] = ()
    low_balance_threshold: float = 0.0
    low_balance_dates: tuple[date, ...] = ()  # expected balance below the threshold
    possible_low_balance_dates: tuple[date, ...] = ()  # lower bound below the threshold

    @property
    def enough_data(self) -> bool:
        return self.status == "ok"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: dates ISO, money as 2-decimal strings (for the BalanceForecast row)."""
        return {
            "status": self.status,
            "reason": self.reason,
            "as_of": self.as_of.isoformat(),
            "horizon": self.horizon,
            "start_balance": f"{self.start_balance:.2f}",
            "model": self.model,
            "backtest_mae": None if self.backtest_mae is None else round(self.backtest_mae, 2),
            "model_maes": {k: round(v, 2) for k, v in self.model_maes.items()},
            "points": [
                {
                    "date": p.date.isoformat(),
                    "yhat": f"{p.yhat:.2f}",
                    "lower": f"{p.lower:.2f}",
                    "upper": f"{p.upper:.2f}",
                }
                for p in self.points
            ],
            "low_balance_threshold": f"{self.low_balance_threshold:.2f}",
            "low_points": [
                {"date": p.date.isoformat(), "yhat": f"{p.yhat:.2f}"}
                for p in self.points
                if p.yhat < self.low_balance_threshold
            ],
            "possible_low_balance_dates": [d.isoformat() for d in self.possible_low_balance_dates],
        }


@dataclass(frozen=True)
class Backtest:
    mae: float
    errors: np.ndarray  # (origins, horizon): actual - predicted


def backtest_origins(history: DailyHistory) -> list[date]:
    """Origins with at least MIN_TRAIN_DAYS of history before and a full horizon after."""
    first, last = history.days[0].date(), history.as_of
    origins = []
    for k in range(1, BACKTEST_ORIGINS + 1):
        origin = last - timedelta(days=BACKTEST_HORIZON + (k - 1) * BACKTEST_STEP)
        if (origin - first).days + 1 >= MIN_TRAIN_DAYS:
            origins.append(origin)
    return origins


def _errors(history: DailyHistory, model: str, origins: list[date]) -> list[np.ndarray]:
    predict = MODELS[model]
    errors = []
    for origin in origins:
        actual = history.balances_between(origin, origin + timedelta(days=BACKTEST_HORIZON))
        predicted = predict(history.until(origin), BACKTEST_HORIZON)
        errors.append(actual - predicted[: len(actual)])
    return errors


def _scored(errors: list[np.ndarray]) -> Backtest:
    stacked = np.vstack(errors)
    return Backtest(float(np.mean(np.abs(stacked))), stacked)


def backtest(history: DailyHistory, model: str, origins: list[date]) -> Backtest:
    return _scored(_errors(history, model, origins))


def _raced_prophet(history: DailyHistory, origins: list[date], cashflow: Backtest) -> tuple[Backtest, bool]:
    """Prophet's backtest, stopped after the latest origin if it loses there to the cash-flow model; and whether it
    ran to the end."""
    latest = _errors(history, "prophet", origins[:1])
    if np.mean(np.abs(latest[0])) >= np.mean(np.abs(cashflow.errors[0])):
        return _scored(latest), False
    return _scored(latest + _errors(history, "prophet", origins[1:])), True


def _interval(errors: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    steps = np.arange(1, errors.shape[1] + 1)
    scaled = (errors / np.sqrt(steps)).ravel()
    low, high = np.quantile(scaled, INTERVAL_QUANTILES)
    root = np.sqrt(np.arange(1, horizon + 1))
    return low * root, high * root


def _insufficient(reason: str, as_of: date, horizon: int, balance: float, threshold: float) -> ForecastResult:
    return ForecastResult("insufficient_data", reason, as_of, horizon, balance, low_balance_threshold=threshold)


def forecast_balance(
    frame: pd.DataFrame,
    current_balance: float,
    *,
    as_of: date | None = None,
    horizon: int = 90,
    low_balance_threshold: float = 0.0,
    prophet: str = "auto",
    marks: SeriesMarks = NO_MARKS,
    series_source: SeriesSource | None = None,
) -> ForecastResult:
    """Forecast the daily balance of the accounts in `frame` (contract frame) for `horizon` days.

    `current_balance` is the balance at the end of `as_of` (default: the last transaction date). `marks` carries
    what the user said about recurring series (cancelled, not recurring), which the cash-flow model follows.
    `series_source` gives the recurring series known at a day (default: detected on `frame` up to that day); a
    household's forecasts share one (`history.shared_series`) so each backtest origin is detected once.
    """
    if horizon < 1 or horizon > 366:
        raise ValueError(f"horizon must be between 1 and 366 days, got {horizon}")
    if prophet not in PROPHET_POLICIES:
        raise ValueError(f"prophet policy must be one of {PROPHET_POLICIES}, got {prophet!r}")
    data = validate_transactions(frame)
    balance = float(current_balance)
    if data.empty:
        day = as_of or date.today()
        return _insufficient("no transactions", day, horizon, balance, low_balance_threshold)
    as_of = as_of or data["date"].max().date()
    history = daily_history(data, balance, as_of, marks, series_source)
    span = len(history.days)
    if span < MIN_HISTORY_DAYS or len(history.frame) < MIN_TRANSACTIONS:
        reason = (
            f"{span} days and {len(history.frame)} transactions of history; a forecast needs at least "
            f"{MIN_HISTORY_DAYS} days and {MIN_TRANSACTIONS} transactions"
        )
        return _insufficient(reason, as_of, horizon, balance, low_balance_threshold)

    origins = backtest_origins(history)
    results = {name: backtest(history, name, origins) for name in ("naive", "cashflow")}
    candidates = ["cashflow"]
    poor = results["cashflow"].mae > PROPHET_TRIGGER * results["naive"].mae
    if prophet == "always":
        results["prophet"] = backtest(history, "prophet", origins)
        candidates.append("prophet")
    elif prophet == "auto" and poor:
        results["prophet"], finished = _raced_prophet(history, origins, results["cashflow"])
        candidates += ["prophet"] if finished else []
    chosen = min(candidates, key=lambda name: results[name].mae)

    yhat = MODELS[chosen](history, horizon)
    low, high = _interval(results[chosen].errors, horizon)
    days = [as_of + timedelta(days=i) for i in range(1, horizon + 1)]
    points = tuple(
        ForecastPoint(d, round(float(y), 2), round(float(y + lo), 2), round(float(y + hi), 2))
        for d, y, lo, hi in zip(days, yhat, low, high, strict=True)
    )
    return ForecastResult(
        status="ok",
        reason="",
        as_of=as_of,
        horizon=horizon,
        start_balance=balance,
        model=chosen,
        backtest_mae=round(results[chosen].mae, 2),
        model_maes={name: round(r.mae, 2) for name, r in results.items()},
        points=points,
        low_balance_threshold=low_balance_threshold,
        low_balance_dates=tuple(p.date for p in points if p.yhat < low_balance_threshold),
        possible_low_balance_dates=tuple(p.date for p in points if p.lower < low_balance_threshold),
    )
