from datetime import timedelta
from decimal import Decimal

import pytest

from insights.rules import bill_reminder
from ml.models import RecurringSeries
from ml.tests.factories import RecurringSeriesFactory

from .coach_factories import account, txn

pytestmark = pytest.mark.django_db


def _bill(household, *, name, amount, due, **extra):
    return RecurringSeriesFactory(
        household=household,
        account=account(household, "Checking"),
        merchant=name,
        amount=Decimal(f"-{amount}"),
        next_amount=Decimal(f"-{amount}"),
        next_date=due,
        is_subscription=False,
        **extra,
    )


def test_bills_due_in_the_next_three_days_are_reminded(household, make_ctx, today):
    txn(household, today - timedelta(days=10), "3000.00", "INCOME_WAGES")
    rent = _bill(household, name="Rent", amount="1450.00", due=today + timedelta(days=2))

    [candidate] = bill_reminder.evaluate(make_ctx())

    assert candidate.kind == "bill_reminder"
    assert candidate.is_alert
    assert candidate.title == "Rent due Mar 20"
    assert candidate.message == "Rent of $1,450.00 is due on Fri, Mar 20 from Checking."
    assert candidate.dedupe_key == f"bill:{rent.pk}:2026-03-20"
    assert candidate.priority == 20


def test_a_bill_larger_than_the_balance_is_flagged(household, make_ctx, today):
    txn(household, today - timedelta(days=3), "900.00", "INCOME_WAGES")
    _bill(household, name="Rent", amount="1450.00", due=today)

    [candidate] = bill_reminder.evaluate(make_ctx())

    assert candidate.priority == 30
    assert candidate.title == "Rent due today"
    assert "Checking holds $900.00, $550.00 short." in candidate.message


def test_later_small_cancelled_and_income_series_are_not_reminded(household, make_ctx, today):
    _bill(household, name="Insurance", amount="120.00", due=today + timedelta(days=4))
    _bill(household, name="App", amount="4.99", due=today + timedelta(days=1))
    _bill(household, name="Old gym", amount="40.00", due=today + timedelta(days=1), user_cancelled=True)
    _bill(household, name="Magazine", amount="30.00", due=today, status=RecurringSeries.Status.POSSIBLY_CANCELLED)
    _bill(household, name="Salary", amount="3000.00", due=today, is_income=True)
    _bill(household, name="Past", amount="60.00", due=today - timedelta(days=1))

    assert bill_reminder.evaluate(make_ctx()) == []
