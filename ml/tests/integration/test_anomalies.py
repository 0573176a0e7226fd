"""Anomalies: nightly detection, the cheap check on new money with its notification, and dismissed patterns."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pandas as pd
import pytest
from django.core.management import call_command
from django.utils import timezone

from fincoach.hooks import transactions_changed
from insights.models import Notification
from ml.anomalies import detect_anomalies
from ml.models import Anomaly, ModelRun
from ml.services import anomaly_dismiss
from ml.services.anomalies import WINDOW_DAYS, anomalies_check_new, anomalies_detect
from ml.services.reading import transaction_frame
from ml.tests.factories import synthetic_household_in_db
from transactions.models import Transaction
from transactions.tests.factories import FinancialAccountFactory, TransactionFactory, system_category

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def account(household):
    return FinancialAccountFactory(household=household, kind="credit_card")


@pytest.fixture
def routine(household, account):
    """Two months of ordinary grocery shopping ending yesterday."""
    groceries = system_category("FOOD_AND_DRINK_GROCERIES")
    Transaction.objects.bulk_create(
        Transaction(
            household=household, account=account, date=TODAY - dt.timedelta(days=day),
            amount=Decimal(f"-{30 + day % 7}.40"), description=f"GREEN GROCER {day}", merchant="Green Grocer",
            category=groceries,
        )
        for day in range(1, 61)
    )  # fmt: skip


def charge(account, merchant: str, amount: str, days_ago: int) -> Transaction:
    return TransactionFactory(
        household=account.household, account=account, merchant=merchant, description=merchant.upper(),
        amount=Decimal(amount), date=TODAY - dt.timedelta(days=days_ago),
        category=system_category("GENERAL_MERCHANDISE_ELECTRONICS"),
    )  # fmt: skip


def test_nightly_stores_what_detection_finds(household):
    synthetic = synthetic_household_in_db(household, seed=11, months=12)
    summary = anomalies_detect([household.pk])

    frame = transaction_frame(household)
    since = (frame["date"].max() - pd.Timedelta(days=WINDOW_DAYS)).date()
    expected = {a.txn_id for a in detect_anomalies(frame, since=since)}
    stored = Anomaly.objects.for_household(household)
    assert set(stored.values_list("transaction_id", flat=True)) == expected
    assert summary["flagged"] == len(expected) and summary["households"] == 1
    assert all(a.reasons and a.method in ("isolation_forest", "robust") for a in stored)
    assert expected, "the generated year has anomalies in its last 90 days"
    assert any(t.is_anomaly for t in synthetic.transactions if t.date >= since)
    assert ModelRun.objects.get(pk=summary["run_id"]).metrics["flagged"] == len(expected)


def test_duplicate_charge_is_flagged_and_notified_once(household, account, routine, member):
    charge(account, "Apex Electronics", "-89.99", days_ago=1)
    second = charge(account, "Apex Electronics", "-89.99", days_ago=0)

    created = anomalies_check_new(household, [second.pk])

    assert [a.transaction_id for a in created] == [second.pk]
    assert [r["kind"] for r in created[0].reasons] == ["duplicate"]
    note = Notification.objects.get(user=member, kind="anomaly")
    assert note.title == "Unusual charge at Apex Electronics"
    assert "possible duplicate charge" in note.body.lower() and note.link == "/anomalies/"
    assert anomalies_check_new(household, [second.pk]) == []  # already stored: nothing new, no second notice
    assert Notification.objects.filter(kind="anomaly").count() == 1


def test_new_money_is_checked_through_the_hook(household, account, routine, django_capture_on_commit_callbacks):
    charge(account, "Apex Electronics", "-89.99", days_ago=1)
    second = charge(account, "Apex Electronics", "-89.99", days_ago=0)
    with django_capture_on_commit_callbacks(execute=True):
        transactions_changed(household.pk, [second.pk], "import")
    assert Anomaly.objects.filter(transaction=second).exists()


def test_old_transactions_are_left_to_the_nightly_run(household, account, routine, member):
    charge(account, "Apex Electronics", "-89.99", days_ago=45)
    second = charge(account, "Apex Electronics", "-89.99", days_ago=44)
    assert anomalies_check_new(household, [second.pk]) == []
    assert not Notification.objects.exists()


def test_a_dismissed_pattern_is_not_flagged_again(household, account, routine):
    charge(account, "Apex Electronics", "-89.99", days_ago=20)
    first_double = charge(account, "Apex Electronics", "-89.99", days_ago=19)
    anomalies_detect([household.pk])
    anomaly = Anomaly.objects.get(transaction=first_double)
    anomaly_dismiss(household, anomaly)

    charge(account, "Apex Electronics", "-24.50", days_ago=1)
    again = charge(account, "Apex Electronics", "-24.50", days_ago=0)
    assert anomalies_check_new(household, [again.pk]) == []
    anomalies_detect([household.pk])

    anomaly.refresh_from_db()
    assert anomaly.status == Anomaly.Status.DISMISSED
    assert not Anomaly.objects.filter(transaction=again).exists()


def test_dismissing_closes_open_anomalies_with_the_same_pattern(household, account, routine):
    charge(account, "Apex Electronics", "-89.99", days_ago=20)
    one = charge(account, "Apex Electronics", "-89.99", days_ago=19)
    charge(account, "Apex Electronics", "-24.50", days_ago=5)
    two = charge(account, "Apex Electronics", "-24.50", days_ago=4)
    anomalies_detect([household.pk])
    assert Anomaly.objects.filter(transaction__in=[one, two], status=Anomaly.Status.OPEN).count() == 2

    anomaly_dismiss(household, Anomaly.objects.get(transaction=one))

    assert Anomaly.objects.get(transaction=two).status == Anomaly.Status.DISMISSED


def test_open_anomalies_no_longer_supported_are_cleared(household, account, routine):
    charge(account, "Apex Electronics", "-89.99", days_ago=3)
    double = charge(account, "Apex Electronics", "-89.99", days_ago=2)
    anomalies_detect([household.pk])
    assert Anomaly.objects.filter(transaction=double).exists()
    double.delete()  # the bank reversed the duplicate
    charge_left = Transaction.objects.get(household=household, merchant="Apex Electronics")
    summary = anomalies_detect([household.pk])
    assert not Anomaly.objects.filter(transaction=charge_left).exists()
    assert summary["flagged"] == 0


def test_little_history_is_no_error(household, account):
    charge(account, "Apex Electronics", "-89.99", days_ago=0)
    summary = anomalies_detect([household.pk])
    assert (summary["flagged"], summary["households"]) == (0, 1)
    assert anomalies_detect([])["households"] == 0


def test_command_json(household, account, routine):
    charge(account, "Apex Electronics", "-89.99", days_ago=3)
    charge(account, "Apex Electronics", "-89.99", days_ago=2)
    out = io.StringIO()
    call_command("detect_anomalies", "--json", "--household", str(household.pk), stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["households"], summary["flagged"], summary["created"]) == (1, 1, 1)


def test_a_history_import_is_left_to_the_nightly_run(monkeypatch, household, account, routine, member):
    from ml.services import anomalies

    monkeypatch.setattr(anomalies, "MAX_IMMEDIATE", 1)
    first = charge(account, "Apex Electronics", "-89.99", days_ago=1)
    second = charge(account, "Apex Electronics", "-89.99", days_ago=0)
    assert anomalies_check_new(household, [first.pk, second.pk]) == []
    assert not Notification.objects.exists()
    assert anomalies_detect([household.pk])["flagged"] == 1  # the nightly run still finds it
