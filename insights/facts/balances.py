"""Account balances and net worth."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum

from fincoach.money import ZERO, to_money
from transactions.models import FinancialAccount, Transaction


@dataclass(frozen=True)
class AccountBalance:
    id: int
    name: str
    kind: str
    kind_label: str
    currency: str
    balance: Decimal  # negative for money owed (credit cards, loans)
    is_liability: bool
    reported_by_bank: bool


def account_balances(household) -> list[AccountBalance]:
    """Active accounts with the balance the transactions app shows (`transactions.selectors.accounts`): what the
    bank last reported, else the opening balance plus posted transactions since the opening date.

    The sums come from one query grouped by account alone, which is several times faster on a large history than
    grouping the account rows themselves."""
    accounts = list(FinancialAccount.objects.for_household(household).filter(is_active=True).order_by("kind", "name"))
    posted = (
        Transaction.objects.for_household(household)
        .filter(pending=False, account__is_active=True)
        .filter(Q(account__opening_date__isnull=True) | Q(date__gte=F("account__opening_date")))
        .values("account_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    moved = {row["account_id"]: row["total"] for row in posted}
    return [
        AccountBalance(
            id=account.pk,
            name=account.name,
            kind=account.kind,
            kind_label=account.get_kind_display(),
            currency=account.currency,
            balance=to_money(
                account.reported_balance
                if account.reported_balance is not None
                else account.opening_balance + moved.get(account.pk, ZERO)
            ),
            is_liability=account.is_liability,
            reported_by_bank=account.reported_balance is not None,
        )
        for account in accounts
    ]


@dataclass(frozen=True)
class NetWorth:
    assets: Decimal
    liabilities: Decimal  # positive: what is owed
    cash: Decimal  # checking, savings and cash: what can pay for things

    @property
    def net(self) -> Decimal:
        return self.assets - self.liabilities


LIQUID_KINDS = frozenset({FinancialAccount.Kind.CHECKING, FinancialAccount.Kind.SAVINGS, FinancialAccount.Kind.CASH})


def net_worth(balances: list[AccountBalance]) -> NetWorth:
    assets = sum((b.balance for b in balances if b.balance > 0), ZERO)
    liabilities = -sum((b.balance for b in balances if b.balance < 0), ZERO)
    cash = sum((b.balance for b in balances if b.kind in LIQUID_KINDS), ZERO)
    return NetWorth(assets=assets, liabilities=liabilities, cash=cash)
