"""Financial accounts with their balances."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from fincoach.money import CENT
from transactions.models import FinancialAccount

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _ledger_filter(prefix: str = "transactions__") -> Q:
    """Posted transactions on or after the account's opening date (older history does not move the balance)."""
    return Q(**{f"{prefix}pending": False}) & (
        Q(opening_date__isnull=True) | Q(**{f"{prefix}date__gte": F("opening_date")})
    )


def accounts_with_balances(*, household, include_closed: bool = True) -> QuerySet[FinancialAccount]:
    """Accounts annotated with `derived_balance` (opening balance + posted transactions) in one query.

    Use `account_balance(account)` for the figure to show: the balance the bank reported wins when synced.
    """
    queryset = FinancialAccount.objects.for_household(household).select_related("institution", "plaid_item")
    if not include_closed:
        queryset = queryset.filter(is_active=True)
    return queryset.annotate(
        transactions_total=Coalesce(Sum("transactions__amount", filter=_ledger_filter()), ZERO),
        derived_balance=F("opening_balance") + F("transactions_total"),
    ).order_by("-is_active", "name", "pk")  # aggregation queries ignore Meta.ordering


def account_balance(account: FinancialAccount) -> Decimal:
    """The balance to show: what the bank reported when synced, else derived from the transactions."""
    if account.reported_balance is not None:
        return account.reported_balance
    derived = getattr(account, "derived_balance", None)
    if derived is None:
        derived = accounts_with_balances(household=account.household).get(pk=account.pk).derived_balance
    return Decimal(derived).quantize(CENT)


def active_accounts(*, household) -> QuerySet[FinancialAccount]:
    return FinancialAccount.objects.for_household(household).filter(is_active=True)


def account_by_name(*, household, name: str) -> FinancialAccount | None:
    return FinancialAccount.objects.for_household(household).filter(name__iexact=name.strip()).first()
