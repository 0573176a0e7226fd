"""Demo goals: an emergency fund sized from the household's essentials, a holiday being saved for, and two debts
to compare avalanche and snowball on."""

from __future__ import annotations

from decimal import Decimal

from budgets.clock import household_clock
from budgets.periods import add_months
from budgets.suggestions import round_up_budget
from fincoach.demo import DemoContext
from transactions.models import FinancialAccount
from transactions.selectors.accounts import account_balance, accounts_with_balances

from . import selectors, services
from .models import Goal

DEMO_ORDER = 40
FALLBACK_EMERGENCY_FUND = Decimal("9000")
ZERO = Decimal("0")


def _first_account(household, kind: str) -> FinancialAccount | None:
    return FinancialAccount.objects.for_household(household).filter(kind=kind, is_active=True).first()


def seed_demo(context: DemoContext) -> dict:
    """Idempotent: a household that already has goals is left alone."""
    household = context.household
    if Goal.objects.for_household(household).exists():
        return {"goals": 0}
    today = household_clock(household).today
    started = add_months(today, -4)
    emergency = selectors.emergency_fund_suggestion(household, clock=household_clock(household))
    services.goal_create(
        household=household,
        name="Emergency fund",
        kind=Goal.Kind.EMERGENCY_FUND,
        target_amount=round_up_budget(emergency.high) if emergency and emergency.high else FALLBACK_EMERGENCY_FUND,
        priority=Goal.Priority.HIGH,
        linked_account=_first_account(household, FinancialAccount.Kind.SAVINGS),
        started_on=started,
    )
    holiday = services.goal_create(
        household=household,
        name="Summer holiday",
        kind=Goal.Kind.PURCHASE,
        target_amount=Decimal("2400.00"),
        target_date=add_months(today, 5),
        started_on=started,
    )
    contributions = 0
    for months_ago in (4, 3, 2, 1):
        services.goal_contribute(
            holiday, amount=Decimal("250.00"), day=add_months(today, -months_ago), note="Monthly transfer"
        )
        contributions += 1
    services.goal_create(
        household=household,
        name="Credit card",
        kind=Goal.Kind.DEBT_PAYOFF,
        target_amount=Decimal("3200.00"),
        apr=Decimal("22.90"),
        minimum_payment=Decimal("95.00"),
        priority=Goal.Priority.HIGH,
        started_on=started,
    )
    loan = _first_account(household, FinancialAccount.Kind.LOAN)
    owed = abs(account_balance(accounts_with_balances(household=household).get(pk=loan.pk))) if loan else ZERO
    services.goal_create(
        household=household,
        name="Car loan",
        kind=Goal.Kind.DEBT_PAYOFF,
        target_amount=owed or Decimal("9800.00"),
        apr=Decimal("6.50"),
        minimum_payment=Decimal("280.00"),
        linked_account=loan if owed else None,
        priority=Goal.Priority.LOW,
        started_on=started,
    )
    return {"goals": 4, "goal_contributions": contributions}
