from datetime import date
from decimal import Decimal

import pytest

from insights.rules import subscription_review
from ml.models import RecurringSeries
from ml.tests.factories import RecurringSeriesFactory
from transactions.tests.factories import system_category

pytestmark = pytest.mark.django_db


def _sub(household, merchant, amount, *, cadence=RecurringSeries.Cadence.MONTHLY, category=None, **extra):
    return RecurringSeriesFactory(
        household=household,
        merchant=merchant,
        amount=Decimal(f"-{amount}"),
        next_amount=Decimal(f"-{amount}"),
        cadence=cadence,
        category=system_category(category) if category else None,
        next_date=date(2026, 4, 2),
        **extra,
    )


def test_monthly_review_counts_costs_rises_and_overlaps(household, make_ctx):
    _sub(
        household,
        "Netflix",
        "17.99",
        category="ENTERTAINMENT_TV_AND_MOVIES",
        price_changes=[{"date": "2026-02-01", "old": "-15.49", "new": "-17.99"}],
    )
    _sub(household, "Spotify", "11.99", category="ENTERTAINMENT_MUSIC_AND_AUDIO")
    _sub(household, "Apple Music", "10.99", category="ENTERTAINMENT_MUSIC_AND_AUDIO")
    _sub(household, "Cloud Storage", "120.00", cadence=RecurringSeries.Cadence.YEARLY)
    _sub(household, "Cancelled Box", "30.00", user_cancelled=True)
    _sub(household, "Not one", "80.00", user_marked_not_subscription=True)

    review = [c for c in subscription_review.evaluate(make_ctx()) if c.kind == "subscription_review"]

    [candidate] = review
    assert candidate.title == "4 subscriptions: $50.97 a month"  # 17.99 + 11.99 + 10.99 + 120/12
    assert candidate.message.startswith("You have 4 subscriptions costing $50.97 a month ($611.64 a year).")
    assert "Netflix rose from $15.49 to $17.99." in candidate.message
    assert "Spotify and Apple Music look like paying twice." in candidate.message or (
        "Apple Music and Spotify look like paying twice." in candidate.message
    )
    assert candidate.dedupe_key == "subscription_review:2026-03"


def test_a_fresh_price_rise_gets_its_own_note(household, make_ctx):
    netflix = _sub(
        household, "Netflix", "17.99", price_changes=[{"date": "2026-03-02", "old": "-15.49", "new": "-17.99"}]
    )

    notes = [c for c in subscription_review.evaluate(make_ctx()) if c.kind == "subscription_price"]

    [note] = notes
    assert note.title == "Netflix raised its price"
    assert note.message.startswith("Netflix went up from $15.49 to $17.99 on Mar 2, $30.00 more a year.")
    assert note.dedupe_key == f"subscription_price:{netflix.pk}:2026-03-02"


def test_one_subscription_and_price_drops_give_nothing(household, make_ctx):
    _sub(household, "Netflix", "12.99", price_changes=[{"date": "2026-03-02", "old": "-15.49", "new": "-12.99"}])
    assert subscription_review.evaluate(make_ctx()) == []
