"""Factories for the coach's models, and small helpers that build the data the coach reads (through the factories
of the apps that own those models)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from insights.models import CoachExchange, Insight, LLMUsage
from insights.rules.base import Candidate
from transactions.models import FinancialAccount, Transaction
from transactions.tests.factories import FinancialAccountFactory, TransactionFactory, system_category


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    user = factory.SubFactory(UserFactory)
    household = factory.LazyAttribute(lambda o: o.user.membership.household)
    kind = Insight.Kind.SPENDING_PACE
    title = factory.Sequence(lambda n: f"Insight {n}")
    message = "You've spent $120.00 more than usual this month."
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    action_url = "/insights/"
    action_label = "See insights"


class LLMUsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LLMUsage

    household = factory.LazyAttribute(lambda o: UserFactory().membership.household)
    day = factory.LazyFunction(date.today)
    prompt_tokens = 100
    completion_tokens = 50
    requests = 1


class CoachExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachExchange

    user = factory.SubFactory(UserFactory)
    household = factory.LazyAttribute(lambda o: o.user.membership.household)
    question = "How much did we spend on dining in March?"
    answer = "You spent $120.00 on dining out in March 2026."
    engine = CoachExchange.Engine.RULES


# --- data the coach reads -----------------------------------------------------------------------------------------


def account(household, name: str = "Checking", kind: str = FinancialAccount.Kind.CHECKING, **extra) -> FinancialAccount:
    found = FinancialAccount.objects.for_household(household).filter(name=name).first()
    return found or FinancialAccountFactory(household=household, name=name, kind=kind, **extra)


def txn(
    household, day: date, amount: str, code: str | None = None, *, account_name: str = "Checking", **extra
) -> Transaction:
    """A transaction of `amount` (a string; negative = money out) in the system category `code`."""
    return TransactionFactory(
        household=household,
        account=account(household, account_name),
        date=day,
        amount=Decimal(amount),
        category=system_category(code) if code else None,
        **extra,
    )


# --- rule candidates, for tests of the machinery around the rules ---------------------------------------------------


def coaching_candidate(key: str, *, kind="spending_pace", priority=20, relevance=0.5, **extra) -> Candidate:
    return Candidate(
        kind=kind,
        title=f"Coaching {key}",
        message=f"You spent $120.00 on {key}.",
        dedupe_key=key,
        priority=priority,
        relevance=relevance,
        sentiment=extra.pop("sentiment", "warning"),
        **extra,
    )


def alert_candidate(key: str) -> Candidate:
    return Candidate(
        kind="bill_reminder",
        title=f"Alert {key}",
        message="Rent of $1,450.00 is due today.",
        dedupe_key=key,
        is_alert=True,
        priority=30,
    )
