from datetime import date
from decimal import Decimal

import factory

from accounts.tests.factories import HouseholdFactory
from goals.models import Goal, GoalContribution, GoalMilestone


class GoalFactory(factory.django.DjangoModelFactory):
    """An active savings goal of 1,000 started at the beginning of 2026, without a deadline."""

    class Meta:
        model = Goal

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"Goal {n}")
    kind = Goal.Kind.SAVINGS
    target_amount = Decimal("1000.00")
    started_on = date(2026, 1, 1)


class GoalContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalContribution

    household = factory.SubFactory(HouseholdFactory)
    goal = factory.SubFactory(GoalFactory, household=factory.SelfAttribute("..household"))
    amount = Decimal("100.00")
    date = date(2026, 1, 15)


class GoalMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalMilestone

    household = factory.SubFactory(HouseholdFactory)
    goal = factory.SubFactory(GoalFactory, household=factory.SelfAttribute("..household"))
    percent = 25
