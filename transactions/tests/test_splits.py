"""Splits must add up to the transaction's amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from transactions.services.splits import SplitPart, transaction_split, transaction_unsplit

pytestmark = pytest.mark.django_db


def test_a_split_replaces_earlier_parts_and_takes_the_largest_category(household, make_txn, cat):
    txn = make_txn(description="TARGET #1234", amount="-100.00")
    groceries, pharmacy = cat("FOOD_AND_DRINK_GROCERIES"), cat("MEDICAL_PHARMACIES_AND_SUPPLEMENTS")
    transaction_split(txn, [SplitPart(groceries, "-50"), SplitPart(pharmacy, "-50")])
    transaction_split(txn, [SplitPart(groceries, "-70.00", "food"), SplitPart(pharmacy, "-30.00")])

    parts = list(txn.splits.values_list("category__code", "amount", "notes"))
    assert parts == [
        ("FOOD_AND_DRINK_GROCERIES", Decimal("-70.00"), "food"),
        ("MEDICAL_PHARMACIES_AND_SUPPLEMENTS", Decimal("-30.00"), ""),
    ]
    txn.refresh_from_db()
    assert txn.category == groceries and "category" in txn.user_edited


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        (["-60", "-30"], "left to assign"),
        (["-100"], "at least two"),
        (["-120", "20"], "same sign"),
        (["-100", "0"], "cannot be zero"),
    ],
)
def test_bad_splits_are_refused_with_the_reason(household, make_txn, cat, amounts, message):
    txn = make_txn(amount="-100.00")
    parts = [SplitPart(cat("FOOD_AND_DRINK_GROCERIES"), amount) for amount in amounts]
    with pytest.raises(ValidationError, match=message):
        transaction_split(txn, parts)
    assert not txn.splits.exists()


def test_the_error_says_how_much_is_left(household, make_txn, cat):
    txn = make_txn(amount="-100.00")
    with pytest.raises(ValidationError) as error:
        transaction_split(txn, [SplitPart(cat("TRAVEL"), "-60"), SplitPart(cat("TRAVEL"), "-30")])
    assert "add up to -$90.00" in error.value.messages[0] and "-$10.00 left to assign" in error.value.messages[0]


def test_unsplit(household, make_txn, cat):
    txn = make_txn(amount="-10.00")
    transaction_split(txn, [SplitPart(cat("TRAVEL"), "-5"), SplitPart(cat("MEDICAL"), "-5")])
    transaction_unsplit(txn)
    assert not txn.splits.exists()


def test_categories_of_another_household_are_refused(household, other_household, make_txn, cat):
    from transactions.services.categories import category_create

    theirs = category_create(household=other_household, parent=cat("TRAVEL"), name="Theirs")
    txn = make_txn(amount="-10.00")
    with pytest.raises(ValidationError, match="your categories"):
        transaction_split(txn, [SplitPart(theirs, "-5"), SplitPart(cat("MEDICAL"), "-5")])
