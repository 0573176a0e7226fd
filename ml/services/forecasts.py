"""Balance forecasts: 90 days ahead (so 30/60/90) for each cash account and for the household, by the pure
forecaster (`ml.forecasting`, which picks its model per household by backtest), stored as BalanceForecast.

The database side is bulk: per chunk of households, one query for the transactions, one for the accounts, one for
the user's marks on recurring series, and a handful of bulk writes, whatever the number of households.

The user's word is followed: a series they cancelled is not projected after its last charge, one they said is not
a subscription is not projected at all (its charges count as ordinary spending).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ml.forecasting import SeriesMarks, forecast_balance
from ml.forecasting.history import for_account, shared_series
from ml.models import BalanceForecast, ModelRun, RecurringSeries
from transactions.models import FinancialAccount

from .reading import chunks, households_to_run, transaction_frames
from .runs import model_run

HORIZON_DAYS = 90
LOW_BALANCE_THRESHOLD = 0.0
# Accounts forecast one by one; the household total also counts card debt (what is really available).
CASH_KINDS = (FinancialAccount.Kind.CHECKING, FinancialAccount.Kind.SAVINGS, FinancialAccount.Kind.CASH)
TOTAL_KINDS = (*CASH_KINDS, FinancialAccount.Kind.CREDIT_CARD)
KEEP_HISTORY_DAYS = 14  # superseded forecasts kept this long (the coach compares), then deleted


@dataclass
class ForecastTally:
    households: int = 0
    forecasts: int = 0
    not_enough_data: int = 0
    low_balance_ahead: int = 0
    by_model: dict[str, int] = field(default_factory=dict)
    mae: dict[str, list[float]] = field(default_factory=dict)  # per model, for the run's averages

    def count(self, result) -> None:
        self.forecasts += 1
        if not result.enough_data:
            self.not_enough_data += 1
            return
        self.by_model[result.model] = self.by_model.get(result.model, 0) + 1
        self.low_balance_ahead += bool(result.low_balance_dates)
        for name, value in result.model_maes.items():
            self.mae.setdefault(name, []).append(value)
        self.mae.setdefault("chosen", []).append(result.backtest_mae)

    def summary(self) -> dict:
        figures = {k: v for k, v in vars(self).items() if k != "mae"}
        figures["mean_backtest_mae"] = {name: round(sum(v) / len(v), 2) for name, v in sorted(self.mae.items())}
        return figures


@dataclass(frozen=True)
class _Account:
    pk: int
    household_id: int
    kind: str
    opening_balance: Decimal
    opening_date: dt.date | None
    reported_balance: Decimal | None


def _accounts(ids: Sequence[int]) -> dict[int, list[_Account]]:
    by_household: dict[int, list[_Account]] = {}
    rows = FinancialAccount.objects.filter(household_id__in=ids, is_active=True, kind__in=TOTAL_KINDS).values_list(
        "pk", "household_id", "kind", "opening_balance", "opening_date", "reported_balance"
    )
    for row in rows:
        account = _Account(*row)
        by_household.setdefault(account.household_id, []).append(account)
    return by_household


def _marks(ids: Sequence[int]) -> dict[int, SeriesMarks]:
    """The user's marks on the recurring series of the households `ids` (one query)."""
    rejected: dict[int, set] = {}
    cancelled: dict[int, dict] = {}
    rows = RecurringSeries.objects.filter(household_id__in=ids).filter(
        Q(user_marked_not_subscription=True) | Q(user_cancelled=True) | Q(status=RecurringSeries.Status.CANCELLED)
    )
    for household_id, merchant, cadence, is_income, not_subscription, last_date in rows.values_list(
        "household_id", "merchant", "cadence", "is_income", "user_marked_not_subscription", "last_date"
    ):
        key = (merchant, cadence, is_income)
        if not_subscription:
            rejected.setdefault(household_id, set()).add(key)
        else:
            cancelled.setdefault(household_id, {})[key] = last_date
    return {
        hid: SeriesMarks(frozenset(rejected.get(hid, ())), cancelled.get(hid, {})) for hid in {*rejected, *cancelled}
    }


def _balance(account: _Account, rows: pd.DataFrame) -> float:
    """What the account holds now: the bank's figure when synced, else opening balance + posted transactions since
    the opening date (as `transactions.selectors.accounts` defines it)."""
    if account.reported_balance is not None:
        return float(account.reported_balance)
    if account.opening_date is not None:
        rows = rows[rows["date"] >= pd.Timestamp(account.opening_date)]
    return float(account.opening_balance) + float(rows["amount"].sum())


def _row(household_id: int, account_id: int | None, result) -> BalanceForecast:
    data = result.as_dict()
    return BalanceForecast(
        household_id=household_id,
        account_id=account_id,
        model_name=result.model or "",
        backtest_mae=result.backtest_mae,
        model_maes=data["model_maes"],
        horizon_days=result.horizon,
        start_balance=Decimal(data["start_balance"]),
        points=data["points"],
        low_balance_threshold=Decimal(data["low_balance_threshold"]),
        low_points=data["low_points"],
        enough_data=result.enough_data,
        reason=result.reason[:200],
    )


def _household_forecasts(
    household_id: int,
    frame: pd.DataFrame,
    accounts: list[_Account],
    marks: SeriesMarks,
    as_of: dt.date,
    tally: ForecastTally,
) -> list[BalanceForecast]:
    options = {"as_of": as_of, "horizon": HORIZON_DAYS, "low_balance_threshold": LOW_BALANCE_THRESHOLD, "marks": marks}
    together = frame[frame["account_id"].isin([a.pk for a in accounts])]
    # Series are detected on the household's transactions, once per backtest origin; an account's forecast
    # projects the ones paid into or from it.
    series = shared_series(together)
    rows, total = [], 0.0
    for account in accounts:
        own = frame[frame["account_id"] == account.pk]
        balance = _balance(account, own)
        total += balance
        if account.kind in CASH_KINDS:
            result = forecast_balance(own, balance, series_source=for_account(series, account.pk), **options)
            tally.count(result)
            rows.append(_row(household_id, account.pk, result))
    if accounts:
        result = forecast_balance(together, total, series_source=series, **options)
        tally.count(result)
        rows.insert(0, _row(household_id, None, result))
    return rows


def balance_forecasts_refresh(household_ids: Iterable[int] | None = None, *, as_of: dt.date | None = None) -> dict:
    """Forecast every household's balances (all households when None) from `as_of` (default today); the new
    forecasts become current and superseded ones are kept `KEEP_HISTORY_DAYS`. Records a ModelRun."""
    ids = households_to_run(household_ids)
    as_of = as_of or timezone.localdate()
    tally = ForecastTally(households=len(ids))
    with model_run(ModelRun.Kind.FORECAST) as run:
        for chunk in chunks(ids):
            # Transfers stay in: money moved between accounts changes each account's balance.
            frames = transaction_frames(chunk, include_transfers=True)
            accounts, marks = _accounts(chunk), _marks(chunk)
            rows = [
                row
                for household_id in chunk
                for row in _household_forecasts(
                    household_id,
                    frames[household_id],
                    accounts.get(household_id, []),
                    marks.get(household_id, SeriesMarks()),
                    as_of,
                    tally,
                )
            ]
            _store(chunk, rows)
        run.households = len(ids)
        run.metrics.update(tally.summary())
    return {"run_id": run.run.pk, **tally.summary()}


@transaction.atomic
def _store(chunk: list[int], rows: list[BalanceForecast]) -> None:
    current = BalanceForecast.objects.filter(household_id__in=chunk, is_current=True)
    current.update(is_current=False)
    cutoff = timezone.now() - dt.timedelta(days=KEEP_HISTORY_DAYS)
    BalanceForecast.objects.filter(household_id__in=chunk, is_current=False, created_at__lt=cutoff).delete()
    BalanceForecast.objects.bulk_create(rows, batch_size=500)
