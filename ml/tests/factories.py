"""One factory per ML result model (the cross-household test finds them by model)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from accounts.tests.factories import HouseholdFactory
from ml.models import (
    Anomaly,
    BalanceForecast,
    DismissedAnomalyPattern,
    MerchantCategoryMemory,
    ModelRun,
    PersonaAssignment,
    RecurringSeries,
    SuggestionOutcome,
)
from transactions.tests.factories import FinancialAccountFactory, TransactionFactory, system_category


class ModelRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelRun

    kind = ModelRun.Kind.RECURRING
    status = ModelRun.Status.OK
    households = 1
    metrics = factory.LazyFunction(lambda: {"series": 3})


class MerchantCategoryMemoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MerchantCategoryMemory

    household = factory.SubFactory(HouseholdFactory)
    merchant = factory.Sequence(lambda n: f"Corner Shop {n}")
    category = factory.LazyFunction(lambda: system_category("FOOD_AND_DRINK_GROCERIES"))


class SuggestionOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuggestionOutcome

    household = factory.SubFactory(HouseholdFactory)
    transaction = factory.SubFactory(TransactionFactory, household=factory.SelfAttribute("..household"))
    suggested = factory.LazyFunction(lambda: system_category("FOOD_AND_DRINK_COFFEE"))
    accepted = True


class RecurringSeriesFactory(factory.django.DjangoModelFactory):
    """A monthly subscription charged on the 5th."""

    class Meta:
        model = RecurringSeries

    household = factory.SubFactory(HouseholdFactory)
    account = factory.SubFactory(FinancialAccountFactory, household=factory.SelfAttribute("..household"))
    merchant = factory.Sequence(lambda n: f"Streamflix {n}")
    cadence = RecurringSeries.Cadence.MONTHLY
    amount = Decimal("-15.99")
    currency = "USD"
    last_date = dt.date(2025, 6, 5)
    next_date = dt.date(2025, 7, 5)
    next_amount = Decimal("-15.99")
    is_subscription = True
    confidence = 0.9
    occurrences = 6


class AnomalyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anomaly

    household = factory.SubFactory(HouseholdFactory)
    transaction = factory.SubFactory(
        TransactionFactory, household=factory.SelfAttribute("..household"), amount=Decimal("-890.00")
    )
    score = 0.9
    reasons = factory.LazyFunction(lambda: [{"kind": "amount_vs_category", "text": "4.1× your usual Shopping spend"}])


class DismissedAnomalyPatternFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DismissedAnomalyPattern

    household = factory.SubFactory(HouseholdFactory)
    merchant = factory.Sequence(lambda n: f"Hardware Store {n}")
    reason_kind = "amount_vs_category"


class PersonaAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonaAssignment

    household = factory.SubFactory(HouseholdFactory)
    persona = "balanced"
    name = "Balanced spender"
    description = "Spending is spread evenly across the week and categories."
    confidence = 0.7


class BalanceForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BalanceForecast

    household = factory.SubFactory(HouseholdFactory)
    model_name = "cashflow"
    backtest_mae = 42.0
    model_maes = factory.LazyFunction(lambda: {"cashflow": 42.0, "prophet": 61.5, "naive": 80.2})
    start_balance = Decimal("1200.00")
    points = factory.LazyFunction(
        lambda: [{"date": "2025-07-01", "yhat": "1180.00", "lower": "1100.00", "upper": "1260.00"}]
    )


def synthetic_household_in_db(household, seed: int = 7, months: int = 12, **options):
    """Write a generated household (`ml.synthetic`, with its ground truth) into `household`: its accounts and every
    transaction, categorised as generated, in bulk. Returns the SyntheticHousehold."""
    from ml.services.categorizing import system_category_ids
    from ml.synthetic import generate_household
    from transactions.models import FinancialAccount, Transaction

    synthetic = generate_household(seed, months=months, **options)
    accounts = {
        kind: FinancialAccount.objects.create(
            household=household, name=f"{kind.replace('_', ' ').title()} {seed}", kind=kind,
            opening_balance=Decimal(opening), opening_date=synthetic.start,
        )
        for kind, opening in synthetic.opening_balances.items()
    }  # fmt: skip
    categories = system_category_ids()
    Transaction.objects.bulk_create(
        Transaction(
            household=household,
            account=accounts[t.account_kind],
            date=t.date,
            amount=Decimal(t.amount),
            currency="USD",
            description=t.description,
            merchant=t.merchant,
            category_id=categories[t.category],
            category_source=Transaction.CategorySource.MODEL,
        )
        for t in synthetic.transactions
    )
    return synthetic
