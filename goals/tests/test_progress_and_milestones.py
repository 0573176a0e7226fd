"""Goal progress (contributions or a linked account), milestones once each, contributions, emergency fund."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.clock import HouseholdClock
from budgets.tests.ledger import account, txn
from fincoach.hooks import transactions_changed
from goals.models import Goal, GoalMilestone
from goals.selectors import debt_strategies, emergency_fund_suggestion, goal_with_progress, goals_with_progress
from goals.services import goal_contribute, goal_create, goal_milestones_check, goal_update
from goals.tests.factories import GoalContributionFactory, GoalFactory
from insights.models import Notification
from transactions.models import FinancialAccount

pytestmark = pytest.mark.django_db

CLOCK = HouseholdClock(today=date(2026, 4, 10))


def test_progress_from_contributions(household):
    goal = GoalFactory(household=household, target_amount=Decimal("1200"), target_date=date(2026, 10, 10))
    for month in (1, 2, 3):
        GoalContributionFactory(household=household, goal=goal, amount=Decimal("100"), date=date(2026, month, 15))

    progress = goal_with_progress(goal, clock=CLOCK)

    assert (str(progress.saved), progress.remaining, progress.percent) == ("300.00", Decimal("900.00"), 25)
    assert progress.projection.required_monthly == Decimal("150.00")  # 900 over 6 months
    # 300 between Jan 10 and Apr 10 (90 days = 2.957 months) → 101.46 a month → 9 months → behind
    assert progress.projection.pace == Decimal("101.46")
    assert progress.status == "behind"


def test_a_linked_savings_account_counts_its_balance(household):
    savings = account(household, "Rainy day", FinancialAccount.Kind.SAVINGS, opening_balance=Decimal("2000"))
    txn(household, date(2026, 3, 1), "500.00", "TRANSFER_IN_SAVINGS", account_name="Rainy day")
    txn(household, date(2026, 3, 20), "-100.00", "TRANSFER_OUT_WITHDRAWAL", account_name="Rainy day")
    goal = GoalFactory(household=household, linked_account=savings, target_amount=Decimal("6000"))
    GoalContributionFactory(household=household, goal=goal, amount=Decimal("999"))  # a note, not progress

    progress = goal_with_progress(goal, clock=CLOCK)

    assert (progress.saved, progress.account_balance, progress.percent) == (Decimal("2400.00"), Decimal("2400.00"), 40)
    assert progress.projection.pace == Decimal("135.28")  # 400 net over the last 90 days (2.957 months)


def test_a_debt_goal_linked_to_a_loan_counts_what_is_paid_off(household):
    loan = account(household, "Car loan", FinancialAccount.Kind.LOAN, opening_balance=Decimal("-8000"))
    txn(household, date(2026, 3, 5), "400.00", "LOAN_PAYMENTS_CAR_PAYMENT", account_name="Car loan")
    goal = GoalFactory(
        household=household, kind=Goal.Kind.DEBT_PAYOFF, linked_account=loan, target_amount=Decimal("8000")
    )

    progress = goal_with_progress(goal, clock=CLOCK)

    assert (progress.saved, progress.remaining, progress.percent) == (Decimal("400.00"), Decimal("7600.00"), 5)


def test_progress_of_every_goal_in_a_fixed_number_of_queries(household, django_assert_max_num_queries):
    savings = account(household, "Savings", FinancialAccount.Kind.SAVINGS)
    for index in range(6):
        goal = GoalFactory(household=household, linked_account=savings if index % 2 else None)
        GoalContributionFactory(household=household, goal=goal, date=date(2026, 3, 1))

    with django_assert_max_num_queries(4):
        progresses = goals_with_progress(household, clock=CLOCK)
    assert len(progresses) == 6


def test_milestones_notify_once_each(household, member, django_capture_on_commit_callbacks):
    goal = GoalFactory(household=household, name="New bike", target_amount=Decimal("1000"))

    with django_capture_on_commit_callbacks(execute=True):
        goal_contribute(goal, amount="260", day=date(2026, 4, 1))
        goal_contribute(goal, amount="10", day=date(2026, 4, 2))  # still past 25% only
        goal_milestones_check(goal)

    titles = list(Notification.objects.filter(user=member).values_list("title", flat=True))
    assert titles == ["A quarter of the way to New bike"]

    with django_capture_on_commit_callbacks(execute=True):
        goal_contribute(goal, amount="500", day=date(2026, 4, 3))  # 77%: past 50 and 75 at once

    newest = Notification.objects.filter(user=member).first()
    assert newest.title == "Three quarters of the way to New bike"
    assert newest.dedupe_key == f"goal:{goal.pk}:milestone:75"
    assert list(goal.milestones.values_list("percent", flat=True)) == [25, 50, 75]
    assert Notification.objects.filter(user=member).count() == 2


def test_reaching_the_target_completes_the_goal_with_a_celebration(
    household, member, django_capture_on_commit_callbacks
):
    goal = GoalFactory(household=household, name="Holiday", target_amount=Decimal("300"))

    with django_capture_on_commit_callbacks(execute=True):
        goal_contribute(goal, amount="300.00", day=date(2026, 4, 1))

    goal.refresh_from_db()
    assert goal.status == Goal.Status.COMPLETED
    assert goal.completed_at is not None
    done = Notification.objects.get(user=member)
    assert (done.kind, done.title, done.priority) == (
        "goal_completed",
        "🎉 You reached Holiday!",
        Notification.Priority.HIGH,
    )
    assert done.body == "$300.00 of $300.00 saved. Goal complete — well done!"
    # a completed goal is not checked again
    assert goal_milestones_check(goal) == []


def test_a_new_goal_notes_milestones_already_passed_silently(household, member, django_capture_on_commit_callbacks):
    savings = account(household, "Savings", FinancialAccount.Kind.SAVINGS, opening_balance=Decimal("5500"))

    with django_capture_on_commit_callbacks(execute=True):
        goal = goal_create(household=household, name="Emergency fund", target_amount="10000", linked_account=savings)

    assert list(goal.milestones.values_list("percent", flat=True)) == [25, 50]
    assert not Notification.objects.filter(user=member).exists()


def test_imported_deposits_into_a_linked_account_reach_milestones(
    household, member, django_capture_on_commit_callbacks
):
    savings = account(household, "Savings", FinancialAccount.Kind.SAVINGS)
    goal = GoalFactory(household=household, name="House deposit", linked_account=savings, target_amount=Decimal("2000"))
    deposit = txn(household, date(2026, 4, 1), "1000.00", "TRANSFER_IN_SAVINGS", account_name="Savings")

    for _ in range(2):  # the same change reported twice
        with django_capture_on_commit_callbacks(execute=True):
            transactions_changed(household.pk, [deposit.pk], "import")

    assert list(GoalMilestone.objects.filter(goal=goal).values_list("percent", flat=True)) == [25, 50]
    assert list(Notification.objects.filter(user=member).values_list("title", flat=True)) == [
        "Halfway to House deposit"
    ]


def test_paused_goals_do_not_celebrate(household, member):
    goal = GoalFactory(household=household, status=Goal.Status.PAUSED)
    GoalContributionFactory(household=household, goal=goal, amount=Decimal("900"))
    assert goal_milestones_check(goal) == []


def test_contribution_linked_to_a_transaction(household, other_household):
    goal = GoalFactory(household=household)
    transfer = txn(household, date(2026, 3, 31), "-250.00", "TRANSFER_OUT_SAVINGS")

    contribution = goal_contribute(goal, linked_transaction=transfer)

    assert (contribution.amount, contribution.date, contribution.transaction) == (
        Decimal("250.00"),
        date(2026, 3, 31),
        transfer,
    )
    with pytest.raises(ValidationError, match="already counts"):
        goal_contribute(goal, linked_transaction=transfer)
    theirs = txn(other_household, date(2026, 3, 31), "-250.00", "TRANSFER_OUT_SAVINGS")
    with pytest.raises(ValidationError, match="your own transactions"):
        goal_contribute(goal, linked_transaction=theirs)
    with pytest.raises(ValidationError, match="cannot be zero"):
        goal_contribute(goal, amount="0")


def test_goal_validation(household, other_household):
    theirs = account(other_household, "Their savings", FinancialAccount.Kind.SAVINGS)
    with pytest.raises(ValidationError, match="your own accounts"):
        goal_create(household=household, name="Sneaky", target_amount="100", linked_account=theirs)
    with pytest.raises(ValidationError):
        goal_create(household=household, name="Nothing", target_amount="0")
    # debt fields are kept only on debt goals
    goal = goal_create(household=household, name="Trip", target_amount="100", apr=Decimal("5"), minimum_payment="10")
    assert (goal.apr, goal.minimum_payment) == (None, None)


def test_completing_by_hand_stamps_and_reopening_clears(household):
    goal = GoalFactory(household=household)
    goal_update(goal, status=Goal.Status.COMPLETED)
    assert goal.completed_at is not None
    goal_update(goal, status=Goal.Status.ACTIVE)
    assert goal.completed_at is None


def test_emergency_fund_from_essential_spending(household):
    # Three complete months before April: essentials 1,500 + 400 + 100 each month, plus things that are not essential
    for month in (1, 2, 3):
        txn(household, date(2026, month, 1), "-1500.00", "RENT_AND_UTILITIES_RENT")
        txn(household, date(2026, month, 5), "-400.00", "FOOD_AND_DRINK_GROCERIES")
        txn(household, date(2026, month, 9), "-100.00", "GENERAL_SERVICES_INSURANCE")
        txn(household, date(2026, month, 12), "-300.00", "FOOD_AND_DRINK_RESTAURANT")
        txn(household, date(2026, month, 14), "-250.00", "ENTERTAINMENT_VIDEO_GAMES")
    txn(household, date(2026, 2, 20), "-900.00", "MEDICAL_DENTAL_CARE")  # one dental bill: the median ignores it

    suggestion = emergency_fund_suggestion(household, clock=CLOCK)

    assert (suggestion.monthly_essentials, suggestion.months_of_data) == (Decimal("2000.00"), 3)
    assert (suggestion.low, suggestion.high) == (Decimal("6000.00"), Decimal("12000.00"))


def test_no_history_no_emergency_fund_suggestion(household):
    assert emergency_fund_suggestion(household, clock=CLOCK) is None


def test_debt_strategies_from_debt_goals(household):
    def debt(name, balance, apr, minimum):
        return GoalFactory(
            household=household,
            name=name,
            kind=Goal.Kind.DEBT_PAYOFF,
            target_amount=Decimal(balance),
            apr=Decimal(apr),
            minimum_payment=Decimal(minimum),
        )

    debt("Card", "500.00", "24", "25.00")
    friend = debt("Loan from a friend", "200.00", "0", "25.00")
    GoalFactory(household=household)  # not a debt

    comparison = debt_strategies(goals_with_progress(household, clock=CLOCK), Decimal("50"))

    assert comparison.results["avalanche"].total_interest == Decimal("42.10")
    assert comparison.results["snowball"].total_interest == Decimal("53.35")
    assert comparison.interest_saved_by_avalanche == Decimal("11.25")
    friend.status = Goal.Status.COMPLETED
    friend.save()
    assert debt_strategies(goals_with_progress(household, clock=CLOCK), Decimal("50")) is None
