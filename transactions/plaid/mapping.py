"""Plaid's JSON → our field values. Pure functions: no database, easy to test.

Plaid sends positive amounts for money leaving the account; fincoach stores them negative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fincoach.money import to_money
from transactions.models import FinancialAccount

# Plaid's personal_finance_category.confidence_level → (our 0–1 confidence, how the category is used). Plaid documents
# VERY_HIGH as >98% and HIGH as >90%; MEDIUM and LOW only as "moderate" and "low". The use follows the categoriser's
# policy: applied from 0.8, applied but flagged "suggested" (one-click confirmation) from 0.6, else left open.
_APPLY, _SUGGEST = "apply", "suggest"
PFC_CONFIDENCE: dict[str, tuple[Decimal, str | None]] = {
    "VERY_HIGH": (Decimal("0.980"), _APPLY),
    "HIGH": (Decimal("0.900"), _APPLY),
    "MEDIUM": (Decimal("0.700"), _SUGGEST),
    "LOW": (Decimal("0.400"), None),
}

_DESCRIPTION_MAX = 500
_MERCHANT_MAX = 200

_SAVINGS_SUBTYPES = {"savings", "money market", "cd", "hsa", "cash management"}
_KIND_BY_TYPE = {
    "credit": FinancialAccount.Kind.CREDIT_CARD,
    "loan": FinancialAccount.Kind.LOAN,
    "investment": FinancialAccount.Kind.INVESTMENT,
    "brokerage": FinancialAccount.Kind.INVESTMENT,
}


@dataclass(frozen=True)
class BankCategory:
    """What Plaid's category means for us: the system category to set (None: leave it to rules and the
    categoriser), with its confidence, and the PFC code recorded in `plaid_category` (only for applied ones, which
    the categorisation pipeline may rely on)."""

    category_id: int | None
    code: str
    confidence: Decimal | None
    suggested: bool = False


NO_BANK_CATEGORY = BankCategory(category_id=None, code="", confidence=None)


def signed_amount(plaid_amount: Any) -> Decimal:
    """Plaid amount (positive = money out) → ours (negative = money out). Never via float."""
    if isinstance(plaid_amount, float):
        raise TypeError("Plaid amounts must be parsed as Decimal, not float")
    return -to_money(plaid_amount)


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def account_kind(plaid_type: str | None, subtype: str | None) -> str:
    if plaid_type == "depository":
        return FinancialAccount.Kind.SAVINGS if subtype in _SAVINGS_SUBTYPES else FinancialAccount.Kind.CHECKING
    return _KIND_BY_TYPE.get(plaid_type or "", FinancialAccount.Kind.CHECKING)


def account_balances(plaid_account: dict, kind: str) -> tuple[Decimal | None, Decimal | None]:
    """(balance, available) in our sign: what a liability's holder owes is negative, like its transactions."""
    balances = plaid_account.get("balances") or {}
    current = balances.get("current")
    available = balances.get("available")
    balance = to_money(current) if current is not None else None
    if balance is not None and kind in (FinancialAccount.Kind.CREDIT_CARD, FinancialAccount.Kind.LOAN):
        balance = -balance
    return balance, (to_money(available) if available is not None else None)


def account_currency(plaid_account: dict, default: str) -> str:
    balances = plaid_account.get("balances") or {}
    return (balances.get("iso_currency_code") or balances.get("unofficial_currency_code") or default)[:3].upper()


def bank_category(plaid_txn: dict, category_ids: dict[str, int]) -> BankCategory:
    """Plaid's personal_finance_category → a system category (its detailed code, else its primary), used according
    to Plaid's confidence."""
    pfc = plaid_txn.get("personal_finance_category") or {}
    detailed = pfc.get("detailed") or ""
    primary = pfc.get("primary") or ""
    category_id = category_ids.get(detailed) or category_ids.get(primary)
    confidence, use = PFC_CONFIDENCE.get(pfc.get("confidence_level") or "", (None, None))
    if category_id is None or use is None:
        return NO_BANK_CATEGORY
    code = detailed if detailed in category_ids else primary
    return BankCategory(
        category_id=category_id,
        code=code if use == _APPLY else "",
        confidence=confidence,
        suggested=use == _SUGGEST,
    )


def bank_fields(plaid_txn: dict, default_currency: str) -> dict[str, Any]:
    """The fields the bank owns, as our model values (category handled separately: rules and users may own it)."""
    description = plaid_txn.get("original_description") or plaid_txn.get("name") or ""
    currency = plaid_txn.get("iso_currency_code") or plaid_txn.get("unofficial_currency_code") or default_currency
    return {
        "date": parse_date(plaid_txn["date"]),
        "authorized_date": parse_date(plaid_txn.get("authorized_date")),
        "amount": signed_amount(plaid_txn["amount"]),
        "currency": currency[:3].upper(),
        "description": description[:_DESCRIPTION_MAX],
        "merchant": (plaid_txn.get("merchant_name") or "")[:_MERCHANT_MAX],
        "pending": bool(plaid_txn.get("pending")),
    }
