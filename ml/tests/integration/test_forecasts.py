"""Balance forecasts: stored per account and for the household, honest without enough history, bulk on the DB."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import HouseholdFactory
from ml.models import BalanceForecast, ModelRun
from ml.selectors import current_forecasts, horizon_points
from ml.services.forecasts import balance_forecasts_refresh
from ml.tests.factories import BalanceForecastFactory, synthetic_household_in_db
from transactions.models import FinancialAccount
from transactions.tests.factories import TransactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic(household):
    return synthetic_household_in_db(household, seed=3, months=12)


def test_forecasts_per_account_and_for_the_household(household, synthetic):
    summary = balance_forecasts_refresh([household.pk], as_of=synthetic.end)

    total, *accounts = current_forecasts(household=household)
    assert total.account is None and [f.account.kind for f in accounts] == ["checking", "savings"]
    checking, savings = accounts
    assert checking.start_balance == synthetic.balance("checking", synthetic.end)
    assert total.start_balance == sum(
        synthetic.balance(k, synthetic.end) for k in ("checking", "savings", "credit_card")
    )
    assert checking.enough_data and len(checking.points) == 90
    assert checking.points[0]["date"] == (synthetic.end + dt.timedelta(days=1)).isoformat()
    assert all(Decimal(p["lower"]) <= Decimal(p["yhat"]) <= Decimal(p["upper"]) for p in checking.points)
    assert {"naive", "cashflow"} <= set(checking.model_maes)
    assert checking.backtest_mae == checking.model_maes[checking.model_name]
    # savings move a dozen times a year: honestly too little to forecast
    assert not savings.enough_data and "a forecast needs at least" in savings.reason and savings.points == []
    assert summary["forecasts"] == 3 and summary["not_enough_data"] == 1
    assert ModelRun.objects.get(pk=summary["run_id"]).metrics["by_model"] == summary["by_model"]


def test_horizon_points(household, synthetic):
    balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    total = current_forecasts(household=household)[0]
    points = horizon_points(total)
    assert [p["days"] for p in points] == [30, 60, 90]
    assert points[0]["date"] == (synthetic.end + dt.timedelta(days=30)).isoformat()


def test_a_low_balance_ahead_is_found(household, synthetic):
    FinancialAccount.objects.filter(household=household, kind="checking").update(reported_balance=Decimal("150.00"))
    summary = balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    checking = BalanceForecast.objects.get(household=household, account__kind="checking", is_current=True)
    assert checking.start_balance == Decimal("150.00")
    assert checking.low_points and all(Decimal(p["yhat"]) < 0 for p in checking.low_points)
    assert summary["low_balance_ahead"] >= 1


def test_a_rerun_replaces_the_current_forecasts(household, synthetic):
    stale = BalanceForecastFactory(household=household, is_current=False)
    BalanceForecast.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    assert BalanceForecast.objects.filter(household=household, is_current=True).count() == 3
    assert BalanceForecast.objects.filter(household=household, is_current=False).count() == 3
    assert not BalanceForecast.objects.filter(pk=stale.pk).exists()


def test_little_history_is_reported_not_guessed(household):
    TransactionFactory(household=household, amount=Decimal("-20.00"), date=dt.date(2025, 5, 2))
    balance_forecasts_refresh([household.pk], as_of=dt.date(2025, 5, 31))
    (total, checking) = current_forecasts(household=household)
    assert not total.enough_data and not checking.enough_data
    assert checking.model_name == "" and checking.start_balance == Decimal("-20.00")


def test_a_household_without_accounts_gets_nothing(household):
    assert balance_forecasts_refresh([household.pk])["forecasts"] == 0


def test_query_count_does_not_grow_with_households(household, synthetic):
    def queries(ids) -> int:
        with CaptureQueriesContext(connection) as context:
            balance_forecasts_refresh(ids, as_of=synthetic.end)
        return len(context)

    one = queries([household.pk])
    others = [HouseholdFactory() for _ in range(3)]
    for i, other in enumerate(others):
        synthetic_household_in_db(other, seed=40 + i, months=6, descriptors=False)
    assert queries([household.pk, *(h.pk for h in others)]) == one


def test_command_json(household, synthetic):
    out = io.StringIO()
    call_command(
        "forecast_balances",
        "--household",
        str(household.pk),
        "--as-of",
        synthetic.end.isoformat(),
        "--json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert (summary["households"], summary["forecasts"]) == (1, 3)
    assert set(summary["mean_backtest_mae"]) >= {"chosen", "naive", "cashflow"}
    with pytest.raises(CommandError, match="not a date"):
        call_command("forecast_balances", "--as-of", "31/12/2024")


def test_the_forecast_follows_the_users_marks_on_recurring_series(household, synthetic):
    from ml.models import RecurringSeries
    from ml.services import recurring_series_mark_cancelled, recurring_series_mark_not_subscription
    from ml.services.recurring import recurring_detect

    recurring_detect([household.pk])
    balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    before = Decimal(BalanceForecast.objects.get(household=household, account=None, is_current=True).points[-1]["yhat"])
    bills = RecurringSeries.objects.filter(
        household=household,
        is_income=False,
        cadence="monthly",
        status="active",
        last_date__gte=synthetic.end - dt.timedelta(days=35),
    ).order_by("amount")
    biggest, other = bills[0], bills[1]
    recurring_series_mark_cancelled(household, biggest)
    balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    cancelled = Decimal(
        BalanceForecast.objects.get(household=household, account=None, is_current=True).points[-1]["yhat"]
    )
    # Three monthly charges no longer expected over 90 days.
    assert float(cancelled - before) == pytest.approx(-3 * float(biggest.amount), rel=0.2)
    recurring_series_mark_not_subscription(household, other)
    balance_forecasts_refresh([household.pk], as_of=synthetic.end)
    total = BalanceForecast.objects.get(household=household, account=None, is_current=True)
    assert Decimal(total.points[-1]["yhat"]) != cancelled
