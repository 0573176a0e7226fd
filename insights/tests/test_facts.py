"""One definition of spending and income for the whole coach."""

from datetime import date
from decimal import Decimal

import pytest

from insights.facts import cashflow
from insights.facts.balances import account_balances, net_worth
from insights.facts.periods import Period, add_months, week_containing
from transactions.tests.factories import TransactionSplitFactory, system_category

from .coach_factories import account, txn

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def test_spending_nets_refunds_and_leaves_out_transfers_excluded_rows_and_income(household):
    txn(household, date(2026, 3, 2), "-100.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 3, 3), "20.00", "FOOD_AND_DRINK_GROCERIES")  # refund
    txn(household, date(2026, 3, 4), "-500.00", "TRANSFER_OUT_SAVINGS")
    txn(household, date(2026, 3, 5), "-70.00", "ENTERTAINMENT", excluded=True)
    txn(household, date(2026, 3, 6), "3000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 7), "-15.00")  # uncategorised money out counts
    txn(household, date(2026, 3, 8), "900.00")  # uncategorised money in does not
    txn(household, date(2026, 4, 1), "-999.00", "TRAVEL")  # another month
    out = txn(household, date(2026, 3, 9), "-250.00", description="to my savings")
    back = txn(household, date(2026, 3, 9), "250.00", account_name="Savings", description="from checking")
    out.transfer_pair = back
    out.save()

    assert cashflow.spending_total(household, MARCH) == Decimal("95.00")
    assert cashflow.income_total(household, MARCH) == Decimal("3000.00")
    assert [(c.code, c.amount) for c in cashflow.spending_by_category(household, MARCH)] == [
        ("FOOD_AND_DRINK", Decimal("80.00")),
        ("UNCATEGORISED", Decimal("15.00")),
    ]


def test_split_transactions_count_in_their_splits_categories(household):
    shop = txn(household, date(2026, 3, 2), "-100.00", "GENERAL_MERCHANDISE")
    TransactionSplitFactory(
        household=household,
        transaction=shop,
        category=system_category("FOOD_AND_DRINK_GROCERIES"),
        amount=Decimal("-60.00"),
    )
    TransactionSplitFactory(
        household=household,
        transaction=shop,
        category=system_category("TRANSFER_OUT_SAVINGS"),
        amount=Decimal("-40.00"),
    )

    assert cashflow.spending_total(household, MARCH) == Decimal("60.00")
    assert [(c.code, c.amount) for c in cashflow.spending_by_category(household, MARCH)] == [
        ("FOOD_AND_DRINK", Decimal("60.00"))
    ]
    assert cashflow.spending_in_codes(household, MARCH, {"FOOD_AND_DRINK_GROCERIES"}) == Decimal("60.00")


def test_monthly_flows_cover_every_month_including_quiet_ones(household):
    txn(household, date(2026, 1, 5), "2000.00", "INCOME_WAGES")
    txn(household, date(2026, 1, 6), "-500.00", "RENT_AND_UTILITIES_RENT")
    txn(household, date(2026, 3, 6), "-50.00", "ENTERTAINMENT")

    flows = cashflow.monthly_flows(household, Period(date(2026, 1, 1), date(2026, 3, 31)))

    assert [(f.month, f.income, f.spending) for f in flows] == [
        (date(2026, 1, 1), Decimal("2000.00"), Decimal("500.00")),
        (date(2026, 2, 1), Decimal("0"), Decimal("0")),
        (date(2026, 3, 1), Decimal("0.00"), Decimal("50.00")),
    ]
    assert flows[0].savings_rate == Decimal("75.0")
    assert flows[1].savings_rate is None


def test_balances_and_net_worth(household):
    account(household, "Checking", opening_balance=Decimal("100.00"))
    account(household, "Card", kind="credit_card")
    account(household, "Savings", kind="savings", reported_balance=Decimal("5000.00"))
    txn(household, date(2026, 3, 1), "-40.00", "ENTERTAINMENT")
    txn(household, date(2026, 3, 1), "-300.00", "TRAVEL", account_name="Card")

    balances = {b.name: b.balance for b in account_balances(household)}
    worth = net_worth(account_balances(household))

    assert balances == {"Checking": Decimal("60.00"), "Card": Decimal("-300.00"), "Savings": Decimal("5000.00")}
    assert (worth.assets, worth.liabilities, worth.net, worth.cash) == (
        Decimal("5060.00"),
        Decimal("300.00"),
        Decimal("4760.00"),
        Decimal("5060.00"),
    )


def test_balances_match_the_transactions_apps_own(household):
    from transactions.selectors.accounts import account_balance, accounts_with_balances

    account(household, "Checking", opening_balance=Decimal("250.00"), opening_date=date(2026, 2, 1))
    account(household, "Card", kind="credit_card")
    txn(household, date(2026, 1, 15), "-999.00", "TRAVEL")  # before the opening date: already in the opening balance
    txn(household, date(2026, 3, 1), "-40.00", "ENTERTAINMENT")
    txn(household, date(2026, 3, 2), "-15.00", "ENTERTAINMENT", pending=True)  # not posted yet
    txn(household, date(2026, 3, 3), "-300.00", "TRAVEL", account_name="Card")

    theirs = {a.name: account_balance(a) for a in accounts_with_balances(household=household)}
    ours = {b.name: b.balance for b in account_balances(household)}

    assert ours == theirs == {"Checking": Decimal("210.00"), "Card": Decimal("-300.00")}


def test_calendar_helpers():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert week_containing(date(2026, 3, 18), 0) == Period(date(2026, 3, 16), date(2026, 3, 22))
    assert week_containing(date(2026, 3, 18), 6) == Period(date(2026, 3, 15), date(2026, 3, 21))
