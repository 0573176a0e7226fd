"""Financial accounts: create, edit, close and reopen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fincoach.money import to_money
from transactions.models import FinancialAccount, Institution

EDITABLE_FIELDS = ("name", "kind", "mask", "currency", "opening_balance", "opening_date")


def _check_name(household, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the account a name."})
    clash = FinancialAccount.objects.for_household(household).filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"You already have an account called “{name}”."})
    return name


def _institution(name: str) -> Institution | None:
    name = (name or "").strip()
    if not name:
        return None
    institution = Institution.objects.filter(name__iexact=name).first()
    return institution or Institution.objects.create(name=name)


@transaction.atomic
def account_create(
    *,
    household,
    name: str,
    kind: str = FinancialAccount.Kind.CHECKING,
    currency: str | None = None,
    institution_name: str = "",
    mask: str = "",
    opening_balance: Decimal | str = "0",
    opening_date: dt.date | None = None,
) -> FinancialAccount:
    """A new active account; the name must be unique in the household (case-insensitively)."""
    if kind not in FinancialAccount.Kind.values:
        raise ValidationError({"kind": f"Unknown account type “{kind}”."})
    return FinancialAccount.objects.create(
        household=household,
        name=_check_name(household, name),
        kind=kind,
        currency=(currency or household.currency or "USD").upper(),
        institution=_institution(institution_name),
        mask=(mask or "").strip()[-8:],
        opening_balance=to_money(opening_balance),
        opening_date=opening_date,
    )


@transaction.atomic
def account_update(account: FinancialAccount, *, institution_name: str | None = None, **fields) -> FinancialAccount:
    """Change the editable fields given (name, kind, mask, currency, opening balance and date, institution)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These account fields cannot be changed: {', '.join(sorted(unknown))}.")
    if "name" in fields:
        fields["name"] = _check_name(account.household, fields["name"], exclude_pk=account.pk)
    if "kind" in fields and fields["kind"] not in FinancialAccount.Kind.values:
        raise ValidationError({"kind": f"Unknown account type “{fields['kind']}”."})
    if "opening_balance" in fields:
        fields["opening_balance"] = to_money(fields["opening_balance"])
    if "currency" in fields:
        fields["currency"] = (fields["currency"] or "USD").upper()
    if institution_name is not None:
        fields["institution"] = _institution(institution_name)
    for name, value in fields.items():
        setattr(account, name, value)
    account.save(update_fields=list(fields))
    return account


@transaction.atomic
def account_close(account: FinancialAccount, *, closed_on: dt.date | None = None) -> FinancialAccount:
    """Close an account: it leaves the pickers and the balance totals; its history stays."""
    account.is_active = False
    account.closed_at = closed_on or timezone.localdate()
    account.save(update_fields=["is_active", "closed_at"])
    return account


@transaction.atomic
def account_reopen(account: FinancialAccount) -> FinancialAccount:
    account.is_active = True
    account.closed_at = None
    account.save(update_fields=["is_active", "closed_at"])
    return account


@transaction.atomic
def account_get_or_create(*, household, name: str, currency: str | None = None) -> tuple[FinancialAccount, bool]:
    """The household's account called `name` (case-insensitively), created as a checking account when missing."""
    existing = FinancialAccount.objects.for_household(household).filter(name__iexact=name.strip()).first()
    if existing is not None:
        return existing, False
    return account_create(household=household, name=name, currency=currency), True
