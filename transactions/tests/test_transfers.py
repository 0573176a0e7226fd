"""Transfers between the household's own accounts: found, linked both ways, out of spending, unlinkable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from transactions.models import Transaction
from transactions.services.transfers import transfer_link, transfer_unlink, transfers_detect
from transactions.tests.factories import FinancialAccountFactory

pytestmark = pytest.mark.django_db
D = dt.date(2025, 3, 10)


def pair_of(txn) -> int | None:
    return Transaction.objects.get(pk=txn.pk).transfer_pair_id


def test_opposite_amounts_within_days_are_linked_both_ways_and_leave_spending(household, account, savings, make_txn):
    out = make_txn(description="ONLINE TRANSFER TO SAV 1234", amount="-500.00", date=D)
    arrived = make_txn(account=savings, description="TRANSFER FROM CHK 9876", amount="500.00", date=D + dt.timedelta(2))

    assert transfers_detect(household, [out.pk]) == 1

    assert (pair_of(out), pair_of(arrived)) == (arrived.pk, out.pk)
    out.refresh_from_db()
    arrived.refresh_from_db()
    assert (out.category.code, arrived.category.code) == (
        "TRANSFER_OUT_ACCOUNT_TRANSFER",
        "TRANSFER_IN_ACCOUNT_TRANSFER",
    )
    assert not Transaction.objects.spending().filter(pk__in=[out.pk, arrived.pk]).exists()


def test_a_card_payment_is_categorised_as_one(household, account, make_txn):
    card = FinancialAccountFactory(household=household, name="Card", kind="credit_card")
    payment = make_txn(description="CHASE CREDIT CRD AUTOPAY", amount="-812.40", date=D)
    make_txn(account=card, description="AUTOMATIC PAYMENT - THANK YOU", amount="812.40", date=D)
    transfers_detect(household, [payment.pk])
    payment.refresh_from_db()
    assert payment.category.code == "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"


@pytest.mark.parametrize(
    ("other", "why"),
    [
        ({"amount": "499.99"}, "amounts differ"),
        ({"date": D + dt.timedelta(days=5)}, "too far apart"),
        ({"same_account": True}, "same account"),
        ({"description": "AMAZON REFUND", "first": "STARBUCKS"}, "nothing looks like a transfer"),
    ],
)
def test_what_is_not_a_transfer(household, account, savings, make_txn, other, why):
    first = make_txn(description=other.get("first", "TRANSFER TO SAVINGS"), amount="-500.00", date=D)
    make_txn(
        account=account if other.get("same_account") else savings,
        description=other.get("description", "DEPOSIT"),
        amount=other.get("amount", "500.00"),
        date=other.get("date", D),
    )
    assert transfers_detect(household, [first.pk]) == 0, why


def test_each_transaction_pairs_once_with_the_closest_date(household, account, savings, make_txn):
    out = make_txn(description="TRANSFER TO SAVINGS", amount="-100.00", date=D)
    far = make_txn(account=savings, description="TRANSFER IN", amount="100.00", date=D + dt.timedelta(3))
    near = make_txn(account=savings, description="TRANSFER IN", amount="100.00", date=D + dt.timedelta(1))
    assert transfers_detect(household, [out.pk, far.pk, near.pk]) == 1
    assert pair_of(out) == near.pk and pair_of(far) is None


def test_other_households_accounts_never_pair(household, other_household, account, make_txn):
    from transactions.tests.factories import TransactionFactory

    make_txn(description="TRANSFER TO SAVINGS", amount="-50.00", date=D)
    FinancialAccountFactory(household=household, name="Second")
    theirs = TransactionFactory(household=other_household, description="TRANSFER IN", amount="50.00", date=D)
    assert transfers_detect(household) == 0
    assert pair_of(theirs) is None


def test_unlink_is_remembered(household, account, savings, make_txn):
    out = make_txn(description="TRANSFER TO SAVINGS", amount="-75.00", date=D)
    arrived = make_txn(account=savings, description="TRANSFER IN", amount="75.00", date=D)
    transfers_detect(household)
    transfer_unlink(Transaction.objects.get(pk=out.pk))

    assert (pair_of(out), pair_of(arrived)) == (None, None)
    assert transfers_detect(household) == 0, "detection does not re-link what the user unlinked"


def test_manual_link_checks_the_pair(household, account, savings, make_txn):
    out = make_txn(description="CASH", amount="-20.00", date=D)
    back = make_txn(account=savings, description="CASH", amount="20.00", date=D + dt.timedelta(days=30))
    transfer_link(out, back)
    assert (pair_of(out), pair_of(back)) == (back.pk, out.pk)
    with pytest.raises(ValidationError):
        transfer_link(out, make_txn(account=savings, description="x", amount="19.00"))
