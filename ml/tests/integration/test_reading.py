"""ORM → contract frames: one query for many households, what counts, and uncategorised rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ml.frames import COLUMNS
from ml.services.reading import households_to_run, transaction_frames
from transactions.tests.factories import FinancialAccountFactory, TransactionFactory, system_category

pytestmark = pytest.mark.django_db


def test_frames_for_many_households_in_one_query(household, other_household, django_assert_num_queries):
    mine = FinancialAccountFactory(household=household)
    savings = FinancialAccountFactory(household=household, kind="savings")
    coffee = TransactionFactory(
        household=household, account=mine, amount=Decimal("-4.50"), merchant="Blue Bottle",
        category=system_category("FOOD_AND_DRINK_COFFEE"), date=dt.date(2025, 3, 2),
    )  # fmt: skip
    TransactionFactory(household=household, account=mine, pending=True)
    out = TransactionFactory(household=household, account=mine, amount=Decimal("-100.00"))
    into = TransactionFactory(household=household, account=savings, amount=Decimal("100.00"), transfer_pair=out)
    out.transfer_pair = into
    out.save(update_fields=["transfer_pair"])
    theirs = TransactionFactory(household=other_household)

    with django_assert_num_queries(1):
        frames = transaction_frames([household.pk, other_household.pk])

    ours = frames[household.pk]
    assert list(ours.columns) == list(COLUMNS)
    assert ours["txn_id"].tolist() == [coffee.pk]  # no pending, no transfer between own accounts
    row = ours.iloc[0]
    assert (row["amount"], row["merchant"], row["category"], row["account_id"]) == (
        -4.5,
        "Blue Bottle",
        "FOOD_AND_DRINK",
        mine.pk,
    )
    assert row["date"].date() == dt.date(2025, 3, 2) and row["hour"] != row["hour"]  # NaN: no time of day
    assert frames[other_household.pk]["txn_id"].tolist() == [theirs.pk]
    assert frames[other_household.pk]["category"].tolist() == [None]
    with_transfers = transaction_frames([household.pk], include_transfers=True)[household.pk]
    assert set(with_transfers["txn_id"]) == {coffee.pk, out.pk, into.pk}


def test_households_to_run(household, other_household):
    assert households_to_run([other_household.pk, 999_999]) == [other_household.pk]
    assert set(households_to_run()) >= {household.pk, other_household.pk}
    assert transaction_frames([household.pk])[household.pk].empty
