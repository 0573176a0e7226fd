"""Transactions by hand: creation runs the pipeline, edits stick, categories learn, bulk actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from transactions.importing import fingerprint
from transactions.models import Tag, Transaction
from transactions.services import transactions as service
from transactions.services.rules import rules_apply
from transactions.tests.factories import RuleFactory, TransactionFactory

pytestmark = pytest.mark.django_db
Source = Transaction.CategorySource


def test_create_by_hand_gets_a_duplicate_key_and_runs_the_rules(household, account, cat):
    RuleFactory(
        household=household,
        match_field="description",
        match_value="starbucks",
        set_category=cat("FOOD_AND_DRINK_COFFEE"),
    )
    first = service.transaction_create(
        household=household,
        account=account,
        date=dt.date(2025, 4, 1),
        amount="-5.25",
        description="  STARBUCKS   #123 ",
        tags=["work"],
    )
    second = service.transaction_create(
        household=household, account=account, date=dt.date(2025, 4, 1), amount="-5.25", description="STARBUCKS #123"
    )
    first.refresh_from_db()

    assert first.description == "STARBUCKS #123"
    assert first.fingerprint == fingerprint(dt.date(2025, 4, 1), Decimal("-5.25"), "STARBUCKS #123")
    assert (first.occurrence, second.occurrence) == (1, 2)
    assert (first.category.code, first.category_source) == ("FOOD_AND_DRINK_COFFEE", Source.RULE)
    assert list(first.tags.values_list("name", flat=True)) == ["work"]


def test_create_with_a_category_is_the_users_choice(household, account, cat):
    txn = service.transaction_create(
        household=household,
        account=account,
        date=dt.date(2025, 4, 1),
        amount="-20",
        description="Cash for market",
        category=cat("FOOD_AND_DRINK_GROCERIES"),
    )
    assert (txn.category_source, txn.user_edited) == (Source.USER, ["category"])


def test_create_refuses_another_households_account(household, other_household):
    from transactions.tests.factories import FinancialAccountFactory

    theirs = FinancialAccountFactory(household=other_household)
    with pytest.raises(ValidationError):
        service.transaction_create(
            household=household, account=theirs, date=dt.date(2025, 1, 1), amount="-1", description="x"
        )


def test_edits_are_recorded_so_rules_leave_them_alone(household, make_txn, cat):
    txn = make_txn(description="AMZN MKTP US*2K4", merchant="Amazon")
    service.transaction_update(txn, merchant="Birthday present", category=cat("GENERAL_MERCHANDISE"), notes="for Sam")
    RuleFactory(
        household=household,
        match_field="description",
        match_value="AMZN",
        set_merchant="Amazon",
        set_category=cat("GENERAL_MERCHANDISE_ONLINE_MARKETPLACES"),
    )

    assert rules_apply(household, [txn.pk]) == []
    txn.refresh_from_db()
    assert txn.merchant == "Birthday present"
    assert txn.category.code == "GENERAL_MERCHANDISE"
    assert set(txn.user_edited) == {"category", "merchant", "notes"}


def test_changing_the_amount_of_a_split_transaction_is_refused(household, make_txn, cat):
    from transactions.services.splits import SplitPart, transaction_split

    txn = make_txn(amount="-30.00")
    transaction_split(txn, [SplitPart(cat("FOOD_AND_DRINK_GROCERIES"), "-20"), SplitPart(cat("MEDICAL"), "-10")])
    with pytest.raises(ValidationError):
        service.transaction_update(txn, amount="-35.00")


def test_set_and_confirm_category(household, make_txn, cat):
    txn = make_txn(
        category=cat("FOOD_AND_DRINK_COFFEE"),
        category_source=Source.MODEL,
        category_suggested=True,
        category_confidence=Decimal("0.700"),
    )
    service.transaction_confirm_category(txn)
    txn.refresh_from_db()
    assert (txn.category_source, txn.category_suggested, txn.category_confidence) == (Source.USER, False, None)

    service.transaction_set_category(txn, None)
    txn.refresh_from_db()
    assert (txn.category, txn.category_source, "category" in txn.user_edited) == (None, "", True)
    with pytest.raises(ValidationError):
        service.transaction_confirm_category(txn)


def test_bulk_actions_touch_only_the_households_transactions(household, other_household, make_txn, cat):
    mine = [make_txn(description=f"SHOP {i}") for i in range(3)]
    theirs = TransactionFactory(household=other_household)
    ids = [t.pk for t in mine] + [theirs.pk]

    assert service.transactions_bulk_categorize(household, ids, cat("GENERAL_MERCHANDISE")) == 3
    assert service.transactions_bulk_tag(household, ids, "holiday") == 3
    assert service.transactions_bulk_set_excluded(household, ids, True) == 3
    theirs.refresh_from_db()
    assert theirs.category is None and not theirs.excluded and not theirs.tags.exists()
    for txn in Transaction.objects.filter(pk__in=[t.pk for t in mine]):
        assert txn.category.code == "GENERAL_MERCHANDISE" and txn.category_source == Source.USER
        assert txn.excluded and {"category", "excluded"} <= set(txn.user_edited)
    assert Tag.objects.get(household=household).transactions.count() == 3

    assert service.transactions_bulk_delete(household, ids) == 3
    assert list(Transaction.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_bulk_tag_needs_a_name(household, make_txn):
    with pytest.raises(ValidationError):
        service.transactions_bulk_tag(household, [make_txn().pk], "  ")
