from datetime import date
from decimal import Decimal

import factory

from accounts.tests.factories import HouseholdFactory
from budgets.models import Budget, BudgetAlert


class BudgetFactory(factory.django.DjangoModelFactory):
    """A monthly all-spending budget of 500 started at the beginning of 2020 (add categories with `categories=`)."""

    class Meta:
        model = Budget
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    amount = Decimal("500.00")
    period = Budget.PeriodKind.MONTHLY
    start_date = date(2020, 1, 1)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class BudgetAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetAlert

    household = factory.SubFactory(HouseholdFactory)
    budget = factory.SubFactory(BudgetFactory, household=factory.SelfAttribute("..household"))
    period_start = date(2026, 1, 1)
    level = BudgetAlert.Level.THRESHOLD
    spent = Decimal("400.00")
    available = Decimal("500.00")
