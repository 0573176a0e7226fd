"""Budget alerts: threshold and over-budget warnings, once per budget and period, however often changes arrive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.tests.factories import MembershipFactory
from budgets.clock import HouseholdClock
from budgets.models import BudgetAlert
from budgets.services import budget_alerts_check
from budgets.tests.factories import BudgetFactory
from budgets.tests.ledger import category, txn
from fincoach.hooks import transactions_changed
from insights.models import Notification

pytestmark = pytest.mark.django_db

CLOCK = HouseholdClock(today=date(2026, 3, 10), week_start=0)


@pytest.fixture
def groceries(household):
    return BudgetFactory(
        household=household, amount=Decimal("500"), name="Groceries", categories=[category("FOOD_AND_DRINK_GROCERIES")]
    )


def spend(household, amount: str, day: date = date(2026, 3, 5)):
    return txn(household, day, amount, "FOOD_AND_DRINK_GROCERIES")


def test_nothing_is_raised_below_the_threshold(household, groceries):
    spend(household, "-399.99")
    assert budget_alerts_check(household, clock=CLOCK) == []
    assert not Notification.objects.exists()


def test_crossing_the_threshold_notifies_every_member_once(
    household, groceries, member, django_capture_on_commit_callbacks
):
    partner = MembershipFactory(household=household).user
    spend(household, "-400.00")

    with django_capture_on_commit_callbacks(execute=True):
        raised = budget_alerts_check(household, clock=CLOCK)
        again = budget_alerts_check(household, clock=CLOCK)

    assert [a.level for a in raised] == ["threshold"]
    assert again == []
    notes = Notification.objects.filter(kind="budget_threshold")
    assert sorted(n.user_id for n in notes) == sorted([member.pk, partner.pk])
    note = notes.get(user=member)
    assert note.title == "Groceries: 80% of the budget used"
    assert note.body == "You've spent $400.00 of $500.00, with 22 days left in this period."
    assert note.link == f"/budgets/{groceries.pk}/"
    assert note.dedupe_key == f"budget:{groceries.pk}:2026-03-01:threshold"


def test_going_over_notifies_again_with_high_priority(household, groceries, member):
    spend(household, "-420.00")
    budget_alerts_check(household, clock=CLOCK)
    spend(household, "-100.00")

    raised = budget_alerts_check(household, clock=CLOCK)

    assert [a.level for a in raised] == ["over"]
    over = Notification.objects.get(kind="budget_over", user=member)
    assert over.priority == Notification.Priority.HIGH
    assert over.title == "Groceries is over budget"
    assert "$20.00 over" in over.body
    assert Notification.objects.filter(user=member).count() == 2


def test_jumping_straight_over_gives_one_warning_and_records_both_levels(household, groceries, member):
    spend(household, "-650.00")

    budget_alerts_check(household, clock=CLOCK)

    assert list(Notification.objects.filter(user=member).values_list("kind", flat=True)) == ["budget_over"]
    assert set(BudgetAlert.objects.values_list("level", flat=True)) == {"threshold", "over"}
    # a refund brings it back under 100% (still past 80%): the threshold warning was already given
    spend(household, "200.00")
    assert budget_alerts_check(household, clock=CLOCK) == []


def test_a_new_period_can_warn_again(household, groceries, member):
    spend(household, "-450.00", date(2026, 2, 10))
    budget_alerts_check(household, clock=HouseholdClock(date(2026, 2, 20)))
    spend(household, "-450.00", date(2026, 3, 2))

    budget_alerts_check(household, clock=CLOCK)

    assert sorted(BudgetAlert.objects.values_list("period_start", flat=True)) == [date(2026, 2, 1), date(2026, 3, 1)]
    assert Notification.objects.filter(user=member, kind="budget_threshold").count() == 2


def test_past_periods_do_not_warn(household, groceries):
    spend(household, "-900.00", date(2026, 2, 10))  # a back-filled February
    assert budget_alerts_check(household, clock=CLOCK) == []


def test_the_hook_checks_alerts_after_commit_and_repeats_stay_silent(
    household, groceries, member, django_capture_on_commit_callbacks
):
    today = date.today()
    groceries.start_date = today.replace(day=1)
    groceries.save()
    first = spend(household, "-410.00", today)

    for _ in range(3):  # e.g. the same changes reported by an import, a sync and an undo-redo
        with django_capture_on_commit_callbacks(execute=True):
            transactions_changed(household.pk, [first.pk], "import")

    assert Notification.objects.filter(user=member, kind="budget_threshold").count() == 1


def test_the_e_mail_copy_goes_to_members_who_chose_it(household, groceries, member, django_capture_on_commit_callbacks):
    member.preferences.notify_email = True
    member.preferences.save()
    spend(household, "-450.00")

    with django_capture_on_commit_callbacks(execute=True):
        budget_alerts_check(household, clock=CLOCK)

    assert [m.subject for m in mail.outbox] == ["[fincoach] Groceries: 90% of the budget used"]


def test_repeated_imports_of_spending_warn_once(household, member, tmp_path, django_capture_on_commit_callbacks):
    """Through the real import command: the same file twice, then a file that goes over."""
    today = date.today()
    BudgetFactory(household=household, amount=Decimal("100"), name="Everything", start_date=today.replace(day=1))
    first = tmp_path / "first.csv"
    first.write_text(f"Date,Description,Amount\n{today:%Y-%m-%d},CORNER SHOP,-85.00\n")
    second = tmp_path / "second.csv"
    second.write_text(f"Date,Description,Amount\n{today:%Y-%m-%d},HARDWARE STORE,-30.00\n")

    for path in (first, first, second, second):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_transactions", str(path), user=member.email, account="Everyday", json=True)

    kinds = list(Notification.objects.filter(user=member).order_by("id").values_list("kind", flat=True))
    assert [k for k in kinds if k.startswith("budget_")] == ["budget_threshold", "budget_over"]
