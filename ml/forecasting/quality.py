"""Forecast quality on synthetic households: hold out the last days, forecast them, compare.

Every model forecasts the held-out window from the same history; the chosen model is whatever
`forecast_balance` picks from its own backtests on that history (it never sees the held-out days).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np

from ml.forecasting.forecast import forecast_balance
from ml.forecasting.history import daily_history
from ml.forecasting.models import MODELS
from ml.frames import validate_transactions

if TYPE_CHECKING:
    from ml.synthetic import SyntheticHousehold


def holdout_errors(household: SyntheticHousehold, horizon: int = 30, prophet: str = "always") -> dict[str, object]:
    """MAE of each model and of the chosen forecast on the last `horizon` days of one household's checking."""
    frame = validate_transactions(household.frame(("checking",)))
    end = household.end
    as_of = end - timedelta(days=horizon)
    balance_then = float(household.balance("checking", as_of))
    full = daily_history(frame, float(household.balance("checking", end)), end)
    actual = full.balances_between(as_of, end)
    history = full.until(as_of)
    result = forecast_balance(frame, balance_then, as_of=as_of, horizon=horizon, prophet=prophet)
    if not result.enough_data:
        return {"status": result.status}
    maes = {
        name: float(np.mean(np.abs(actual - MODELS[name](history, horizon))))
        for name in MODELS
        if name != "prophet" or "prophet" in result.model_maes
    }
    chosen = np.array([p.yhat for p in result.points])
    lower = np.array([p.lower for p in result.points])
    upper = np.array([p.upper for p in result.points])
    maes["chosen"] = float(np.mean(np.abs(actual - chosen)))
    return {
        "status": "ok",
        "model": result.model,
        "mae": maes,
        "coverage": float(np.mean((actual >= lower) & (actual <= upper))),
    }


def forecast_quality(n_households: int = 20, seed: int = 0, months: int = 12, horizon: int = 30) -> dict[str, object]:
    """Mean 30-day MAE of naive, cash-flow, Prophet and the chosen forecast over synthetic households."""
    from ml.synthetic import generate_household  # local import: synthetic data is for evaluation only

    maes: dict[str, list[float]] = {}
    chosen: Counter[str] = Counter()
    coverage = []
    for i in range(n_households):
        household = generate_household(seed * 1000 + 500 + i, months=months, descriptors=False)
        result = holdout_errors(household, horizon)
        if result["status"] != "ok":
            continue
        chosen[result["model"]] += 1
        coverage.append(result["coverage"])
        for name, value in result["mae"].items():
            maes.setdefault(name, []).append(value)
    mean = {name: round(float(np.mean(values)), 2) for name, values in maes.items()}
    return {
        "households": len(coverage),
        "horizon_days": horizon,
        "mae": mean,
        "chosen_beats_prophet": mean.get("chosen", np.inf) < mean.get("prophet", np.inf),
        "chosen_beats_naive": mean.get("chosen", np.inf) < mean.get("naive", np.inf),
        "chosen_models": dict(chosen),
        "interval_80_coverage": round(float(np.mean(coverage)), 4) if coverage else None,
    }
