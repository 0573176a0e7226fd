"""Nightly balance forecasts for 1,000 households on 2 worker processes, and their 30-day accuracy.

Run: .venv/bin/python bench/ml_forecast.py [--households 1000] [--workers 2] [--accuracy 60]
1. Throughput: 90-day forecasts (backtests + model choice, Prophet policy "auto") for every household's
   checking account, 12 months of history each. Generating the households is not timed.
2. Accuracy: for `--accuracy` other households, the last 30 days are held out and forecast by naive,
   cash-flow, Prophet and the chosen model (Prophet forced so all are comparable); mean MAE is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from joblib import Parallel, delayed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml.forecasting import forecast_balance
from ml.forecasting.quality import forecast_quality
from ml.synthetic import generate_household


def _household_input(seed: int) -> tuple[object, float]:
    household = generate_household(seed, months=12, descriptors=False)
    return household.frame(("checking",)), float(household.balance("checking", household.end))


def _forecast(frame: object, balance: float) -> tuple[str | None, bool]:
    result = forecast_balance(frame, balance, horizon=90, prophet="auto")
    return result.model, "prophet" in result.model_maes


def _forecast_chunk(items: list[tuple[object, float]]) -> list[tuple[str | None, bool]]:
    return [_forecast(frame, balance) for frame, balance in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--accuracy", type=int, default=60, help="households for the hold-out accuracy check")
    args = parser.parse_args()

    started = time.perf_counter()
    inputs = [_household_input(10_000 + i) for i in range(args.households)]
    print(
        f"generate       {args.households:,} households (12 months) in {time.perf_counter() - started:.1f} s "
        "(not part of the timing below)"
    )

    chunks = [inputs[i :: args.workers * 4] for i in range(args.workers * 4)]
    started = time.perf_counter()
    outcomes = [o for part in Parallel(n_jobs=args.workers)(delayed(_forecast_chunk)(c) for c in chunks) for o in part]
    seconds = time.perf_counter() - started
    chosen = Counter(model for model, _ in outcomes)
    prophet_runs = sum(ran for _, ran in outcomes)
    print(
        f"forecast       {args.households:,} households x 90 days on {args.workers} processes: {seconds:.1f} s "
        f"({seconds / args.households * 1000:.0f} ms per household per {args.workers} workers)"
    )
    print(f"models         chosen {dict(chosen)}; Prophet fitted for {prophet_runs} households (policy auto)")

    started = time.perf_counter()
    quality = forecast_quality(args.accuracy, seed=7)
    print(
        f"accuracy       {quality['households']} households, last 30 days held out "
        f"({time.perf_counter() - started:.0f} s): mean MAE "
        + ", ".join(f"{k} {v:,.0f}" for k, v in quality["mae"].items())
    )
    print(
        f"               chosen beats Prophet: {quality['chosen_beats_prophet']}, beats naive: "
        f"{quality['chosen_beats_naive']}; 80 % interval coverage {quality['interval_80_coverage']:.0%}"
    )


if __name__ == "__main__":
    main()
