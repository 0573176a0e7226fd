"""Recurring series stored from detection, keeping what the user said about them."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ml import recurring as detection
from ml.models import ModelRun, RecurringSeries
from ml.services import recurring_series_mark_cancelled, recurring_series_mark_not_subscription, recurring_series_rename
from ml.services.reading import transaction_frame
from ml.services.recurring import recurring_detect
from ml.tests.factories import synthetic_household_in_db
from transactions.models import Transaction
from transactions.tests.factories import FinancialAccountFactory, TransactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic(household):
    return synthetic_household_in_db(household, seed=3, months=12)


def test_stores_what_detection_finds(household, synthetic):
    summary = recurring_detect([household.pk])

    expected = detection.detect_recurring(transaction_frame(household))
    stored = RecurringSeries.objects.for_household(household)
    assert summary["series"] == stored.count() == len(expected) > 0
    assert summary["subscriptions"] == stored.filter(is_subscription=True).count()
    truth = {t.merchant for t in synthetic.truth_series if t.is_subscription}
    assert set(stored.filter(is_subscription=True).values_list("merchant", flat=True)) == truth
    salary = stored.get(merchant="Amazon Payroll")
    assert (salary.is_income, salary.cadence, salary.occurrences, salary.transactions.count()) == (
        True,
        "monthly",
        12,
        12,
    )
    assert salary.category.code == "INCOME" and salary.next_date > salary.last_date
    run = ModelRun.objects.get(pk=summary["run_id"])
    assert (run.kind, run.status, run.households, run.metrics["series"]) == ("detect_recurring", "ok", 1, len(expected))


def test_rerun_updates_in_place(household, synthetic):
    recurring_detect([household.pk])
    ids = set(RecurringSeries.objects.values_list("pk", flat=True))
    again = recurring_detect([household.pk])
    assert (again["created"], again["removed"], again["updated"]) == (0, 0, len(ids))
    assert set(RecurringSeries.objects.values_list("pk", flat=True)) == ids


def test_user_marks_survive_detection(household, synthetic):
    recurring_detect([household.pk])
    series = RecurringSeries.objects.for_household(household)
    calm, apple, ft = (series.get(merchant=m) for m in ("Calm", "Apple TV+", "Financial Times"))
    recurring_series_rename(household, calm, "Meditation app")
    recurring_series_mark_not_subscription(household, apple)
    recurring_series_mark_cancelled(household, ft)

    recurring_detect([household.pk])

    calm.refresh_from_db()
    apple.refresh_from_db()
    ft.refresh_from_db()
    assert calm.display_name == "Meditation app"
    assert apple.user_marked_not_subscription and apple.is_subscription  # the model's view and the user's word
    assert ft.user_cancelled and ft.status == RecurringSeries.Status.CANCELLED


def test_a_charge_after_cancelling_reactivates(household, synthetic):
    recurring_detect([household.pk])
    ft = RecurringSeries.objects.get(household=household, merchant="Financial Times")
    recurring_series_mark_cancelled(household, ft)
    TransactionFactory(
        household=household, account=ft.account, merchant="Financial Times", description="FT.COM SUBSCRIPTION",
        date=ft.next_date, amount=ft.next_amount,
    )  # fmt: skip

    summary = recurring_detect([household.pk])

    ft.refresh_from_db()
    assert summary["reactivated"] == 1
    assert not ft.user_cancelled and ft.status == RecurringSeries.Status.ACTIVE


def test_vanished_series_go_unless_the_user_marked_them(household, synthetic):
    recurring_detect([household.pk])
    calm = RecurringSeries.objects.get(household=household, merchant="Calm")
    recurring_series_rename(household, calm, "Meditation")
    Transaction.objects.filter(household=household, merchant__in=["Calm", "Apple TV+"]).delete()

    summary = recurring_detect([household.pk])

    merchants = set(RecurringSeries.objects.for_household(household).values_list("merchant", flat=True))
    assert "Apple TV+" not in merchants and "Calm" in merchants
    assert summary["removed"] == 1


def test_little_history_gives_no_series_and_no_error(household):
    account = FinancialAccountFactory(household=household)
    for day in (1, 2):
        TransactionFactory(
            household=household, account=account, merchant="Gym", date=dt.date(2025, 3, day), amount=Decimal("-30")
        )
    assert recurring_detect([household.pk])["series"] == 0
    assert not RecurringSeries.objects.exists()


def test_many_households_in_one_run(household, other_household, synthetic):
    synthetic_household_in_db(other_household, seed=5, months=6)
    summary = recurring_detect()
    assert summary["households"] >= 2
    assert set(RecurringSeries.objects.values_list("household_id", flat=True)) == {household.pk, other_household.pk}


def test_command_json(household, synthetic):
    out = io.StringIO()
    call_command("detect_recurring", "--household", str(household.pk), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["households"] == 1 and summary["series"] == RecurringSeries.objects.count()
    assert ModelRun.objects.filter(pk=summary["run_id"], status="ok").exists()


def test_command_refuses_an_unknown_household(db):
    with pytest.raises(CommandError, match="no household with id 999999"):
        call_command("detect_recurring", "--household", "999999")
