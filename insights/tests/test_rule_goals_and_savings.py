from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from goals.models import GoalMilestone
from goals.tests.factories import GoalContributionFactory, GoalFactory, GoalMilestoneFactory
from insights.rules import goal_progress, savings_opportunity

from .coach_factories import txn

pytestmark = pytest.mark.django_db


def _reached(milestone, day: date):
    GoalMilestone.objects.filter(pk=milestone.pk).update(
        reached_at=timezone.make_aware(datetime.combine(day, datetime.min.time()))
    )


# --- goal milestones and celebrations -------------------------------------------------------------------------


def test_recent_milestone_is_celebrated_without_a_second_notification(household, make_ctx, today):
    trip = GoalFactory(household=household, name="Japan trip", target_amount=Decimal("3000.00"))
    GoalContributionFactory(household=household, goal=trip, amount=Decimal("1600.00"), date=date(2026, 3, 10))
    _reached(GoalMilestoneFactory(household=household, goal=trip, percent=25), date(2026, 2, 1))
    _reached(GoalMilestoneFactory(household=household, goal=trip, percent=50), date(2026, 3, 16))

    [candidate] = goal_progress.evaluate(make_ctx())

    assert candidate.kind == "goal_milestone"
    assert candidate.sentiment == "positive" and not candidate.deliver
    assert candidate.title == "50% of the way to Japan trip"
    assert candidate.message == '"Japan trip" is at $1,600.00 of $3,000.00, $1,400.00 to go.'
    assert candidate.dedupe_key == f"goal_milestone:{trip.pk}:50"


def test_completed_goal_is_celebrated(household, make_ctx):
    bike = GoalFactory(household=household, name="New bike", target_amount=Decimal("800.00"), status="completed")
    GoalContributionFactory(household=household, goal=bike, amount=Decimal("800.00"), date=date(2026, 3, 15))
    _reached(GoalMilestoneFactory(household=household, goal=bike, percent=100), date(2026, 3, 15))

    [candidate] = goal_progress.evaluate(make_ctx())

    assert candidate.title == "Goal reached: New bike!"
    assert candidate.message.startswith('You saved $800.00 for "New bike".')


def test_goal_behind_its_date_gets_a_nudge_with_the_monthly_amount(household, make_ctx):
    car = GoalFactory(household=household, name="Car", target_amount=Decimal("6000.00"), target_date=date(2026, 9, 18))
    GoalContributionFactory(household=household, goal=car, amount=Decimal("100.00"), date=date(2026, 2, 20))

    [candidate] = goal_progress.evaluate(make_ctx())

    assert candidate.kind == "goal_behind" and candidate.deliver
    assert candidate.message.startswith('To reach "Car" by Sep 18, 2026 you need $983.34 a month')
    assert candidate.dedupe_key == f"goal_behind:{car.pk}:2026-03"


def test_old_milestones_and_goals_on_track_give_nothing(household, make_ctx):
    fund = GoalFactory(household=household, name="Fund", target_amount=Decimal("1000.00"), target_date=date(2027, 3, 1))
    for day in (date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)):
        GoalContributionFactory(household=household, goal=fund, amount=Decimal("300.00"), date=day)
    _reached(GoalMilestoneFactory(household=household, goal=fund, percent=75), date(2026, 2, 10))

    assert goal_progress.evaluate(make_ctx()) == []


# --- savings opportunity ----------------------------------------------------------------------------------------


def _steady_months(household, *, income="4000.00", spending="2500.00"):
    for month in (12, 1, 2):
        year = 2025 if month == 12 else 2026
        txn(household, date(year, month, 1), income, "INCOME_WAGES")
        txn(household, date(year, month, 10), spending, "RENT_AND_UTILITIES_RENT")


def test_projected_surplus_becomes_a_concrete_amount_for_a_named_goal(household, make_ctx):
    _steady_months(household, spending="-2500.00")
    txn(household, date(2026, 3, 1), "4000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 10), "-1200.00", "RENT_AND_UTILITIES_RENT")
    fund = GoalFactory(household=household, name="Emergency fund", target_amount=Decimal("5000.00"))

    [candidate] = savings_opportunity.evaluate(make_ctx())

    # Expected: income 4,000 − (1,200 spent + 2,500 × 13/31 usual for the days left = 2,248.39) = 1,751.61;
    # half of it, rounded down to $10: $870.
    assert candidate.data["projected_surplus"] == "1751.61"
    assert candidate.data["suggested_amount"] == "870.00"
    assert candidate.title == "Move $870.00 to Emergency fund"
    assert 'Moving $870.00 to "Emergency fund" now brings it to 17% of $5,000.00.' in candidate.message
    assert candidate.data["goal_id"] == fund.pk
    assert candidate.sentiment == "positive"


def test_without_a_goal_it_suggests_creating_one(household, make_ctx):
    _steady_months(household, spending="-2500.00")
    txn(household, date(2026, 3, 1), "4000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 10), "-1200.00", "RENT_AND_UTILITIES_RENT")

    [candidate] = savings_opportunity.evaluate(make_ctx())

    assert candidate.title == "Room to save $870.00 this month"
    assert candidate.action_label == "Create a goal"


def test_no_surplus_gives_nothing(household, make_ctx):
    _steady_months(household, spending="-3900.00")
    txn(household, date(2026, 3, 1), "4000.00", "INCOME_WAGES")
    txn(household, date(2026, 3, 10), "-3000.00", "RENT_AND_UTILITIES_RENT")

    assert savings_opportunity.evaluate(make_ctx()) == []
