"""One factory per transactions model (the cross-household test finds them by model)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from accounts.tests.factories import HouseholdFactory
from transactions.importing import fingerprint
from transactions.models import (
    Category,
    CategoryPreference,
    FinancialAccount,
    ImportBatch,
    ImportUpload,
    Institution,
    PlaidItem,
    Rule,
    Tag,
    Transaction,
    TransactionSplit,
)


def system_category(code: str) -> Category:
    return Category.objects.get(household__isnull=True, code=code)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Bank {n}")


class PlaidItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaidItem

    household = factory.SubFactory(HouseholdFactory)
    institution = factory.SubFactory(InstitutionFactory)
    plaid_item_id = factory.Sequence(lambda n: f"item-{n}")
    access_token = "access-sandbox-token"


class FinancialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialAccount

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"Checking {n}")
    kind = FinancialAccount.Kind.CHECKING
    currency = "USD"


class CategoryFactory(factory.django.DjangoModelFactory):
    """A household's own sub-category (under Food and drink unless told)."""

    class Meta:
        model = Category

    household = factory.SubFactory(HouseholdFactory)
    code = factory.Sequence(lambda n: f"custom-category-{n}")
    name = factory.Sequence(lambda n: f"My category {n}")
    parent = factory.LazyFunction(lambda: system_category("FOOD_AND_DRINK"))
    primary_code = factory.LazyAttribute(lambda o: o.parent.primary_code)
    is_system = False


class CategoryPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryPreference

    household = factory.SubFactory(HouseholdFactory)
    category = factory.LazyFunction(lambda: system_category("FOOD_AND_DRINK_COFFEE"))
    custom_name = "Coffee shops"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    household = factory.SubFactory(HouseholdFactory)
    account = factory.SubFactory(FinancialAccountFactory, household=factory.SelfAttribute("..household"))
    filename = "statement.csv"
    status = ImportBatch.Status.DONE


class ImportUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportUpload

    household = factory.SubFactory(HouseholdFactory)
    batch = factory.SubFactory(
        ImportBatchFactory, household=factory.SelfAttribute("..household"), status=ImportBatch.Status.DRAFT
    )
    data = b"Date,Description,Amount\n2025-01-02,Coffee,-3.50\n"


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    household = factory.SubFactory(HouseholdFactory)
    account = factory.SubFactory(FinancialAccountFactory, household=factory.SelfAttribute("..household"))
    date = factory.Sequence(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n % 300))
    amount = Decimal("-12.50")
    currency = "USD"
    description = factory.Sequence(lambda n: f"CARD PURCHASE STORE {n}")
    merchant = factory.LazyAttribute(lambda o: o.description.title())
    fingerprint = factory.LazyAttribute(lambda o: fingerprint(o.date, Decimal(str(o.amount)), o.description))
    occurrence = 1


class TransactionSplitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransactionSplit

    household = factory.SubFactory(HouseholdFactory)
    transaction = factory.SubFactory(TransactionFactory, household=factory.SelfAttribute("..household"))
    category = factory.LazyFunction(lambda: system_category("FOOD_AND_DRINK_GROCERIES"))
    amount = Decimal("-5.00")


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    household = factory.SubFactory(HouseholdFactory)
    match_field = Rule.Field.DESCRIPTION
    match_type = Rule.Match.CONTAINS
    match_value = "COFFEE"
    set_category = factory.LazyFunction(lambda: system_category("FOOD_AND_DRINK_COFFEE"))
    position = factory.Sequence(lambda n: n)
